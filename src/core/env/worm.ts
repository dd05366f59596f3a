import { z } from 'zod'
import type { Connectome } from '../connectome/connectome'
import { fnv1a64 } from '../connectome/hash'
import { compileNetwork } from '../model/network'
import { modelOverridesSchema, modelParams } from '../model/params'
import { WormSimulator, type RolloutResult } from '../model/rollout'
import { MAX_FOOD_POINTS, pointsTask, taskByName, type Task } from '../tasks/tasks'
import { checkLength, type Environment, type EnvironmentSpec, type MetricSpec } from './types'

/** The worm's spec keys (shared with the Hebbian worm, ./worm-hebbian.ts). */
export const wormSpecFields = {
  connectome: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'expected a connectome id')
    .default('gopigo2014'),
  /** A polygon task name, random:SEED, or custom:NAME with its points in `food`. */
  task: z.string().min(1).max(40).default('pentagon'),
  /** Model constants overriding the paper's defaults (any subset). */
  model: modelOverridesSchema.default({}),
  /** A custom food layout (task `custom:NAME`): [x, y] points inside the arena, at most MAX_FOOD_POINTS. */
  food: z
    .array(z.tuple([z.number().finite(), z.number().finite()]))
    .min(1, 'a food layout needs at least one point')
    .max(MAX_FOOD_POINTS, `at most ${MAX_FOOD_POINTS} food points`)
    .optional()
}

/** A custom task needs its food points, and food points need a custom task. */
export function refineWormTask(spec: { task: string; food?: unknown }, ctx: z.RefinementCtx): void {
  const custom = CUSTOM_TASK.test(spec.task)
  if (custom && !spec.food)
    ctx.addIssue({ code: 'custom', path: ['food'], message: `task '${spec.task}' needs its food points` })
  if (!custom && spec.food)
    ctx.addIssue({
      code: 'custom',
      path: ['task'],
      message: 'a custom food layout needs a task named custom:NAME (letters, digits, - and _)'
    })
}

/**
 * The worm-foraging environment of seed 000 (shared spec docs/worm-foraging-model.md): the genome is the
 * connectome's synaptic weights in pair order, the prior W0 the biological weights, and one evaluation a
 * deterministic rollout on a food layout.
 */
export const wormSpecSchema = z
  .strictObject({ id: z.literal('worm'), ...wormSpecFields })
  .superRefine(refineWormTask)
export type WormSpec = z.infer<typeof wormSpecSchema>

/** The task name of a custom food layout: `custom:NAME`. */
export const CUSTOM_TASK = /^custom:[\w-]{1,32}$/

/**
 * The food of a custom layout as a task, refusing a point outside the arena (edges included).
 */
export function customFoodTask(
  name: string,
  food: readonly (readonly [number, number])[],
  arena: { width: number; height: number }
): Task {
  food.forEach(([x, y], i) => {
    if (!(x >= 0 && x <= arena.width && y >= 0 && y <= arena.height))
      throw new Error(
        `food: point ${i} (${x}, ${y}) is outside the arena 0..${arena.width} × 0..${arena.height}`
      )
  })
  return pointsTask(food, name)
}

/** The worms' headline: what the foraging task rewards. */
export const FOOD_EATEN_METRIC: MetricSpec = {
  key: 'foodEaten',
  label: 'food eaten',
  integer: true,
  higherIsBetter: true,
  description: 'food sources eaten in the rollout (of 36)'
}

export const WORM_METRICS: readonly MetricSpec[] = [
  FOOD_EATEN_METRIC,
  {
    key: 'reward',
    label: 'reward',
    integer: false,
    higherIsBetter: true,
    description: 'food reward before the cardinality penalty'
  },
  {
    key: 'l0',
    label: 'L0',
    integer: true,
    higherIsBetter: false,
    description: 'weights that differ from W0'
  },
  { key: 'l2', label: 'L2', integer: false, higherIsBetter: false, description: '‖W − W0‖₂' }
]

export const wormMetrics = (r: RolloutResult): Record<string, number> => ({
  foodEaten: r.foodEaten,
  reward: r.reward,
  l0: r.l0,
  l2: r.l2
})

export class WormEnvironment implements Environment {
  readonly id = 'worm' as const
  readonly spec: WormSpec & EnvironmentSpec
  readonly task: string
  readonly layout
  readonly metrics = WORM_METRICS
  readonly headline = 'foodEaten'
  readonly prior: Float64Array
  readonly sim: WormSimulator
  readonly food: Task

  constructor(
    input: unknown,
    readonly connectome: Connectome
  ) {
    this.spec = wormSpecSchema.parse(input)
    if (connectome.id !== this.spec.connectome)
      throw new Error(`worm environment: asked for connectome ${this.spec.connectome}, got ${connectome.id}`)
    this.task = this.spec.task
    const params = modelParams(this.spec.model)
    const food = this.spec.food
    this.food = food
      ? customFoodTask(this.spec.task, food, { width: params.arenaWidth, height: params.arenaHeight })
      : taskByName(this.spec.task)
    this.layout = {
      length: connectome.w0.length,
      // A custom layout's food is part of what a run was trained on: its points join the hash.
      hash: food
        ? fnv1a64(`${connectome.pairsHash}|${this.spec.task}|${food.flat().join(',')}`)
        : connectome.pairsHash,
      description: `the ${connectome.w0.length} synaptic weights of ${connectome.id}`
    }
    this.prior = connectome.w0
    this.sim = new WormSimulator(compileNetwork(connectome), params)
  }

  evaluate(genome: Float64Array) {
    checkLength(this.layout, genome)
    const r = this.sim.run(genome, this.food)
    return { fitness: r.fitness, metrics: wormMetrics(r) }
  }

  /** A rollout with its full trace (replays). */
  rollout(genome: Float64Array): RolloutResult {
    checkLength(this.layout, genome)
    return this.sim.run(genome, this.food, { trace: true })
  }
}
