import { z } from 'zod'
import type { Connectome } from '../connectome/connectome'
import { fnv1a64 } from '../connectome/hash'
import { HEBBIAN_RULES, type HebbianRule } from '../hebbian/rules'
import { WEIGHT_CLIPS, WormPlasticity, type WeightClip, type WeightTrace } from '../model/plasticity'
import { genomeStats } from '../model/regularizer'
import type { RolloutResult } from '../model/rollout'
import { Rng } from '../util/rng'
import { checkLength, type Environment, type EnvironmentSpec, type MetricSpec } from './types'
import { FOOD_EATEN_METRIC, refineWormTask, WormEnvironment, wormSpecFields } from './worm'

/**
 * The Hebbian worm (issue 11 item 4): the worm-foraging model of ./worm.ts whose synapses are plastic
 * (../model/plasticity.ts: activities, order and clipping are documented there). The genome is not the
 * weights but every synapse's rule coefficients; the weights start each lifetime at W0 (or at fixed random
 * weights) and self-organise over the 250 steps. Fitness is the reward with no L0 penalty: the
 * regulariser keeps evolved *weights* near W0, and here the weights are not the genome.
 */
export const wormHebbianSpecSchema = z
  .strictObject({
    id: z.literal('worm-hebbian'),
    ...wormSpecFields,
    /** The rule variant (../hebbian/rules.ts); ABCD_lr is the paper's Eq. 1. */
    rule: z.enum(HEBBIAN_RULES as [HebbianRule, ...HebbianRule[]]).default('ABCD_lr'),
    /** The weights at the start of every lifetime: the biological W0, or fixed random weights. */
    init: z.enum(['w0', 'uniform']).default('w0'),
    /** `uniform`: the seed of the draw (once per environment, so evaluation stays deterministic). */
    initSeed: z.number().int().min(0).max(0xffffffff).default(1),
    /** `uniform`: w ~ U(−a, a) with a = initScale · mean|W0| (2: the same mean |w| as W0). */
    initScale: z.number().positive().finite().default(2),
    /** Weight bounds after every update (../model/plasticity.ts WeightClip). */
    clip: z.enum(WEIGHT_CLIPS as [WeightClip, ...WeightClip[]]).default('sign'),
    /** The bound on |w| of `sign` and `range`; default max|W0| (37 for gopigo2014). */
    wmax: z.number().positive().finite().optional()
  })
  .superRefine(refineWormTask)
export type WormHebbianSpec = z.infer<typeof wormHebbianSpecSchema>

export const WORM_HEBBIAN_METRICS: readonly MetricSpec[] = [
  FOOD_EATEN_METRIC,
  {
    key: 'reward',
    label: 'reward',
    integer: false,
    higherIsBetter: true,
    description: 'food reward (the fitness)'
  },
  {
    key: 'weightChange',
    label: 'mean |ΔW|',
    integer: false,
    higherIsBetter: true,
    description: 'mean |W_end − W_start| over the synapses: how much the lifetime changed the weights'
  },
  {
    key: 'clipped',
    label: 'clipped',
    integer: true,
    higherIsBetter: false,
    description: 'synapses at a clipping bound (0 or ±wmax) at the end of the lifetime'
  }
]

/**
 * A traced rollout of the Hebbian worm: the worm's trace plus the weights over the lifetime. Its fitness is
 * the reward, and l0 / l2 compare the end weights with W0.
 */
export interface HebbianRolloutResult extends RolloutResult {
  weights: WeightTrace
  metrics: Record<string, number>
}

/** Steps between two weight frames of a traced rollout: 51 frames × 3,689 float32 = 735 KiB at 250 steps. */
export const DEFAULT_WEIGHT_EVERY = 5

export class WormHebbianEnvironment implements Environment {
  readonly id = 'worm-hebbian' as const
  readonly spec: WormHebbianSpec & EnvironmentSpec
  readonly task: string
  readonly layout
  readonly metrics = WORM_HEBBIAN_METRICS
  readonly headline = 'foodEaten'
  /** All coefficients zero: no plasticity, i.e. the static worm on the start weights. */
  readonly prior: Float64Array
  /** The static worm on the same connectome, task and model (its simulator and food run the lifetimes). */
  readonly worm: WormEnvironment
  readonly plasticity: WormPlasticity
  /** The weights every lifetime starts from (genome order); callers must not modify them. */
  readonly start: Float64Array
  private readonly end: Float64Array

  constructor(
    input: unknown,
    readonly connectome: Connectome
  ) {
    this.spec = wormHebbianSpecSchema.parse(input)
    const { connectome: id, task, model, food, rule, init, initSeed, initScale, clip } = this.spec
    this.worm = new WormEnvironment({ id: 'worm', connectome: id, task, model, food }, connectome)
    this.task = task
    const w0 = connectome.w0
    let maxAbs = 0
    let sumAbs = 0
    for (const w of w0) {
      maxAbs = Math.max(maxAbs, Math.abs(w))
      sumAbs += Math.abs(w)
    }
    const wmax = this.spec.wmax ?? maxAbs
    // W0 must lie inside the clipping box, so that zero coefficients are exactly the static worm.
    if (clip !== 'none' && wmax < maxAbs)
      throw new Error(`worm-hebbian: wmax ${wmax} is below max|W0| = ${maxAbs}`)
    this.plasticity = new WormPlasticity(this.worm.sim.net, { rule, clip, wmax })
    if (init === 'w0') this.start = w0
    else {
      const a = (initScale * sumAbs) / w0.length
      if (clip !== 'none' && a > wmax)
        throw new Error(`worm-hebbian: initScale · mean|W0| = ${a} exceeds wmax ${wmax}`)
      const rng = new Rng(initSeed)
      this.start = Float64Array.from(w0, () => rng.uniform(-a, a))
    }
    this.end = new Float64Array(w0.length)
    const k = this.plasticity.perSynapse
    this.layout = {
      length: this.plasticity.genomeLength,
      // The coefficients mean a rule on the worm's synapses (its hash: pair order and any custom food).
      hash: fnv1a64(`${this.worm.layout.hash}|hebbian:${rule}`),
      description: `the ${rule} coefficients (${k} per synapse) of the ${w0.length} synapses of ${connectome.id}`
    }
    this.prior = new Float64Array(this.layout.length)
  }

  evaluate(genome: Float64Array) {
    const r = this.run(genome, false)
    return { fitness: r.reward, metrics: this.lifetimeMetrics(r) }
  }

  /** A rollout with its full trace and the weights every `weightEvery` steps (replays). */
  rollout(genome: Float64Array, { weightEvery = DEFAULT_WEIGHT_EVERY } = {}): HebbianRolloutResult {
    this.plasticity.record(weightEvery, this.worm.sim.params.steps)
    const r = this.run(genome, true)
    const metrics = this.lifetimeMetrics(r)
    const { l0, l2 } = genomeStats(this.end, this.connectome.w0)
    return { ...r, fitness: r.reward, l0, l2, metrics, weights: this.plasticity.takeTrace()! }
  }

  private run(genome: Float64Array, trace: boolean): RolloutResult {
    checkLength(this.layout, genome)
    this.plasticity.setCoefficients(genome)
    return this.worm.sim.run(this.start, this.worm.food, { hook: this.plasticity, trace })
  }

  /** The metrics of the rollout just run (the plasticity still holds its end weights). */
  private lifetimeMetrics(r: RolloutResult): Record<string, number> {
    const end = this.plasticity.weights(this.end)
    let change = 0
    for (let k = 0; k < end.length; k++) change += Math.abs(end[k] - this.start[k])
    return {
      foodEaten: r.foodEaten,
      reward: r.reward,
      weightChange: change / end.length,
      clipped: this.plasticity.clippedCount()
    }
  }
}
