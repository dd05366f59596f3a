import type { ModelParams } from '../../core/model/params'
import type { RolloutResult, WormSimulator } from '../../core/model/rollout'
import type { Task } from '../../core/tasks/tasks'
import type { RolloutResponse } from '../../shared/api'

/** The outcome of one rollout, as the rollout and replay responses carry it. */
export type TracedRollout = Omit<RolloutResponse, 'task' | 'connectomeId' | 'genome'>

/** Runs `genome` on `task` with a full trace: the scores, the model constants used and the trace as arrays. */
export function tracedRollout(sim: WormSimulator, genome: ArrayLike<number>, task: Task): TracedRollout {
  return describeRollout(sim.params, sim.run(genome, task, { trace: true }), task)
}

/** A traced rollout already run (e.g. the Hebbian worm's lifetime) on `task` with the constants `p`. */
export function describeRollout(p: ModelParams, r: RolloutResult, task: Task): TracedRollout {
  const t = r.trace
  if (!t) throw new Error('the simulator returned no trace')
  return {
    foodEaten: r.foodEaten,
    foodTotal: task.food.length / 2,
    reward: r.reward,
    fitness: r.fitness,
    l0: r.l0,
    l2: r.l2,
    spikes: r.spikes,
    params: {
      steps: p.steps,
      arenaWidth: p.arenaWidth,
      arenaHeight: p.arenaHeight,
      eatRadius: p.eatRadius,
      detectionRange: p.detectionRange,
      touchDistance: p.touchDistance
    },
    trace: {
      steps: t.steps,
      x: Array.from(t.x),
      y: Array.from(t.y),
      heading: Array.from(t.heading),
      speed: Array.from(t.speed),
      aLeft: Array.from(t.aLeft),
      aRight: Array.from(t.aRight),
      sensed: Array.from(t.sensed),
      reward: Array.from(t.reward),
      firedOffsets: Array.from(t.firedOffsets),
      firedNeurons: Array.from(t.firedNeurons),
      eatenAt: Array.from(t.eatenAt),
      food: Array.from(t.food)
    }
  }
}
