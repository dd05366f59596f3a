import { madsMinimizeSync } from '../mads/mads'
import type { Environment } from '../env/types'
import { perturbation } from './noise'
import type {
  BatchTiming,
  Evaluation,
  LocalSearchJob,
  LocalSearchOutcome,
  PerturbationRequest
} from './types'

/**
 * The work units behind every Evaluator, run wherever the environment lives (this process or a pool
 * worker). All are deterministic functions of their inputs.
 */

export function runEvaluations(
  env: Environment,
  genomes: Float64Array[]
): { results: Evaluation[]; timing: BatchTiming } {
  const t0 = performance.now()
  const results = genomes.map((g) => env.evaluate(g))
  return { results, timing: { rolloutMs: performance.now() - t0, madsMs: 0 } }
}

/**
 * [θ,] θ+σε_j, θ−σε_j for j in [first, first + pairs), ε_j regenerated from the seed; one buffer reused.
 * With `penalty`, each perturbed candidate's fitness is lowered by penalty·mean(candidate²) (not θ's).
 */
export function runPerturbations(
  env: Environment,
  req: PerturbationRequest
): { results: Evaluation[]; timing: BatchTiming } {
  const t0 = performance.now()
  const { center, sigma } = req
  const S = center.length
  const results: Evaluation[] = []
  if (req.includeCenter) results.push(env.evaluate(center))
  const eps = new Float64Array(S)
  const cand = new Float64Array(S)
  const penalty = req.penalty ?? 0
  const run = (): Evaluation => {
    const r = env.evaluate(cand)
    if (penalty === 0) return r
    let sq = 0
    for (let k = 0; k < S; k++) sq += cand[k] * cand[k]
    return { fitness: r.fitness - penalty * (S > 0 ? sq / S : 0), metrics: r.metrics }
  }
  for (let j = req.first; j < req.first + req.pairs; j++) {
    perturbation(req.seed, j, eps)
    for (let k = 0; k < S; k++) cand[k] = center[k] + sigma * eps[k]
    results.push(run())
    for (let k = 0; k < S; k++) cand[k] = center[k] - sigma * eps[k]
    results.push(run())
  }
  return { results, timing: { rolloutMs: performance.now() - t0, madsMs: 0 } }
}

/** One MADS call on `job.coords` of `job.genome`, maximizing fitness. */
export function runLocalSearch(env: Environment, job: LocalSearchJob): LocalSearchOutcome {
  const t0 = performance.now()
  const { coords, bound } = job
  const n = coords.length
  const work = job.genome.slice()
  const x0 = new Float64Array(n)
  const lower = new Float64Array(n)
  const upper = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    x0[j] = work[coords[j]]
    lower[j] = x0[j] - bound
    upper[j] = x0[j] + bound
  }
  let rolloutMs = 0
  let best: Evaluation | null = null
  const objective = (x: Float64Array): number => {
    for (let j = 0; j < n; j++) work[coords[j]] = x[j]
    const r0 = performance.now()
    const r = env.evaluate(work)
    rolloutMs += performance.now() - r0
    if (best === null || r.fitness > best.fitness) best = r
    return -r.fitness
  }
  const res = madsMinimizeSync(objective, x0, {
    lower,
    upper,
    maxEvaluations: job.maxEvaluations,
    blockSize: job.blockSize ?? 1,
    seed: job.seed
  })
  const genome = job.genome.slice()
  for (let j = 0; j < n; j++) genome[coords[j]] = res.x[j]
  // MADS's best point is the best evaluated point, whose summary the objective kept.
  const evaluation = best as Evaluation | null
  if (!evaluation || evaluation.fitness !== -res.f)
    throw new Error('local search: MADS result does not match its best evaluation')
  const total = performance.now() - t0
  return { genome, evaluation, evaluations: res.evaluations, rolloutMs, madsMs: total - rolloutMs }
}
