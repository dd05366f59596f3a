import { Rng } from '../util/rng'
import { copySolution, StatefulAlgorithm, type BaseState, type Solution } from './base'
import type { EsConfig } from './config'
import { fitnessStats } from './genetic'
import type { Evaluator, GenerationReport } from './types'

interface EsState extends BaseState {
  theta: Float64Array
  m: Float64Array
  v: Float64Array
  /** The last evaluated θ and its evaluation. */
  best: Solution | null
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

  constructor(
    private readonly config: EsConfig,
    private readonly w0: Float64Array,
    seed: number
  ) {
    super()
    const S = w0.length
    this.s = {
      rng: new Rng(seed).getState(),
      generation: 0,
      totalEvaluations: 0,
      theta: w0.slice(),
      m: new Float64Array(S),
      v: new Float64Array(S),
      best: null
    }
  }

  best() {
    return copySolution(this.s.best)
  }
  population(): Float64Array[] {
    return [this.s.theta.slice()]
  }

  /** The mirrored perturbations of one generation: ε_j for j < n/2 (the pair is θ + σε_j, θ − σε_j). */
  static samplePerturbations(rng: Rng, pairs: number, dim: number): Float64Array[] {
    const eps: Float64Array[] = []
    for (let j = 0; j < pairs; j++) {
      const e = new Float64Array(dim)
      for (let k = 0; k < dim; k++) e[k] = rng.normal()
      eps.push(e)
    }
    return eps
  }

  async step(evaluator: Evaluator): Promise<GenerationReport> {
    const wall0 = performance.now()
    let mark = wall0
    const c = this.config
    const rng = Rng.fromState(this.s.rng)
    const { theta, m, v } = this.s
    const S = theta.length
    const pairs = c.populationSize / 2
    const eps = OpenAiEs.samplePerturbations(rng, pairs, S)
    const candidates: Float64Array[] = [theta.slice()]
    for (const e of eps) {
      const plus = new Float64Array(S)
      const minus = new Float64Array(S)
      for (let k = 0; k < S; k++) {
        plus[k] = theta[k] + c.sigma * e[k]
        minus[k] = theta[k] - c.sigma * e[k]
      }
      candidates.push(plus, minus)
    }
    let algorithmMs = performance.now() - mark
    const { results, timing } = await evaluator.evaluate(candidates)
    mark = performance.now()

    const thetaEval = results[0]
    // The ES's solution is its mean θ (Salimans et al. report θ): the last evaluated θ, not the fittest
    // ever, which the cardinality penalty would pin to W0 after the first step.
    this.s.best = { genome: theta.slice(), evaluation: { ...thetaEval } }
    const popFitness = results.slice(1).map((r) => r.fitness)
    const ranks = centredRanks(popFitness)
    // g = 1/(nσ) Σ_i rank_i ε_i, with the mirrored pair contributing (r+ − r−) ε_j.
    const g = new Float64Array(S)
    for (let j = 0; j < pairs; j++) {
      const w = ranks[2 * j] - ranks[2 * j + 1]
      const e = eps[j]
      for (let k = 0; k < S; k++) g[k] += w * e[k]
    }
    const scale = 1 / (c.populationSize * c.sigma)
    const t = this.s.generation + 1
    const bc1 = 1 - Math.pow(c.beta1, t)
    const bc2 = 1 - Math.pow(c.beta2, t)
    for (let k = 0; k < S; k++) {
      const gk = g[k] * scale - c.weightDecay * (theta[k] - this.w0[k])
      m[k] = c.beta1 * m[k] + (1 - c.beta1) * gk
      v[k] = c.beta2 * v[k] + (1 - c.beta2) * gk * gk
      theta[k] += (c.learningRate * (m[k] / bc1)) / (Math.sqrt(v[k] / bc2) + c.adamEpsilon)
    }
    const stats = fitnessStats(popFitness)
    this.s.rng = rng.getState()
    this.s.generation = t
    this.s.totalEvaluations += candidates.length
    algorithmMs += performance.now() - mark
    return {
      generation: t,
      best: { ...thetaEval },
      bestFitness: stats.best,
      meanFitness: stats.mean,
      worstFitness: stats.worst,
      evaluations: candidates.length,
      totalEvaluations: this.s.totalEvaluations,
      rolloutMs: timing.rolloutMs,
      madsMs: 0,
      algorithmMs,
      wallMs: performance.now() - wall0
    }
  }
}
