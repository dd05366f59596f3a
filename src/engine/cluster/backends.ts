/**
 * The one place a backend spec becomes a WorkBackend: 'local' (or nothing) is this machine's worker pool,
 * a redis:// or rediss:// URL the cluster of `lab worker`s (redis-backend.ts). The CLI's `--backend` and
 * the app's setting (CONNECTOME_LAB_BACKEND, `lab serve --backend`) both come here.
 */
import type { RolloutBackend } from '../../shared/api'
import type { WorkBackend } from '../pool/backend'
import { WorkerPool } from '../pool/pool'
import { isRedisUrl, redisOptions } from './connection'
import { RedisBackend } from './redis-backend'

export const isLocal = (spec: string | undefined): boolean =>
  spec === undefined || spec.trim() === '' || spec.trim() === 'local'

/** A backend for `spec`; a bad spec throws here, before anything connects or starts. */
export function createWorkBackend(
  spec: string | undefined,
  opts: { workers?: number; onNotice?: (message: string) => void } = {}
): WorkBackend {
  if (isLocal(spec)) return new WorkerPool(opts.workers !== undefined ? { size: opts.workers } : {})
  const url = spec!.trim()
  if (!isRedisUrl(url)) throw new Error(`--backend must be local or a redis:// URL, not ${url}`)
  redisOptions(url)
  return new RedisBackend(url, { onNotice: opts.onNotice })
}

/** What the run view shows: where rollouts go and which processes serve them now. */
export async function describeBackend(backend: WorkBackend): Promise<RolloutBackend> {
  if (backend instanceof RedisBackend)
    return { kind: 'redis', description: backend.describe(), workers: await backend.workers() }
  const pids = backend instanceof WorkerPool ? backend.pids() : []
  return { kind: 'local', description: backend.describe(), workers: pids.map((p) => `local process ${p}`) }
}
