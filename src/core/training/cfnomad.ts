import { Rng } from '../util/rng'
import { copySolution, StatefulAlgorithm, type BaseState } from './base'
import type { CfnomadConfig } from './config'
import { mutate } from './genetic'
import type { Evaluation, Evaluator, GenerationReport } from './types'

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
    w0: Float64Array,
    seed: number
  ) {
    super()
    this.s = {
      rng: new Rng(seed).getState(),
      generation: 0,
      totalEvaluations: 0,
      incumbent: w0.slice(),
      evaluation: null,
      mutated: []
    }
  }

  best() {
    return copySolution(this.s.evaluation && { genome: this.s.incumbent, evaluation: this.s.evaluation })
  }
  population(): Float64Array[] {
    return [this.s.incumbent.slice()]
  }
  async step(evaluator: Evaluator): Promise<GenerationReport> {
    const wall0 = performance.now()
    let mark = wall0
    const c = this.config
    const rng = Rng.fromState(this.s.rng)
    let evaluations = 0
    let rolloutMs = 0
    let madsMs = 0
    if (this.s.evaluation === null) {
      const { results, timing } = await evaluator.evaluate([this.s.incumbent])
      this.s.evaluation = results[0]
      evaluations++
      rolloutMs += timing.rolloutMs
      mark = performance.now()
    }
    const candidate = this.s.incumbent.slice()
    if (this.s.generation % c.mutateEvery === 0) {
      const coords = mutate(rng, candidate, c.mutateCount, c.mutationLow, c.mutationHigh)
      const set = new Set(this.s.mutated)
      coords.forEach((k) => set.add(k))
      this.s.mutated = [...set].sort((a, b) => a - b)
    }
    let algorithmMs = performance.now() - mark
    let next: { genome: Float64Array; evaluation: Evaluation }
    if (this.s.mutated.length > 0 && this.s.mutated.length <= c.maxMutatedSet) {
      const job = {
        genome: candidate,
        coords: Int32Array.from(this.s.mutated),
        bound: c.madsBound,
        maxEvaluations: c.madsEvaluations,
        seed: rng.nextUint32()
      }
      const { outcomes, timing } = await evaluator.localSearch([job])
      next = outcomes[0]
      evaluations += outcomes[0].evaluations
      rolloutMs += timing.rolloutMs
      madsMs += timing.madsMs
    } else {
      const { results, timing } = await evaluator.evaluate([candidate])
      next = { genome: candidate, evaluation: results[0] }
      evaluations++
      rolloutMs += timing.rolloutMs
    }
    mark = performance.now()
    const candidateFitness = next.evaluation.fitness
    if (candidateFitness > (this.s.evaluation as Evaluation).fitness) {
      this.s.incumbent = next.genome
      this.s.evaluation = next.evaluation
    }
    this.s.rng = rng.getState()
    this.s.generation++
    this.s.totalEvaluations += evaluations
    algorithmMs += performance.now() - mark
    const best = this.s.evaluation as Evaluation
    return {
      generation: this.s.generation,
      best: { ...best },
      bestFitness: Math.max(best.fitness, candidateFitness),
      meanFitness: candidateFitness,
      worstFitness: Math.min(best.fitness, candidateFitness),
      evaluations,
      totalEvaluations: this.s.totalEvaluations,
      rolloutMs,
      madsMs,
      algorithmMs,
      wallMs: performance.now() - wall0
    }
  }
}
