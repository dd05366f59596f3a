import { mean, standardDeviation } from 'simple-statistics'
import { Rng } from '../util/rng'
import { StatefulAlgorithm, type BaseState, type GenerationResult, type Solution } from './base'
import type { HebbianEsConfig } from './hebbian-es-config'
import { perturbation } from './noise'
import { centredRanks } from './openai-es'
import type { Evaluation, Evaluator } from './types'

interface HebbianEsState extends BaseState {
  /** The centre h (the Hebbian coefficients, or the static network's weights). */
  h: Float64Array
  /** The current learning rate α and noise scale σ (both decay every generation). */
  alpha: number
  sigma: number
}

/**
 * The authors' fitness shaping [H evolution_strategy_hebb.py]: centred ranks rank/(n−1) − 0.5 (rank 0 =
 * the worst), then standardised to (r − mean)/std (population std, numpy's default).
 */
export function shapeFitness(fitness: ArrayLike<number>): Float64Array {
  const r = centredRanks(fitness)
  if (r.length < 2) return r
  const values = Array.from(r)
  const m = mean(values)
  const sd = standardDeviation(values)
  return r.map((x) => (sd > 0 ? (x - m) / sd : 0))
}

/**
 * The ES of Najarro & Risi (paper seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt §3.1, §4; facts from
 * the authors' code in /work/shared/docs/hebbian-environments.md §2): plain OpenAI-ES without Adam.
 *  - n/2 mirrored, interleaved perturbations [h + σε₁, h − σε₁, h + σε₂, …], regenerated from a seed in the
 *    workers (evaluator.evaluatePerturbations), never sent as vectors;
 *  - fitness of a candidate = one episode − coefficientPenalty·mean(candidate²), the penalty applied in the
 *    worker (PerturbationRequest.penalty);
 *  - shaping: standardised centred ranks (shapeFitness);
 *  - h += α/(nσ)·Σ_k ε_k r̃_k (the paper's F_i·(h + σε_i) is a typo, spec §2); then α ×= alphaDecay while
 *    α > alphaFloor, σ ×= sigmaDecay while σ > sigmaFloor.
 * Departures: f64 throughout (the authors: f32); h is evaluated (without the penalty) every generation, for
 * the learning curve and the reported solution (1 rollout more per generation; the authors log only the
 * population mean); the solution is the current centre, not the best individual (as the authors save h).
 * `report: 'best'` reports the fittest individual evaluated so far instead (centre or perturbation, its genome
 * rebuilt from the seed), compared on the fitness without the penalty: meaningful where a rollout is
 * deterministic (the worm on W0), so that the best individual's score is its score.
 */
export class HebbianEs extends StatefulAlgorithm<HebbianEsState> {
  readonly name = 'hebbian-es' as const
  protected s: HebbianEsState
  protected override readonly solution: 'best-ever' | 'current'

  constructor(
    private readonly config: HebbianEsConfig,
    prior: Float64Array,
    seed: number
  ) {
    super()
    this.solution = config.report === 'best' ? 'best-ever' : 'current'
    const rng = new Rng(seed)
    const S = prior.length
    // The initial centre. The authors' code draws h ~ N(0, 1) by default (`normal`, or U(−1, 1) with
    // `uniform`) [H evolution_strategy_hebb.py]; the paper says h ∈ U[0, 1] [P §3.1]. We follow the code;
    // 'prior' starts at the environment's own starting genome instead.
    const h =
      config.init === 'prior'
        ? prior.slice()
        : config.init === 'uniform'
          ? Float64Array.from({ length: S }, () => rng.uniform(-1, 1))
          : Float64Array.from({ length: S }, () => rng.normal())
    this.s = {
      rng: rng.getState(),
      generation: 0,
      totalEvaluations: 0,
      h,
      alpha: config.learningRate,
      sigma: config.sigma,
      best: null
    }
  }

  population(): Float64Array[] {
    return [this.s.h.slice()]
  }

  protected async generate(evaluator: Evaluator, rng: Rng, limit: number): Promise<GenerationResult | null> {
    const c = this.config
    const n = c.populationSize
    if (n + 1 > limit) return null // h and its perturbations, or nothing
    const s = this.s
    const { h, alpha, sigma } = s
    const S = h.length
    const pairs = n / 2
    const seed = rng.nextUint32()
    const { results } = await evaluator.evaluatePerturbations({
      center: h,
      sigma,
      seed,
      first: 0,
      pairs,
      includeCenter: true,
      penalty: c.coefficientPenalty
    })
    const popFitness = results.slice(1).map((r) => r.fitness)
    const candidate =
      c.report === 'best' ? this.fittest(results, seed, sigma) : { genome: h.slice(), evaluation: results[0] }
    const shaped = shapeFitness(popFitness)
    // Σ_k ε_k r̃_k over the interleaved population: pair j contributes (r̃⁺ − r̃⁻)·ε_j, ε_j regenerated
    // from the seed exactly as the workers drew it.
    const g = new Float64Array(S)
    const e = new Float64Array(S)
    for (let j = 0; j < pairs; j++) {
      const w = shaped[2 * j] - shaped[2 * j + 1]
      if (w === 0) continue
      perturbation(seed, j, e)
      for (let k = 0; k < S; k++) g[k] += w * e[k]
    }
    const step = alpha / (n * sigma)
    for (let k = 0; k < S; k++) h[k] += step * g[k]
    if (alpha > c.alphaFloor) s.alpha = alpha * c.alphaDecay
    if (sigma > c.sigmaFloor) s.sigma = sigma * c.sigmaDecay
    return { fitness: popFitness, candidate, evaluations: results.length }
  }

  /**
   * The fittest of the centre (results[0], evaluated without the penalty) and its perturbations h ± σε_j
   * (results[1 + 2j], results[2 + 2j], penalised in the worker), all compared without the penalty.
   */
  private fittest(results: Evaluation[], seed: number, sigma: number): Solution {
    const { h } = this.s
    const penalty = this.config.coefficientPenalty
    const S = h.length
    const e = new Float64Array(S)
    let best = -1 // −1: the centre
    let bestFitness = results[0].fitness
    for (let j = 0; 2 * j + 2 < results.length; j++) {
      perturbation(seed, j, e)
      for (const sign of [1, -1]) {
        let sq = 0
        for (let k = 0; k < S; k++) {
          const g = h[k] + sign * sigma * e[k]
          sq += g * g
        }
        const raw = results[sign > 0 ? 1 + 2 * j : 2 + 2 * j].fitness + (penalty * sq) / S
        if (raw > bestFitness) {
          bestFitness = raw
          best = sign > 0 ? 2 * j : 2 * j + 1
        }
      }
    }
    if (best < 0) return { genome: h.slice(), evaluation: results[0] }
    perturbation(seed, best >> 1, e)
    const sign = best % 2 === 0 ? 1 : -1
    const genome = Float64Array.from(h, (x, k) => x + sign * sigma * e[k])
    const r = results[1 + best]
    return { genome, evaluation: { ...r, fitness: bestFitness } }
  }

  /** The current α and σ (after this many generations' decays). */
  rates(): { alpha: number; sigma: number } {
    return { alpha: this.s.alpha, sigma: this.s.sigma }
  }
}
