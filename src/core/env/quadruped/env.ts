/**
 * The `quadruped` environment: the paper's AntBulletEnv-v0 task (seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt
 * §4.1; facts in /work/shared/docs/hebbian-environments.md §1, §4) on the MuJoCo body of ./mjcf.ts, controlled by
 * the plastic 28-128-64-8 network of src/core/hebbian/network.ts (or its static-weight baseline).
 *
 * One evaluation runs the authors' episode once per morphology of the spec (training averages the seen
 * intact and right-damaged bodies) and returns the mean Σ progress as fitness. The initial weights and the
 * reset's joint angles are drawn from a seed derived from `episodeSeed` and the morphology, so evaluation
 * is deterministic (the ES compares candidates on the same draws; the paper redraws them every episode).
 */
import type { MainModule } from '@mujoco/mujoco'
import { z } from 'zod'
import { fnv1a64 } from '../../connectome/hash'
import { PlasticMlp } from '../../hebbian/network'
import { HEBBIAN_RULES, type HebbianRule } from '../../hebbian/rules'
import { mixSeed } from '../../training/noise'
import { Rng } from '../../util/rng'
import {
  checkLength,
  type Environment,
  type EnvironmentSpec,
  type Evaluation,
  type MetricSpec
} from '../types'
import { MORPHOLOGIES, TORSO_RADIUS, type Morphology } from './mjcf'
import { ACTION_SIZE, OBS_SIZE, POSE_STRIDE, QuadrupedSim } from './sim'

/** The authors' network for Bullet tasks [H policies.py]: no biases, tanh everywhere, tanh output = action. */
export const QUADRUPED_SIZES = [OBS_SIZE, 128, 64, ACTION_SIZE] as const
/** Zero-action steps after the reset whose observations the policy never sees [H fitness_functions.py]. */
export const WARMUP_STEPS = 40
/** The authors' early stop: never for t ≤ 200; then on done or after > 30 consecutive steps of negative progress. */
export const EARLY_STOP_AFTER = 200
export const MAX_NEGATIVE_STEPS = 30

const morphologySchema = z.enum(['intact', 'right', 'left'])
const controllerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hebbian'),
    rule: z.enum(HEBBIAN_RULES as [HebbianRule, ...HebbianRule[]]).default('ABCD_lr'),
    init: z.enum(['uniform', 'normal']).default('uniform')
  }),
  z.strictObject({ kind: z.literal('static') })
])

export const quadrupedSpecSchema = z.strictObject({
  id: z.literal('quadruped'),
  /** The bodies one evaluation averages over: the paper trains on intact + right (seen); left is unseen. */
  morphologies: z
    .array(morphologySchema)
    .min(1)
    .refine((ms) => new Set(ms).size === ms.length, 'each morphology at most once')
    .default(['intact', 'right']),
  controller: controllerSchema.default({ kind: 'hebbian', rule: 'ABCD_lr', init: 'uniform' }),
  /** Policy steps after the warm-up (the authors' TimeLimit, counting the warm-up, gives 960). */
  steps: z.number().int().min(1).max(100_000).default(1000),
  episodeSeed: z.number().int().min(0).max(0xffffffff).default(0)
})
export type QuadrupedSpec = z.infer<typeof quadrupedSpecSchema>

const cap = (m: Morphology): string => m[0].toUpperCase() + m.slice(1)
const MORPHOLOGY_LABEL: Record<Morphology, string> = {
  intact: 'intact',
  right: 'right front leg damaged (seen)',
  left: 'left front leg damaged (unseen)'
}

export const QUADRUPED_METRICS: readonly MetricSpec[] = [
  {
    key: 'distance',
    label: 'distance',
    integer: false,
    higherIsBetter: true,
    description:
      'torso x displacement (m) over the policy steps, mean over the morphologies (the fitness is ≈ 57.9 per metre of it)'
  },
  ...MORPHOLOGIES.flatMap((m): MetricSpec[] => [
    {
      key: `fitness${cap(m)}`,
      label: `fitness ${m}`,
      integer: false,
      higherIsBetter: true,
      description: `Σ progress, ${MORPHOLOGY_LABEL[m]} (the paper's Table 1 units)`
    },
    {
      key: `distance${cap(m)}`,
      label: `distance ${m}`,
      integer: false,
      higherIsBetter: true,
      description: `torso x displacement (m), ${MORPHOLOGY_LABEL[m]}`
    }
  ]),
  {
    key: 'steps',
    label: 'steps',
    integer: false,
    higherIsBetter: true,
    description: 'policy steps before the early stop, mean over the morphologies'
  }
]

/** Optional interventions in an episode (the paper's analyses: frozen updates, saturated actuators, pruning). */
export interface EpisodeHooks {
  /** After the forward pass of policy step t (0-based): may change the action in place. */
  action?(t: number, action: Float64Array, net: PlasticMlp): void
  /** Whether the Hebbian update runs after step t (default: always). */
  plastic?(t: number): boolean
  /** After step t and its early-stop check. */
  step?(t: number, sim: QuadrupedSim, net: PlasticMlp): void
  /**
   * Whether the authors' early stop may end the episode after step t (default: always). The analyses that
   * plot a whole lifetime (saturated actuators, pruning, the weight PCA) turn it off.
   */
  earlyStop?(t: number): boolean
}

export interface EpisodeResult {
  morphology: Morphology
  /** Σ progress over the policy steps: the authors' fitness. */
  fitness: number
  /** Torso x at the end minus torso x after the warm-up (m). */
  distance: number
  /** Policy steps run (the early stop included). */
  steps: number
  /** Σ of Bullet's full reward (alive + progress + electricity + joint limits), for comparison. */
  reward: number
}

/** A rollout for replays: the poses of every frame (the reset, the warm-up, then each policy step). */
export interface QuadrupedTrace extends EpisodeResult {
  warmup: number
  frames: number
  /** Floats per frame: the torso then the 12 capsules, each x y z, qw qx qy qz (world frame). */
  stride: number
  poses: Float32Array
  /** Progress of each policy step. */
  progress: Float32Array
  /** The capsules' shapes in pose order (the damaged foot is shorter). */
  capsules: { name: string; radius: number; halfLength: number }[]
  /** The torso sphere's radius. */
  torsoRadius: number
}

export class QuadrupedEnvironment implements Environment {
  readonly id = 'quadruped' as const
  readonly spec: QuadrupedSpec & EnvironmentSpec
  readonly task: string
  readonly layout
  readonly metrics = QUADRUPED_METRICS
  readonly headline = 'distance'
  /**
   * Zeros: for the Hebbian network, no plasticity (the weights stay at their random draw); for the static
   * one, zero weights (a motionless ant). The Hebbian ES starts from its own N(0, 1) draw unless asked to
   * start from the prior.
   */
  readonly prior: Float64Array
  readonly net: PlasticMlp
  private readonly input = new Float64Array(OBS_SIZE)
  private readonly zero = new Float64Array(ACTION_SIZE)
  private simulator: QuadrupedSim | null = null
  private disposed = false

  /**
   * `mujoco` is called on the first episode, not here: building the environment for its layout, prior
   * and metrics (run validation, genome export) needs no physics, and only processes that evaluate (the
   * pool's workers) load the WASM.
   */
  constructor(
    input: unknown,
    private readonly mujoco: () => MainModule
  ) {
    this.spec = quadrupedSpecSchema.parse(input)
    const c = this.spec.controller
    this.net = new PlasticMlp({ sizes: QUADRUPED_SIZES, controller: c, outputTanh: true, normalise: false })
    const what = c.kind === 'hebbian' ? c.rule : 'static'
    this.task = `${what}:${this.spec.morphologies.join('+')}`
    const n = this.net.genomeLength
    this.layout = {
      length: n,
      // Coefficient rows at offset + i·n_out + j (the authors' layout after 2020-10-13), or the weights.
      hash: fnv1a64(`quadruped|${QUADRUPED_SIZES.join('-')}|${what}|rows:i*nOut+j`),
      description:
        c.kind === 'hebbian'
          ? `the ${n.toLocaleString('en-US')} ${c.rule} coefficients of the ${QUADRUPED_SIZES.join('-')} plastic network`
          : `the ${n.toLocaleString('en-US')} weights of the ${QUADRUPED_SIZES.join('-')} static network`
    }
    this.prior = new Float64Array(n)
  }

  /** The simulator, built (with the spec's morphologies) on first use. */
  get sim(): QuadrupedSim {
    if (this.disposed) throw new Error('quadruped environment: used after dispose()')
    if (!this.simulator) {
      const sim = new QuadrupedSim(this.mujoco())
      for (const m of this.spec.morphologies) sim.prepare(m)
      this.simulator = sim
    }
    return this.simulator
  }

  evaluate(genome: Float64Array): Evaluation {
    checkLength(this.layout, genome)
    this.net.setGenome(genome)
    const metrics: Record<string, number> = {}
    let fitness = 0
    let distance = 0
    let steps = 0
    for (const m of this.spec.morphologies) {
      const r = this.run(m, 0, null, undefined)
      metrics[`fitness${cap(m)}`] = r.fitness
      metrics[`distance${cap(m)}`] = r.distance
      fitness += r.fitness
      distance += r.distance
      steps += r.steps
    }
    const k = this.spec.morphologies.length
    metrics.distance = distance / k
    metrics.steps = steps / k
    return { fitness: fitness / k, metrics }
  }

  /**
   * One episode of a genome on any morphology (the unseen one too). `episode` 0 is the draw `evaluate`
   * uses; others give independent draws (the paper's 100 evaluation rollouts).
   */
  episode(genome: Float64Array, morphology: Morphology, episode = 0, hooks?: EpisodeHooks): EpisodeResult {
    checkLength(this.layout, genome)
    this.net.setGenome(genome)
    return this.run(morphology, episode, null, hooks)
  }

  /** An episode with the poses of every frame, for replays. */
  rollout(genome: Float64Array, morphology: Morphology, episode = 0, hooks?: EpisodeHooks): QuadrupedTrace {
    checkLength(this.layout, genome)
    this.net.setGenome(genome)
    const poses = new Float32Array((1 + WARMUP_STEPS + this.spec.steps) * POSE_STRIDE)
    const progress = new Float32Array(this.spec.steps)
    const r = this.run(morphology, episode, { poses, progress }, hooks)
    const frames = 1 + WARMUP_STEPS + r.steps
    return {
      ...r,
      warmup: WARMUP_STEPS,
      frames,
      stride: POSE_STRIDE,
      poses: poses.slice(0, frames * POSE_STRIDE),
      progress: progress.slice(0, r.steps),
      capsules: this.sim.capsuleShapes(morphology),
      torsoRadius: TORSO_RADIUS
    }
  }

  /** Frees the MuJoCo models and data; the environment cannot evaluate afterwards. */
  dispose(): void {
    this.disposed = true
    this.simulator?.dispose()
    this.simulator = null
  }

  /** The seed of one episode's draws (initial weights, then the reset's joint angles). */
  episodeSeed(morphology: Morphology, episode: number): number {
    return mixSeed(mixSeed(this.spec.episodeSeed, episode), MORPHOLOGIES.indexOf(morphology))
  }

  /**
   * The authors' episode [H fitness_functions.py]: reset; 40 zero-action steps whose observations are
   * dropped (the first action sees the reset observation); then act, step, add the progress, check the
   * early stop (which breaks before the update), and update the weights in place.
   */
  private run(
    morphology: Morphology,
    episode: number,
    trace: { poses: Float32Array; progress: Float32Array } | null,
    hooks: EpisodeHooks | undefined
  ): EpisodeResult {
    const { sim, net, input } = this
    const rng = new Rng(this.episodeSeed(morphology, episode))
    net.resetWeights(rng)
    sim.reset(rng, morphology)
    input.set(sim.obs)
    let frame = 0
    if (trace) sim.writePose(trace.poses, frame++ * POSE_STRIDE)
    for (let t = 0; t < WARMUP_STEPS; t++) {
      sim.step(this.zero)
      if (trace) sim.writePose(trace.poses, frame++ * POSE_STRIDE)
    }
    const x0 = sim.torsoX
    let fitness = 0
    let reward = 0
    let negative = 0
    let t = 0
    while (t < this.spec.steps) {
      const action = net.forward(input)
      hooks?.action?.(t, action, net)
      sim.step(action)
      const rw = sim.rewards
      fitness += rw.progress
      reward += rw.alive + rw.progress + rw.electricity + rw.jointLimits
      if (trace) {
        sim.writePose(trace.poses, frame++ * POSE_STRIDE)
        trace.progress[t] = rw.progress
      }
      input.set(sim.obs)
      let stop = false
      if (t > EARLY_STOP_AFTER) {
        negative = rw.progress < 0 ? negative + 1 : 0
        stop = sim.done || negative > MAX_NEGATIVE_STEPS
        if (stop && hooks?.earlyStop && !hooks.earlyStop(t)) stop = false
      }
      hooks?.step?.(t, sim, net)
      t++
      if (stop) break
      if (!hooks?.plastic || hooks.plastic(t - 1)) net.update()
    }
    return { morphology, fitness, distance: sim.torsoX - x0, steps: t, reward }
  }
}
