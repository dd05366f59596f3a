import { Rng, type RngState } from '../util/rng'
import { fitnessStats } from './genetic'
import {
  SNAPSHOT_VERSION,
  type AlgorithmName,
  type AlgorithmSnapshot,
  type BatchTiming,
  type Evaluation,
  type Evaluator,
  type GenerationReport,
  type LocalSearchJob,
  type PerturbationRequest,
  type TrainingAlgorithm
} from './types'

export interface Solution {
  genome: Float64Array
  evaluation: Evaluation
}

/**
 * MADS budgets for `jobs` calls that may spend `available` evaluations in all: each its `cap`, or, when
 * that does not fit, an equal share (the first ones one more). Null when not every call gets one.
 */
export function shareBudget(jobs: number, cap: number, available: number): number[] | null {
  if (jobs === 0) return []
  if (available < jobs) return null
  if (jobs * cap <= available) return new Array<number>(jobs).fill(cap)
  const each = Math.floor(available / jobs)
  const extra = available - each * jobs
  return Array.from({ length: jobs }, (_, i) => each + (i < extra ? 1 : 0))
}

/** What every algorithm's state holds besides its own fields. */
export interface BaseState {
  rng: RngState
  generation: number
  totalEvaluations: number
  /** The reported solution (see StatefulAlgorithm.solution). */
  best: Solution | null
}

/** What one generation of an algorithm hands back to the shared bookkeeping. */
export interface GenerationResult {
  /** Fitness of the individuals evaluated in this generation (for the population statistics). */
  fitness: ArrayLike<number>
  /** This generation's candidate solution (the fittest individual, the incumbent, or the ES mean θ). */
  candidate: Solution
  /** Evaluations spent in this generation. */
  evaluations: number
  /** Statistics, when they are not those of `fitness` (cfNOMAD). */
  stats?: { best: number; mean: number; worst: number }
}

export const copySolution = (s: Solution | null): Solution | null =>
  s && {
    genome: s.genome.slice(),
    evaluation: { fitness: s.evaluation.fitness, metrics: { ...s.evaluation.metrics } }
  }

/** Wraps the evaluator of one generation to add up rollout and MADS time, and the time spent waiting on it. */
class TimedEvaluator implements Evaluator {
  rolloutMs = 0
  madsMs = 0
  waitMs = 0
  constructor(private readonly inner: Evaluator) {}

  private async timed<T extends { timing: BatchTiming }>(work: Promise<T>): Promise<T> {
    const t0 = performance.now()
    const r = await work
    this.waitMs += performance.now() - t0
    this.rolloutMs += r.timing.rolloutMs
    this.madsMs += r.timing.madsMs
    return r
  }
  evaluate(genomes: Float64Array[]) {
    return this.timed(this.inner.evaluate(genomes))
  }
  localSearch(jobs: LocalSearchJob[]) {
    return this.timed(this.inner.localSearch(jobs))
  }
  evaluatePerturbations(req: PerturbationRequest) {
    return this.timed(this.inner.evaluatePerturbations(req))
  }
}

/**
 * The base of every algorithm, in the style of evosax's base `tell`: a subclass implements one
 * generation (`generate`); the generation counter, evaluation count, RNG state, best-so-far tracking,
 * fitness statistics and the time profile are done here, once for all. The complete state is one
 * structured-cloneable object `s`: snapshots are deep copies of it, and restoring replaces it, so a
 * restored run continues bit-identically.
 */
export abstract class StatefulAlgorithm<S extends BaseState> implements TrainingAlgorithm {
  abstract readonly name: AlgorithmName
  protected abstract s: S
  /**
   * How the reported solution follows the candidates: `best-ever` keeps the fittest candidate so far
   * (strictly better replaces it); `current` reports the latest candidate (the ES's mean θ).
   */
  protected readonly solution: 'best-ever' | 'current' = 'best-ever'

  /**
   * One generation: evaluate through `evaluator`, draw from `rng`, update the algorithm's own state, and
   * spend at most `limit` evaluations. Null (before any state change) when the generation does not fit.
   */
  protected abstract generate(evaluator: Evaluator, rng: Rng, limit: number): Promise<GenerationResult | null>
  abstract population(): Float64Array[]

  step(evaluator: Evaluator): Promise<GenerationReport>
  step(evaluator: Evaluator, maxEvaluations: number): Promise<GenerationReport | null>
  async step(evaluator: Evaluator, maxEvaluations = Infinity): Promise<GenerationReport | null> {
    const wall0 = performance.now()
    const timed = new TimedEvaluator(evaluator)
    const rng = Rng.fromState(this.s.rng)
    const r = await this.generate(timed, rng, maxEvaluations)
    if (r === null) return null
    if (r.evaluations > maxEvaluations)
      throw new Error(`${this.name} spent ${r.evaluations} evaluations, over its limit of ${maxEvaluations}`)
    const s = this.s
    s.rng = rng.getState()
    s.generation++
    s.totalEvaluations += r.evaluations
    if (this.solution === 'current' || !s.best || r.candidate.evaluation.fitness > s.best.evaluation.fitness)
      s.best = copySolution(r.candidate)
    const stats = r.stats ?? fitnessStats(r.fitness)
    const wallMs = performance.now() - wall0
    return {
      generation: s.generation,
      best: { fitness: s.best!.evaluation.fitness, metrics: { ...s.best!.evaluation.metrics } },
      bestFitness: stats.best,
      meanFitness: stats.mean,
      worstFitness: stats.worst,
      evaluations: r.evaluations,
      totalEvaluations: s.totalEvaluations,
      rolloutMs: timed.rolloutMs,
      madsMs: timed.madsMs,
      algorithmMs: Math.max(0, wallMs - timed.waitMs),
      wallMs
    }
  }

  best(): Solution | null {
    return copySolution(this.s.best)
  }

  generation(): number {
    return this.s.generation
  }

  snapshot(): AlgorithmSnapshot {
    return { algorithm: this.name, version: SNAPSHOT_VERSION, state: structuredClone(this.s) }
  }

  /** Replaces the state by a snapshot's. */
  restoreState(snapshot: AlgorithmSnapshot): this {
    if (snapshot.algorithm !== this.name)
      throw new Error(`cannot restore a ${snapshot.algorithm} snapshot into ${this.name}`)
    const state = snapshot.version === 1 ? upgradeV1(snapshot.state as V1State) : snapshot.state
    if (snapshot.version !== 1 && snapshot.version !== SNAPSHOT_VERSION)
      throw new Error(
        `unknown checkpoint version ${snapshot.version} (this Connectome Lab reads 1 and ${SNAPSHOT_VERSION})`
      )
    this.s = structuredClone(state as S)
    return this
  }
}

/** Snapshot v1 (schema v2 workspaces): worm evaluations with flat fields; cfNOMAD kept no `best`. */
interface V1Evaluation {
  fitness: number
  foodEaten: number
  reward: number
  l0: number
  l2: number
}
type V1State = Record<string, unknown> & {
  best?: { genome: Float64Array; evaluation: V1Evaluation } | null
  fitness?: (V1Evaluation | null)[]
  evaluation?: V1Evaluation | null
  incumbent?: Float64Array
}

const upgradeEvaluation = (e: V1Evaluation): Evaluation => ({
  fitness: e.fitness,
  metrics: { foodEaten: e.foodEaten, reward: e.reward, l0: e.l0, l2: e.l2 }
})

/** Converts a v1 state: every evaluation gets named metrics, and cfNOMAD's incumbent becomes `best`. */
function upgradeV1(v1: V1State): unknown {
  const s: Record<string, unknown> = { ...v1 }
  if (v1.fitness) s.fitness = v1.fitness.map((e) => (e ? upgradeEvaluation(e) : null))
  if (v1.evaluation !== undefined) s.evaluation = v1.evaluation ? upgradeEvaluation(v1.evaluation) : null
  if (v1.best) s.best = { genome: v1.best.genome, evaluation: upgradeEvaluation(v1.best.evaluation) }
  else if (v1.incumbent && v1.evaluation)
    s.best = { genome: v1.incumbent, evaluation: upgradeEvaluation(v1.evaluation) }
  else s.best = null
  return s
}
