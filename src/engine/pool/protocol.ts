import type { EnvironmentSpec } from '../../core/env/types'
import type {
  BatchTiming,
  Evaluation,
  LocalSearchJob,
  LocalSearchOutcome,
  PerturbationRequest
} from '../../core/training/types'

/**
 * A batch of genomes in one message. Dense: `count` genomes back to back (one contiguous buffer clones
 * fastest). Sparse: only the coordinates that differ from the environment's prior, which the worker
 * builds itself: genome i changes idx[offsets[i] .. offsets[i+1]) to val[...]. ENOMAD genomes differ from
 * W0 in a few dozen weights, so this is ~100× smaller than dense.
 */
export type PackedGenomes =
  | { kind: 'dense'; count: number; data: Float64Array }
  | { kind: 'sparse'; count: number; offsets: Int32Array; idx: Int32Array; val: Float64Array }

/** Every job names its environment by spec; the worker builds (and caches) it. */
export type WorkRequest =
  | { kind: 'evaluate'; env: EnvironmentSpec; genomes: PackedGenomes }
  | { kind: 'localSearch'; env: EnvironmentSpec; jobs: LocalSearchJob[] }
  | { kind: 'perturbations'; env: EnvironmentSpec; req: PerturbationRequest }
  | { kind: 'ping' }
  /** Test hook: busy-waits for `ms` (used to test queueing and crash recovery deterministically). */
  | { kind: 'sleep'; ms: number }

export type WorkResponse =
  | { kind: 'evaluate'; results: Evaluation[]; timing: BatchTiming }
  | { kind: 'perturbations'; results: Evaluation[]; timing: BatchTiming }
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
