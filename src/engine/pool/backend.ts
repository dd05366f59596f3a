import type { PoolResult } from './pool'
import type { WorkRequest, WorkResponse } from './protocol'

/**
 * Where the engine's coarse work units (protocol.ts) run: the local child-process pool (pool.ts) or BullMQ
 * workers over Redis (../cluster/redis-backend.ts). The PoolEvaluator, the run manager and the analyses
 * see only this, so every algorithm and environment runs unchanged on either.
 */
export interface WorkBackend {
  /** How many requests a batch is split into (the pool's workers; the cluster's chunk count). */
  readonly size: number
  /** Resolves when the backend can take work (the pool's workers are up; Redis answers). */
  ready(): Promise<void>
  /** Runs one request and resolves with its reply; `owner` shares the backend fairly between runs. */
  run<R extends WorkResponse = WorkResponse>(request: WorkRequest, owner?: string): Promise<PoolResult<R>>
  close(): Promise<void>
  /** A one-line description for logs and the run view ("local pool, 2 workers", "redis://host:6379 …"). */
  describe(): string
}
