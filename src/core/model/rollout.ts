import type { Task } from '../tasks/tasks'
import type { CompiledNetwork } from './network'
import { DEFAULT_MODEL_PARAMS, type ModelParams } from './params'
import { cardinalityPenalty, genomeStats } from './regularizer'

/** Everything a replay or a video needs, in compact typed arrays. */
export interface RolloutTrace {
  steps: number
  /** Position and heading before step 1 and after every step: length steps + 1. */
  x: Float64Array
  y: Float64Array
  heading: Float64Array
  /** Signed speed v applied in each step: length steps. */
  speed: Float64Array
  /** Motor read-out a_left, a_right of each step. */
  aLeft: Float64Array
  aRight: Float64Array
  /** Bit 0: nose touch stimulated; bit 1: chemosensors stimulated. */
  sensed: Uint8Array
  /** Reward earned in each step. */
  reward: Float64Array
  /** Neurons fired in step t: firedNeurons[firedOffsets[t] .. firedOffsets[t+1]) (neuron indices). */
  firedOffsets: Int32Array
  firedNeurons: Uint16Array
  /** Step (0-based) in which each food source was eaten, or −1. */
  eatenAt: Int16Array
  /** The food layout the rollout ran on. */
  food: Float64Array
}

export interface RolloutResult {
  foodEaten: number
  reward: number
  fitness: number
  /** Number of weights that differ from W0. */
  l0: number
  /** ‖W − W0‖₂. */
  l2: number
  /** Total neuron firings. */
  spikes: number
  trace?: RolloutTrace
}

/** Accumulated phase times (ms) of profiled rollouts. */
export interface PhaseProfile {
  network: number
  sensing: number
  kinematics: number
}

export interface RolloutOptions {
  trace?: boolean
  /** When given, phase times are added to it (costs a few µs per rollout). */
  profile?: PhaseProfile
  /** Changes the weights during the rollout (plasticity.ts); without it the weights are the genome's. */
  hook?: SynapseHook
}

/**
 * A hook that may change the weights during a rollout (the Hebbian worm, ./plasticity.ts). It gets the
 * simulator's own buffers, so an update costs no copy: the CSR weights `w` (slot e feeds net.col[e]) and
 * the folded muscle read-out `leftGain` / `rightGain` (per presynaptic neuron, summed in net.leftGene order).
 */
export interface SynapseHook {
  /** Start of a rollout, after the genome is loaded into the buffers. */
  begin(genome: ArrayLike<number>, w: Float64Array, leftGain: Float64Array, rightGain: Float64Array): void
  /**
   * Step t's spikes are final (after propagation and read-out): the neurons fired in it, fired[0 .. nFired), and whether the nose-touch
   * and chemosensory sets were stimulated. Weights changed here are used from step t + 1 on.
   */
  afterStep(t: number, fired: Int32Array, nFired: number, touch: boolean, food: boolean): void
}

const TWO_PI = 2 * Math.PI

/**
 * Runs rollouts of the worm-foraging model on one compiled network. All buffers are allocated once
 * per simulator; a rollout allocates nothing per step.
 */
export class WormSimulator {
  readonly params: ModelParams
  private readonly V: Float64Array
  private readonly w: Float64Array
  private readonly leftGain: Float64Array
  private readonly rightGain: Float64Array
  private readonly fired: Int32Array
  private alive: Uint8Array

  constructor(
    readonly net: CompiledNetwork,
    params: ModelParams = DEFAULT_MODEL_PARAMS
  ) {
    this.params = { ...params }
    this.V = new Float64Array(net.nNeurons)
    this.w = new Float64Array(net.col.length)
    this.leftGain = new Float64Array(net.nNeurons)
    this.rightGain = new Float64Array(net.nNeurons)
    this.fired = new Int32Array(net.nNeurons)
    this.alive = new Uint8Array(64)
  }

  /** Loads a genome (genome order) into the CSR weights and the folded muscle read-out. */
  private load(genome: ArrayLike<number>): void {
    const { net, w, leftGain, rightGain } = this
    if (genome.length !== net.connectome.w0.length) {
      throw new Error(`genome has ${genome.length} weights, the connectome has ${net.connectome.w0.length}`)
    }
    const gene = net.csrGene
    for (let j = 0; j < w.length; j++) w[j] = genome[gene[j]]
    leftGain.fill(0)
    rightGain.fill(0)
    for (let j = 0; j < net.leftGene.length; j++) leftGain[net.leftPre[j]] += genome[net.leftGene[j]]
    for (let j = 0; j < net.rightGene.length; j++) rightGain[net.rightPre[j]] += genome[net.rightGene[j]]
  }

  run(genome: ArrayLike<number>, task: Task, opts: RolloutOptions = {}): RolloutResult {
    this.load(genome)
    const p = this.params
    const { V, w, leftGain, rightGain, fired, net } = this
    const { rowPtr, col, touch, food: foodSet } = net
    const nN = net.nNeurons
    const food = task.food
    const nFood = food.length >> 1
    if (this.alive.length < nFood) this.alive = new Uint8Array(nFood)
    const alive = this.alive
    alive.fill(1, 0, nFood)
    V.fill(0)

    const T = p.steps
    const theta = p.threshold
    const W = p.arenaWidth
    const H = p.arenaHeight
    const touchD = p.touchDistance
    const D = p.detectionRange
    const D2 = D * D
    const C2 = p.eatRadius * p.eatRadius
    const partial = p.rewardPartial / D
    const prof = opts.profile
    const hook = opts.hook
    if (hook) hook.begin(genome, w, leftGain, rightGain)
    const tr = opts.trace ? newTrace(T, nN, food) : undefined

    let x = p.startX
    let y = p.startY
    let th = p.startHeading
    let reward = 0
    let eaten = 0
    let spikes = 0
    // Chemosensation at step t uses the position before the move and the food still uneaten.
    let nearFood = false
    for (let k = 0; k < nFood; k++) {
      const dx = food[2 * k] - x
      const dy = food[2 * k + 1] - y
      if (dx * dx + dy * dy < D2) nearFood = true
    }
    if (tr) {
      tr.x[0] = x
      tr.y[0] = y
      tr.heading[0] = th
    }
    let t0 = 0
    for (let t = 0; t < T; t++) {
      if (prof) t0 = performance.now()
      // 1. Sensing (position before the move).
      const touchNow = Math.min(x, W - x, y, H - y) < touchD
      if (prof) {
        const t1 = performance.now()
        prof.sensing += t1 - t0
        t0 = t1
      }
      // 2. Synchronous firing from the potentials at the start of the step, with reset.
      let nf = 0
      for (let i = 0; i < nN; i++) {
        const v = V[i]
        if (v > theta || v < -theta) {
          fired[nf++] = i
          V[i] = 0
        }
      }
      // 3. Propagation; 4. the motor read-out through the folded muscle gains.
      let aL = 0
      let aR = 0
      for (let f = 0; f < nf; f++) {
        const i = fired[f]
        for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) V[col[e]] += w[e]
        aL += leftGain[i]
        aR += rightGain[i]
      }
      // Stimulated sensory neurons add their outgoing weights as if they fired (their own V untouched).
      if (touchNow) {
        for (let s = 0; s < touch.length; s++) {
          const i = touch[s]
          for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) V[col[e]] += w[e]
          aL += leftGain[i]
          aR += rightGain[i]
        }
      }
      if (nearFood) {
        for (let s = 0; s < foodSet.length; s++) {
          const i = foodSet[s]
          for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) V[col[e]] += w[e]
          aL += leftGain[i]
          aR += rightGain[i]
        }
      }
      spikes += nf
      if (tr) {
        const o = tr.firedOffsets[t]
        for (let f = 0; f < nf; f++) tr.firedNeurons[o + f] = fired[f]
        tr.firedOffsets[t + 1] = o + nf
        tr.aLeft[t] = aL
        tr.aRight[t] = aR
        tr.sensed[t] = (touchNow ? 1 : 0) | (nearFood ? 2 : 0)
      }
      // The step's spikes are final and its weights are not used again in it: a hook changing them here
      // acts as if after the move (the authors update after env.step), from step t + 1 on.
      if (hook) hook.afterStep(t, fired, nf, touchNow, nearFood)
      if (prof) {
        const t1 = performance.now()
        prof.network += t1 - t0
        t0 = t1
      }
      // 5. Kinematics: turn, speed limits with sign, move, clamp into the arena.
      const omega = p.kAngular * (aL - aR)
      let v = p.kLinear * (aL + aR)
      let a = v < 0 ? -v : v
      a = a < p.speedMin ? p.speedMin : a > p.speedMax ? p.speedMax : a
      v = v >= 0 ? a : -a
      th = (th + omega) % TWO_PI
      if (th < 0) th += TWO_PI
      x += v * Math.cos(th)
      y += v * Math.sin(th)
      x = x < 0 ? 0 : x > W ? W : x
      y = y < 0 ? 0 : y > H ? H : y
      if (prof) {
        const t1 = performance.now()
        prof.kinematics += t1 - t0
        t0 = t1
      }
      // 6. Eating and partial reward from the position after the move; this also decides the next
      // step's chemosensation (uneaten food within D after eating).
      let r = 0
      nearFood = false
      for (let k = 0; k < nFood; k++) {
        if (!alive[k]) continue
        const dx = food[2 * k] - x
        const dy = food[2 * k + 1] - y
        const d2 = dx * dx + dy * dy
        if (d2 >= D2) continue
        if (d2 < C2) {
          alive[k] = 0
          eaten++
          r += p.rewardFull
          if (tr) tr.eatenAt[k] = t
        } else {
          r += partial * (D - Math.sqrt(d2))
          nearFood = true
        }
      }
      reward += r
      if (tr) {
        tr.x[t + 1] = x
        tr.y[t + 1] = y
        tr.heading[t + 1] = th
        tr.speed[t] = v
        tr.reward[t] = r
      }
      if (prof) prof.sensing += performance.now() - t0
    }
    const { l0, l2 } = genomeStats(genome, net.connectome.w0)
    const result: RolloutResult = {
      foodEaten: eaten,
      reward,
      fitness: reward - cardinalityPenalty(l0, p.lambda, p.cardinalityExponent),
      l0,
      l2,
      spikes
    }
    if (tr) result.trace = finishTrace(tr)
    return result
  }
}

function newTrace(T: number, nNeurons: number, food: Float64Array): RolloutTrace {
  const nFood = food.length >> 1
  return {
    steps: T,
    x: new Float64Array(T + 1),
    y: new Float64Array(T + 1),
    heading: new Float64Array(T + 1),
    speed: new Float64Array(T),
    aLeft: new Float64Array(T),
    aRight: new Float64Array(T),
    sensed: new Uint8Array(T),
    reward: new Float64Array(T),
    firedOffsets: new Int32Array(T + 1),
    firedNeurons: new Uint16Array(T * nNeurons),
    eatenAt: new Int16Array(nFood).fill(-1),
    food: food.slice()
  }
}

function finishTrace(tr: RolloutTrace): RolloutTrace {
  return { ...tr, firedNeurons: tr.firedNeurons.slice(0, tr.firedOffsets[tr.steps]) }
}
