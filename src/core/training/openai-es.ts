import { Rng } from '../util/rng'
import { StatefulAlgorithm, type BaseState, type GenerationResult } from './base'
import type { EsConfig } from './config'
import { perturbation } from './noise'
import type { Evaluator } from './types'

interface EsState extends BaseState {
  theta: Float64Array
  m: Float64Array
  v: Float64Array
}

/**
 * Centred ranks (Salimans et al. 2017): rank i of n mapped to i/(n−1) − 1/2, so shaped fitness lies in
 * [−0.5, 0.5] and sums to zero. Ties get consecutive ranks in population order.
 */
export function centredRanks(fitness: ArrayLike<number>): Float64Array {
  const n = fitness.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => fitness[a] - fitness[b] || a - b)
  const out = new Float64Array(n)
  order.forEach((idx, rank) => (out[idx] = n > 1 ? rank / (n - 1) - 0.5 : 0))
  return out
}

/**
 * OpenAI-ES baseline: mirrored Gaussian perturbations θ ± σε, centred-rank shaping, the gradient
 * g = (1/(nσ)) Σ rankᵢ εᵢ applied with Adam (ascent) plus L2 decay of θ towards W0 (choice: towards the
 * biological prior rather than 0). θ starts at W0 and is evaluated every generation.
 */
export class OpenAiEs extends StatefulAlgorithm<EsState> {
  readonly name = 'es' as const
  protected s: EsState
  protected override readonly solution = 'current' as const

  constructor(
    private readonly config: EsConfig,
    private readonly prior: Float64Array,
    seed: number
  ) {
    super()
    const S = prior.length
    this.s = {
      rng: new Rng(seed).getState(),
      generation: 0,
      totalEvaluations: 0,
      theta: prior.slice(),
      m: new Float64Array(S),
      v: new Float64Array(S),
      best: null
    }
  }

  population(): Float64Array[] {
    return [this.s.theta.slice()]
  }

  protected async generate(evaluator: Evaluator, rng: Rng, limit: number): Promise<GenerationResult | null> {
    const c = this.config
    if (c.populationSize + 1 > limit) return null // θ and its perturbations, or nothing
    const { theta, m, v } = this.s
    const S = theta.length
    const pairs = c.populationSize / 2
    const seed = rng.nextUint32()
    const { results } = await evaluator.evaluatePerturbations({
      center: theta,
      sigma: c.sigma,
      seed,
      first: 0,
      pairs,
      includeCenter: true
    })
    // The ES's solution is its mean θ (Salimans et al. report θ): the last evaluated θ, not the fittest
    // ever, which the cardinality penalty would pin to the prior after the first step.
    const candidate = { genome: theta.slice(), evaluation: results[0] }
    const popFitness = results.slice(1).map((r) => r.fitness)
    const ranks = centredRanks(popFitness)
    // g = 1/(nσ) Σ_i rank_i ε_i, with the mirrored pair contributing (r+ − r−) ε_j; ε_j is regenerated
    // from the seed, as the workers did.
    const g = new Float64Array(S)
    const e = new Float64Array(S)
    for (let j = 0; j < pairs; j++) {
      const w = ranks[2 * j] - ranks[2 * j + 1]
      if (w === 0) continue
      perturbation(seed, j, e)
      for (let k = 0; k < S; k++) g[k] += w * e[k]
    }
    const scale = 1 / (c.populationSize * c.sigma)
    const t = this.s.generation + 1
    const bc1 = 1 - Math.pow(c.beta1, t)
    const bc2 = 1 - Math.pow(c.beta2, t)
    for (let k = 0; k < S; k++) {
      const gk = g[k] * scale - c.weightDecay * (theta[k] - this.prior[k])
      m[k] = c.beta1 * m[k] + (1 - c.beta1) * gk
      v[k] = c.beta2 * v[k] + (1 - c.beta2) * gk * gk
      theta[k] += (c.learningRate * (m[k] / bc1)) / (Math.sqrt(v[k] / bc2) + c.adamEpsilon)
    }
    return { fitness: popFitness, candidate, evaluations: results.length }
  }
}
