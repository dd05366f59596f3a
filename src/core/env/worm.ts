import { z } from 'zod'
import type { Connectome } from '../connectome/connectome'
import { compileNetwork } from '../model/network'
import { modelOverridesSchema, modelParams } from '../model/params'
import { WormSimulator, type RolloutResult } from '../model/rollout'
import { taskByName, type Task } from '../tasks/tasks'
import { checkLength, type Environment, type EnvironmentSpec, type MetricSpec } from './types'

/**
 * The worm-foraging environment of seed 000 (shared spec docs/worm-foraging-model.md): the genome is the
 * connectome's synaptic weights in pair order, the prior W0 the biological weights, and one evaluation a
 * deterministic rollout on a food layout.
 */
export const wormSpecSchema = z.strictObject({
  id: z.literal('worm'),
  connectome: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'expected a connectome id')
    .default('gopigo2014'),
  /** A polygon task name or random:SEED. */
  task: z.string().min(1).max(40).default('pentagon'),
  /** Model constants overriding the paper's defaults (any subset). */
  model: modelOverridesSchema.default({})
})
export type WormSpec = z.infer<typeof wormSpecSchema>

export const WORM_METRICS: readonly MetricSpec[] = [
  {
    key: 'foodEaten',
    label: 'food eaten',
    integer: true,
    higherIsBetter: true,
    description: 'food sources eaten in the rollout (of 36)'
  },
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
    this.food = taskByName(this.spec.task)
    this.layout = {
      length: connectome.w0.length,
      hash: connectome.pairsHash,
      description: `the ${connectome.w0.length} synaptic weights of ${connectome.id}`
    }
    this.prior = connectome.w0
    this.sim = new WormSimulator(compileNetwork(connectome), modelParams(this.spec.model))
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
