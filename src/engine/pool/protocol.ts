import type { ModelParams } from '../../core/model/params'
import type { BatchTiming, Evaluation, LocalSearchJob, LocalSearchOutcome } from '../../core/training/types'

/** What a worker needs to run rollouts: the connectome id, the food layout and the model constants. */
export interface EvalContext {
  connectome: string
  taskName: string
  food: Float64Array
  params: Partial<ModelParams>
}

/**
 * A batch of genomes in one message. Dense: `count` genomes back to back (one contiguous buffer clones
 * fastest). Sparse: only the coordinates that differ from the connectome's W0, which the worker already
 * has: genome i changes idx[offsets[i] .. offsets[i+1]) to val[...]. ENOMAD genomes differ from W0 in
 * a few dozen weights, so this is ~100× smaller than dense.
 */
export type PackedGenomes =
  | { kind: 'dense'; count: number; data: Float64Array }
  | { kind: 'sparse'; count: number; offsets: Int32Array; idx: Int32Array; val: Float64Array }

export type WorkRequest =
  | { kind: 'evaluate'; ctx: EvalContext; genomes: PackedGenomes }
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
