/**
 * The environment abstraction: everything the training algorithms, the evaluator, the pool and the store
 * know about what is being trained. An environment owns its genome (length, layout hash, prior), its
 * evaluation (one fitness to maximise plus named metrics) and, optionally, a trace for replays.
 * The worm-foraging connectome (./worm.ts) is one environment; the toy quadratic (./quadratic.ts) another.
 */

/** One named metric of an environment's evaluation (e.g. the worm's food eaten). */
export interface MetricSpec {
  key: string
  label: string
  /** Shown and stored as an integer (counts). */
  integer: boolean
  /** Larger is better (for "best" columns); false for distances and costs. */
  higherIsBetter: boolean
  description: string
}

/** What one evaluation (a rollout, an episode) reports about a genome. */
export interface Evaluation {
  /** The one number every algorithm maximises. */
  fitness: number
  /** The environment's named metrics, keyed by MetricSpec.key. */
  metrics: Record<string, number>
}

/** The genome an environment trains: a flat vector of `length` floats in a fixed order. */
export interface GenomeLayout {
  length: number
  /** Identifies the order and meaning of the coordinates (a genome is only valid for its layout). */
  hash: string
  /** Human-readable, e.g. "3,689 synaptic weights of gopigo2014". */
  description: string
}

/** The environment kinds the lab ships (docs/environments.md). */
export type EnvironmentId = 'worm' | 'quadratic' | 'worm-hebbian' | 'quadruped'

/**
 * A serialisable description from which an environment is built (stored with every run, sent to workers).
 * `id` picks the kind; the other keys are that kind's options, validated by its zod schema.
 */
export interface EnvironmentSpec {
  id: EnvironmentId
  [option: string]: unknown
}

export interface Environment {
  readonly id: EnvironmentId
  /** The validated spec it was built from (defaults filled). */
  readonly spec: EnvironmentSpec
  /** A short label of the variant, e.g. the worm's task ("pentagon"). */
  readonly task: string
  readonly layout: GenomeLayout
  readonly metrics: readonly MetricSpec[]
  /** The metric shown first in lists and progress lines. */
  readonly headline: string
  /** The starting genome (the worm's biological prior W0). Callers must not modify it. */
  readonly prior: Float64Array
  /** Evaluates one genome; deterministic. Throws on a genome of the wrong length. */
  evaluate(genome: Float64Array): Evaluation
  /**
   * Frees what the environment holds outside the JS heap (the quadruped's MuJoCo models); it cannot be
   * used afterwards. Absent when there is nothing to free.
   */
  dispose?(): void
}

/** Checks a genome against a layout, naming the problem. */
export function checkLength(layout: GenomeLayout, genome: ArrayLike<number>): void {
  if (genome.length !== layout.length)
    throw new Error(`genome has ${genome.length} values, ${layout.description} expects ${layout.length}`)
}
