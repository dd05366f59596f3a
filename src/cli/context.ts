import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { WorkBackend } from '../engine/pool/backend'
import { WorkerPool } from '../engine/pool/pool'
import { defaultDbPath } from '../engine/paths'
import { RunManager } from '../engine/runs/manager'
import { Store } from '../engine/store/store'

export interface DbOption {
  db?: string
}

/**
 * What a command may do to the workspace: `write` (train, sweep, serve) creates it when it is missing
 * (the per-user default with its folder); `read` (every other command) opens only an existing one, so a
 * mistyped `--db` or a first `lab runs` creates nothing.
 */
export type WorkspaceMode = 'read' | 'write'

/** The workspace path: `--db PATH` (never empty), or the per-user default shared with the desktop app. */
export function dbPath(opts: DbOption): string {
  if (opts.db === undefined) return defaultDbPath()
  if (opts.db.trim() === '') throw new Error('--db needs a path')
  return opts.db
}

/** Opens the workspace: `--db PATH`, or the per-user default shared with the desktop app. */
export function openStore(opts: DbOption, mode: WorkspaceMode): Store {
  const path = dbPath(opts)
  const create = mode === 'write'
  if (create && opts.db === undefined) mkdirSync(dirname(path), { recursive: true })
  return Store.open(path, { create })
}

/**
 * Runs `fn` with a store, a worker pool and a run manager, and always cleans up. Ctrl-C (SIGINT/SIGTERM)
 * stops the workers at once; interrupted runs are marked paused and continue with `lab resume`.
 */
export async function withEngine<T>(
  opts: DbOption & { workers?: number; backend?: string },
  mode: WorkspaceMode,
  fn: (e: { store: Store; pool: WorkBackend; manager: RunManager }) => Promise<T>
): Promise<T> {
  let pool: WorkBackend
  const backend = opts.backend?.trim()
  if (backend === undefined || backend === '' || backend === 'local')
    pool = new WorkerPool({ size: opts.workers })
  else {
    // Loaded only for a cluster run: BullMQ and ioredis stay out of every other command's start-up. A bad
    // URL fails here, before the workspace is opened.
    const { createWorkBackend } = await import('../engine/cluster/backends')
    pool = createWorkBackend(backend, { onNotice: (m) => process.stderr.write(`lab: ${m}\n`) })
    process.stderr.write(`lab: rollouts go to ${pool.describe()}\n`)
  }
  let store: Store
  try {
    store = openStore(opts, mode)
  } catch (e) {
    await pool.close()
    throw e
  }
  const manager = new RunManager(store, pool)
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nlab: ${signal}: stopping; resume with \`lab resume RUN\`\n`)
    manager.flushAll()
    for (const run of store.listRuns({ status: 'running' })) {
      if (run.ownerPid !== process.pid) continue
      try {
        store.finishRun(run.id, 'paused', `interrupted by ${signal}`)
      } catch {
        /* taken over by another process meanwhile: its run now */
      }
    }
    void pool.close().finally(() => {
      store.close()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    await pool.ready()
    return await fn({ store, pool, manager })
  } finally {
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
    await pool.close()
    store.close()
  }
}

/**
 * Runs `fn` with a run manager that has no workers (it pauses, cancels and deletes runs, in any process),
 * on an existing workspace only.
 */
export async function withManager<T>(opts: DbOption, fn: (manager: RunManager) => Promise<T>): Promise<T> {
  const store = openStore(opts, 'read')
  try {
    return await fn(new RunManager(store, null))
  } finally {
    store.close()
  }
}
