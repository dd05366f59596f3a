import type { RolloutResult, WormSimulator } from '../model/rollout'
import type { Task } from '../tasks/tasks'
import { madsMinimizeSync } from '../mads/mads'
import type { BatchTiming, Evaluation, LocalSearchJob, LocalSearchOutcome } from './types'

/**
 * The work units behind every Evaluator, run wherever the simulator lives (this process or a pool
 * worker). Both are deterministic functions of their inputs.
 */

export const toEvaluation = (r: RolloutResult): Evaluation => ({
  fitness: r.fitness,
  foodEaten: r.foodEaten,
  reward: r.reward,
  l0: r.l0,
  l2: r.l2
})

export function runEvaluations(
  sim: WormSimulator,
  task: Task,
  genomes: Float64Array[]
): { results: Evaluation[]; timing: BatchTiming } {
  const t0 = performance.now()
  const results = genomes.map((g) => toEvaluation(sim.run(g, task)))
  return { results, timing: { rolloutMs: performance.now() - t0, madsMs: 0 } }
}

/** One MADS call on `job.coords` of `job.genome`, maximizing fitness. */
export function runLocalSearch(sim: WormSimulator, task: Task, job: LocalSearchJob): LocalSearchOutcome {
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
    const r = sim.run(work, task)
    rolloutMs += performance.now() - r0
    if (best === null || r.fitness > best.fitness) best = toEvaluation(r)
    return -r.fitness
  }
  const res = madsMinimizeSync(objective, x0, {
    lower,
    upper,
    maxEvaluations: job.maxEvaluations,
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
