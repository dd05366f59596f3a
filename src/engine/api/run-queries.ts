/** Read-only views of a run's genome: the worm replay (a traced rollout) and the connectome diff. */
import type { Environment } from '../../core/env/types'
import { WormEnvironment } from '../../core/env/worm'
import { WormHebbianEnvironment } from '../../core/env/worm-hebbian'
import { taskByName } from '../../core/tasks/tasks'
import type { RunDiffResponse, RunReplayResponse, WeightChange } from '../../shared/api'
import { LabError } from '../../shared/errors'
import type { MetricRow, RunRow } from '../store/store'
import { loadEnvironment } from '../environments'
import { describeRollout, tracedRollout } from './rollout'
import { summariseWeights } from './weight-trace'

export interface StoredGenome {
  generation: number
  weights: Float64Array
  fitness: number
}

function worm(env: Environment, row: RunRow, what: string): WormEnvironment {
  if (!(env instanceof WormEnvironment))
    throw new LabError(
      'unsupported',
      `run ${row.id} trains the ${row.environment} environment, which has no ${what}`
    )
  return env
}

export function replayOf(
  row: RunRow,
  env: Environment,
  g: StoredGenome,
  stored: MetricRow | undefined,
  /** Another food layout than the run's own (same model constants). */
  task?: string
): RunReplayResponse {
  const own = task === undefined || task === row.task
  const head = {
    task: task ?? row.task,
    genome: 'best' as const,
    runId: row.id,
    generation: g.generation,
    stored: { fitness: g.fitness, metrics: stored?.metrics ?? null }
  }
  if (env instanceof WormHebbianEnvironment) {
    // Another layout: the same rule, clipping and start weights on that layout's food (its own cached env).
    const h = own ? env : (loadEnvironment({ ...env.spec, task, food: undefined }) as WormHebbianEnvironment)
    const r = h.rollout(g.weights)
    return {
      ...head,
      connectomeId: h.connectome.id,
      ...describeRollout(h.worm.sim.params, r, h.worm.food),
      weights: summariseWeights(r.weights, h.connectome)
    }
  }
  const w = worm(env, row, 'arena replay')
  const food = own ? w.food : taskByName(task)
  return { ...head, connectomeId: w.connectome.id, ...tracedRollout(w.sim, g.weights, food) }
}

/** The genome a diff is taken against: another run's best (same layout), instead of W0. */
export interface DiffBase {
  row: RunRow
  genome: StoredGenome
}

/** Refuses a baseline run that does not share `row`'s connectome and genome layout. */
export function checkDiffBase(row: RunRow, env: Environment, base: RunRow, baseEnv: Environment): void {
  const a = worm(env, row, 'connectome diff').connectome
  if (!(baseEnv instanceof WormEnvironment))
    throw new LabError(
      'not-allowed',
      `against: run ${base.id} trains the ${base.environment} environment, which has no connectome to diff with run ${row.id}`
    )
  if (baseEnv.connectome.id !== a.id || base.layoutHash !== row.layoutHash)
    throw new LabError(
      'not-allowed',
      `against: run ${base.id} was trained on ${baseEnv.connectome.id} (layout ${base.layoutHash}), run ${row.id} on ${a.id} (layout ${row.layoutHash}); a diff needs the same connectome and genome layout`
    )
}

/** W − W0 of a run's best genome, or W_A − W_B against `base` (checked with checkDiffBase first). */
export function diffOf(
  row: RunRow,
  env: Environment,
  g: StoredGenome,
  limit: number,
  base?: DiffBase
): RunDiffResponse {
  const c = worm(env, row, 'connectome diff').connectome
  const w = g.weights
  const ref = base ? base.genome.weights : c.w0
  const changed: WeightChange[] = []
  let sq = 0
  let increased = 0
  let decreased = 0
  let signFlips = 0
  for (let k = 0; k < w.length; k++) {
    const delta = w[k] - ref[k]
    if (delta === 0) continue
    sq += delta * delta
    if (delta > 0) increased++
    else decreased++
    if (Math.sign(w[k]) !== Math.sign(ref[k])) signFlips++
    changed.push({ index: k, pre: c.pre[k], post: c.post[k], w0: c.w0[k], w: w[k], delta, base: ref[k] })
  }
  changed.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.index - b.index)
  return {
    runId: row.id,
    generation: g.generation,
    connectomeId: c.id,
    total: changed.length,
    l2: Math.sqrt(sq),
    maxAbsDelta: changed.length ? Math.abs(changed[0].delta) : 0,
    increased,
    decreased,
    signFlips,
    changes: changed.slice(0, limit),
    against: base ? { runId: base.row.id, generation: base.genome.generation } : null
  }
}
