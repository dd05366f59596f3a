/** Read-only views of a run's genome: the worm replay (a traced rollout) and the connectome diff. */
import type { Environment } from '../../core/env/types'
import { WormEnvironment } from '../../core/env/worm'
import { taskByName } from '../../core/tasks/tasks'
import type { RunDiffResponse, RunReplayResponse, WeightChange } from '../../shared/api'
import { LabError } from '../../shared/errors'
import type { MetricRow, RunRow } from '../store/store'
import { tracedRollout } from './rollout'

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
  const w = worm(env, row, 'arena replay')
  const food = task === undefined || task === row.task ? w.food : taskByName(task)
  return {
    task: task ?? row.task,
    connectomeId: w.connectome.id,
    genome: 'best',
    runId: row.id,
    generation: g.generation,
    stored: { fitness: g.fitness, metrics: stored?.metrics ?? null },
    ...tracedRollout(w.sim, g.weights, food)
  }
}

export function diffOf(row: RunRow, env: Environment, g: StoredGenome, limit: number): RunDiffResponse {
  const c = worm(env, row, 'connectome diff').connectome
  const w = g.weights
  const changed: WeightChange[] = []
  let sq = 0
  let increased = 0
  let decreased = 0
  let signFlips = 0
  for (let k = 0; k < w.length; k++) {
    const delta = w[k] - c.w0[k]
    if (delta === 0) continue
    sq += delta * delta
    if (delta > 0) increased++
    else decreased++
    if (Math.sign(w[k]) !== Math.sign(c.w0[k])) signFlips++
    changed.push({ index: k, pre: c.pre[k], post: c.post[k], w0: c.w0[k], w: w[k], delta })
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
    changes: changed.slice(0, limit)
  }
}
