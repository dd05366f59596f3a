/**
 * The contract between the training algorithms and whatever runs their evaluations. Algorithms see only
 * an Evaluator (in process: evaluator.ts; or the engine's child-process pool) and the genome length: never
 * the environment, the pool or the worm. Work is handed over in coarse batches: many genomes, many whole
 * MADS local searches, or one centre genome with seeded perturbations.
 */
import type { Evaluation } from '../env/types'

export type { Evaluation }

/** A MADS local search on some coordinates of a genome (maximizing fitness, i.e. minimizing −fitness). */
export interface LocalSearchJob {
  genome: Float64Array
  /** Genome coordinates that MADS may move (distinct). */
  coords: Int32Array
  /** Box half-width around the current values of those coordinates. */
  bound: number
  maxEvaluations: number
  /** MADS points evaluated per block (NOMAD BB_MAX_BLOCK_SIZE); 1 when absent. */
  blockSize?: number
  seed: number
}

export interface LocalSearchOutcome {
  /** The best genome found (the input genome with `coords` replaced). */
  genome: Float64Array
  evaluation: Evaluation
  evaluations: number
  /** Time spent in rollouts and in MADS itself, ms. */
  rolloutMs: number
  madsMs: number
}

/**
 * Mirrored Gaussian perturbations of a centre genome θ: the candidates θ + σε_j and θ − σε_j for
 * j ∈ [first, first + pairs), where ε_j is regenerated from (seed, j) by `perturbation` (noise.ts).
 * Only θ and a few numbers cross to a worker, whatever the population size.
 */
export interface PerturbationRequest {
  center: Float64Array
  sigma: number
  seed: number
  first: number
  pairs: number
  /** Also evaluate θ itself (its result comes first). */
  includeCenter: boolean
  /**
   * Subtracted from each perturbed candidate's fitness as penalty·mean(candidate²), computed where the
   * candidate exists (the worker): the Hebbian ES's coefficient penalty (seed 002's authors, 0.01). The
   * centre θ is evaluated without it. Absent = 0.
   */
  penalty?: number
}

export interface BatchTiming {
  rolloutMs: number
  madsMs: number
}

export interface Evaluator {
  /** Evaluates genomes; results in input order. */
  evaluate(genomes: Float64Array[]): Promise<{ results: Evaluation[]; timing: BatchTiming }>
  /** Runs independent MADS local searches; outcomes in input order. */
  localSearch(jobs: LocalSearchJob[]): Promise<{ outcomes: LocalSearchOutcome[]; timing: BatchTiming }>
  /** Evaluates [θ,] θ+σε_first, θ−σε_first, θ+σε_first+1, ... in that order. */
  evaluatePerturbations(req: PerturbationRequest): Promise<{ results: Evaluation[]; timing: BatchTiming }>
}

/** One generation's report, common to every algorithm (built once, by StatefulAlgorithm.step). */
export interface GenerationReport {
  generation: number
  /** The algorithm's current solution: the best individual so far, the incumbent, or the ES mean θ evaluated in this generation. */
  best: Evaluation
  /** Fitness statistics of the population evaluated in this generation. */
  bestFitness: number
  meanFitness: number
  worstFitness: number
  /** Evaluations used in this generation and in total. */
  evaluations: number
  totalEvaluations: number
  /** Where this generation's time went, ms: rollouts, MADS bookkeeping, and the algorithm's own work. */
  rolloutMs: number
  madsMs: number
  algorithmMs: number
  wallMs: number
}

/** Every training algorithm: init with a config and a seed, then step generation by generation. */
export interface TrainingAlgorithm {
  readonly name: AlgorithmName
  /**
   * One generation. With `maxEvaluations`, the generation spends at most that many evaluations (a run's
   * remaining rollout budget): MADS calls share what is left, and null means that not even the generation's
   * fixed evaluations fit, so the run is over (nothing changed).
   */
  step(evaluator: Evaluator): Promise<GenerationReport>
  step(evaluator: Evaluator, maxEvaluations: number): Promise<GenerationReport | null>
  /** The current solution and its evaluation, as in the report (null before the first generation). */
  best(): { genome: Float64Array; evaluation: Evaluation } | null
  /** The current population (for exports); single-solution algorithms return one genome. */
  population(): Float64Array[]
  /** Complete state, RNG included; structured-cloneable (typed arrays, numbers, plain objects). */
  snapshot(): AlgorithmSnapshot
  generation(): number
}

export type AlgorithmName = 'renomad' | 'menomad' | 'ea' | 'es' | 'cfnomad' | 'renomad-random' | 'hebbian-es'

/** Version 2: evaluations carry named metrics, and the base state holds the solution. */
export const SNAPSHOT_VERSION = 2

export interface AlgorithmSnapshot {
  algorithm: AlgorithmName
  version: number
  state: unknown
}
