import type { RngState } from '../util/rng'
import type {
  AlgorithmName,
  AlgorithmSnapshot,
  Evaluation,
  Evaluator,
  GenerationReport,
  TrainingAlgorithm
} from './types'

/** What every algorithm's state holds besides its own fields. */
export interface BaseState {
  rng: RngState
  generation: number
  totalEvaluations: number
}

export interface Solution {
  genome: Float64Array
  evaluation: Evaluation
}

export const copySolution = (s: Solution | null): Solution | null =>
  s && { genome: s.genome.slice(), evaluation: { ...s.evaluation } }

/**
 * An algorithm whose complete state is one structured-cloneable object `s`: snapshots are deep copies
 * of it, and restoring replaces it, so a restored run continues bit-identically.
 */
export abstract class StatefulAlgorithm<S extends BaseState> implements TrainingAlgorithm {
  abstract readonly name: AlgorithmName
  protected abstract s: S

  abstract step(evaluator: Evaluator): Promise<GenerationReport>
  abstract best(): Solution | null
  abstract population(): Float64Array[]

  generation(): number {
    return this.s.generation
  }

  snapshot(): AlgorithmSnapshot {
    return { algorithm: this.name, version: 1, state: structuredClone(this.s) }
  }

  /** Replaces the state by a snapshot's. */
  restoreState(snapshot: AlgorithmSnapshot): this {
    if (snapshot.algorithm !== this.name || snapshot.version !== 1) {
      throw new Error(
        `cannot restore a ${snapshot.algorithm} v${snapshot.version} snapshot into ${this.name}`
      )
    }
    this.s = structuredClone(snapshot.state as S)
    return this
  }
}
