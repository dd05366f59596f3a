import type { ModelParams } from '../../core/model/params'
import type { BatchTiming, Evaluation, LocalSearchJob, LocalSearchOutcome } from '../../core/optimizers/types'

/** What a worker needs to run rollouts: the connectome id, the food layout and the model constants. */
export interface EvalContext {
  connectome: string
  taskName: string
  food: Float64Array
  params: Partial<ModelParams>
}

export type WorkRequest =
  /** `genomes` holds `count` genomes back to back: one contiguous buffer clones fastest. */
  | { kind: 'evaluate'; ctx: EvalContext; count: number; genomes: Float64Array }
  | { kind: 'localSearch'; ctx: EvalContext; jobs: LocalSearchJob[] }
  | { kind: 'ping' }
  /** Test hook: busy-waits for `ms` (used to test queueing and crash recovery deterministically). */
  | { kind: 'sleep'; ms: number }

export type WorkResponse =
  | { kind: 'evaluate'; results: Evaluation[]; timing: BatchTiming }
  | { kind: 'localSearch'; outcomes: LocalSearchOutcome[]; timing: BatchTiming }
  | { kind: 'ping'; pid: number }
  | { kind: 'sleep' }

export interface ToWorker {
  id: number
  request: WorkRequest
}

export type FromWorker =
  | { id: number; ok: true; response: WorkResponse; computeMs: number }
  | { id: number; ok: false; error: string }
  | { ready: true }
