import { Rng } from '../util/rng'
import { StatefulAlgorithm, type BaseState, type GenerationResult } from './base'
import type { CfnomadConfig } from './config'
import { mutate } from './genetic'
import type { Evaluation, Evaluator } from './types'

interface CfState extends BaseState {
  incumbent: Float64Array
  evaluation: Evaluation | null
  /** Coordinates mutated so far, ascending. */
  mutated: number[]
}

/**
 * cfNOMAD baseline: one incumbent from W0, no crossover. Every `mutateEvery`-th generation (generation
 * 0 included) 2 uniformly drawn coordinates get U(−20, 20) values; every generation MADS runs on the
 * coordinates mutated so far while there are fewer than 50, otherwise the candidate is only evaluated.
 * The incumbent is kept unless the new point is strictly better.
 */
export class CfNomad extends StatefulAlgorithm<CfState> {
  readonly name = 'cfnomad' as const
  protected s: CfState

  constructor(
    private readonly config: CfnomadConfig,
    prior: Float64Array,
    seed: number
  ) {
    super()
    this.s = {
      rng: new Rng(seed).getState(),
      generation: 0,
      totalEvaluations: 0,
      incumbent: prior.slice(),
      best: null,
      evaluation: null,
      mutated: []
    }
  }

  population(): Float64Array[] {
    return [this.s.incumbent.slice()]
  }
  protected async generate(evaluator: Evaluator, rng: Rng, limit: number): Promise<GenerationResult | null> {
    const c = this.config
    // The incumbent's own first evaluation, then one MADS call (or one evaluation): all within `limit`,
    // decided before any state changes.
    const initial = this.s.evaluation === null ? 1 : 0
    if (initial + 1 > limit) return null
    const candidate = this.s.incumbent.slice()
    let mutated = this.s.mutated
    if (this.s.generation % c.mutateEvery === 0) {
      const coords = mutate(rng, candidate, c.mutateCount, c.mutationLow, c.mutationHigh)
      const set = new Set(mutated)
      coords.forEach((k) => set.add(k))
      mutated = [...set].sort((a, b) => a - b)
    }
    let evaluations = 0
    if (this.s.evaluation === null) {
      const { results } = await evaluator.evaluate([this.s.incumbent])
      this.s.evaluation = results[0]
      evaluations++
    }
    this.s.mutated = mutated
    let next: { genome: Float64Array; evaluation: Evaluation }
    if (mutated.length > 0 && mutated.length <= c.maxMutatedSet) {
      const job = {
        genome: candidate,
        coords: Int32Array.from(mutated),
        bound: c.madsBound,
        maxEvaluations: Math.min(c.madsEvaluations, limit - evaluations),
        blockSize: c.madsBlockSize,
        seed: rng.nextUint32()
      }
      const { outcomes } = await evaluator.localSearch([job])
      next = outcomes[0]
      evaluations += outcomes[0].evaluations
    } else {
      const { results } = await evaluator.evaluate([candidate])
      next = { genome: candidate, evaluation: results[0] }
      evaluations++
    }
    const candidateFitness = next.evaluation.fitness
    if (candidateFitness > this.s.evaluation.fitness) {
      this.s.incumbent = next.genome
      this.s.evaluation = next.evaluation
    }
    const best = this.s.evaluation.fitness
    return {
      fitness: [candidateFitness],
      candidate: { genome: this.s.incumbent, evaluation: this.s.evaluation },
      evaluations,
      stats: {
        best: Math.max(best, candidateFitness),
        mean: candidateFitness,
        worst: Math.min(best, candidateFitness)
      }
    }
  }
}
