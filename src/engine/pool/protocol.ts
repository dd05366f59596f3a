import type { AnalysisUnit, AnalysisUnitOutput } from '../../core/analysis/hebbian/units'
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

/**
 * Seeded perturbations on the wire. With a `centerKey`, the centre crosses to a worker once: the worker
 * keeps the last CENTRE_CACHE_SIZE centres it ran by key, the pool mirrors which (pool.ts), and sends
 * later jobs on the same centre to that worker with `center: null`. The key must name one content: the
 * PoolEvaluator gives every distinct centre a new key. Without a key the centre is sent every time.
 */
export interface PerturbationJob extends Omit<PerturbationRequest, 'center'> {
  center: Float64Array | null
  centerKey?: string
}

/** Centres a worker keeps (4 MB each at 500,000 coordinates); a few, for runs sharing the pool. */
export const CENTRE_CACHE_SIZE = 4

/** Every job names its environment by spec; the worker builds (and caches) it. */
export type WorkRequest =
  | { kind: 'evaluate'; env: EnvironmentSpec; genomes: PackedGenomes }
  | { kind: 'localSearch'; env: EnvironmentSpec; jobs: LocalSearchJob[] }
  | { kind: 'perturbations'; env: EnvironmentSpec; req: PerturbationJob }
  /** A few episodes of one of the paper's analyses (src/core/analysis/hebbian/units.ts) on one genome. */
  | { kind: 'analysis'; env: EnvironmentSpec; genome: Float64Array; unit: AnalysisUnit }
  | { kind: 'ping' }
  /** Test hook: busy-waits for `ms` (used to test queueing and crash recovery deterministically). */
  | { kind: 'sleep'; ms: number }

export type WorkResponse =
  | { kind: 'evaluate'; results: Evaluation[]; timing: BatchTiming }
  | { kind: 'perturbations'; results: Evaluation[]; timing: BatchTiming }
  | { kind: 'localSearch'; outcomes: LocalSearchOutcome[]; timing: BatchTiming }
  | { kind: 'analysis'; output: AnalysisUnitOutput }
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
