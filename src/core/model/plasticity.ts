import { RULE_COEFFICIENTS, ruleDelta, type HebbianRule } from '../hebbian/rules'
import type { CompiledNetwork } from './network'
import type { SynapseHook } from './rollout'

/**
 * Synapse-specific Hebbian plasticity on the connectome (issue 11 item 4; the rule of paper seed 002 =
 * /work/shared/seeds/002_764ebf28a93029f6.txt, Eq. 1, variants in ../hebbian/rules.ts). Every one of the
 * connectome's synapses (all genome coordinates, muscle synapses included) owns a coefficient row and changes
 * after every step by Δw = ruleDelta(row, oᵢ, oⱼ) (ABCD_lr: η(A·oᵢoⱼ + B·oᵢ + C·oⱼ + D)).
 *
 * Activities, all in {0, 1}, of step t:
 * - a neuron's oᵢ = 1 when it transmitted in step t: it fired, or its sensory set was stimulated (it then adds
 *   its weights as if it fired). A neuron that both fires and is stimulated transmits twice but o = 1.
 *   As a postsynaptic cell a neuron uses the same oⱼ: pre and post spikes of the same step.
 * - a muscle's oⱼ = 1 when its potential at read-out, i.e. its input of step t (muscles reset every step),
 *   is positive: the muscle is excited and pushes its side's read-out a_left / a_right up. (The neurons'
 *   threshold |V| > θ would make every muscle silent: on the pentagon at W0 no muscle's input ever exceeds
 *   30 (max 29), while half of the inputs are positive.) Head muscles and MVULVA use the same rule; their
 *   synapses change too but drive nothing.
 *
 * Order: the update runs once step t's spikes are final and changes the weights used from step t + 1 on,
 * like the authors' update after env.step.
 *
 * Since oᵢ, oⱼ ∈ {0, 1}, a synapse's Δw is one of four numbers fixed by its row, computed once per genome
 * with ruleDelta: the step's update is one table look-up, one add and the clipping per synapse.
 */

/**
 * How weights are bounded after every update (wmax defaults to max|W0|, 37 for gopigo2014):
 * - `sign`: each synapse keeps the sign it starts the lifetime with, |w| ≤ wmax: an excitatory synapse stays
 *   excitatory and an inhibitory one inhibitory, as the connectome's signs say (a zero start counts as
 *   excitatory). Plasticity tunes strengths, it does not rewire the signs.
 * - `range`: w ∈ [−wmax, wmax]; signs may flip.
 * - `none`: unbounded.
 */
export type WeightClip = 'sign' | 'range' | 'none'
export const WEIGHT_CLIPS: readonly WeightClip[] = ['sign', 'range', 'none']

export interface PlasticityOptions {
  rule: HebbianRule
  clip: WeightClip
  /** The bound on |w| of `sign` and `range`. */
  wmax: number
}

/** The weights of a rollout's lifetime, every `every` steps, in genome order. */
export interface WeightTrace {
  every: number
  synapses: number
  /** Frame f holds the weights after steps[f] steps (frame 0: the start weights; the last: after all steps). */
  steps: Int32Array
  /** frames × synapses, frame-major, float32 (4 bytes per synapse and frame). */
  frames: Float32Array
}

export class WormPlasticity implements SynapseHook {
  readonly synapses: number
  /** Coefficients per synapse (RULE_COEFFICIENTS[rule]). */
  readonly perSynapse: number
  readonly genomeLength: number
  private readonly nCsr: number
  /** Synapses in plastic order u: the CSR slots 0 … nCsr−1, then the muscle slots (pre-major). */
  private readonly geneOf: Int32Array
  /** Δw of synapse u for (oᵢ, oⱼ) at 4u + 2oᵢ + oⱼ. */
  private readonly table: Float64Array
  private readonly lo: Float64Array
  private readonly hi: Float64Array
  /** Muscle synapses (slot q = u − nCsr) in CSR form by presynaptic neuron: target muscle and weight. */
  private readonly musRowPtr: Int32Array
  private readonly musPost: Int32Array
  private readonly mw: Float64Array
  /** Muscle slot of net.leftGene[j] / net.rightGene[j], for refolding the read-out gains. */
  private readonly leftSlot: Int32Array
  private readonly rightSlot: Int32Array
  /** Presynaptic neuron of synapse u. */
  private readonly preOf: Int32Array
  /** Step activities: neurons (fired or stimulated), muscles (input > 0). */
  private readonly o: Uint8Array
  private readonly muscleV: Float64Array
  private readonly muscleO: Uint8Array
  private w: Float64Array = new Float64Array(0)
  private leftGain: Float64Array = new Float64Array(0)
  private rightGain: Float64Array = new Float64Array(0)
  private rec: WeightTrace | null = null
  private recSteps = 0
  private recFrame = 0

  constructor(
    readonly net: CompiledNetwork,
    readonly opts: PlasticityOptions
  ) {
    const c = net.connectome
    this.synapses = c.w0.length
    this.perSynapse = RULE_COEFFICIENTS[opts.rule]
    this.genomeLength = this.synapses * this.perSynapse
    if (!(opts.wmax > 0)) throw new Error(`plasticity: wmax must be positive, got ${opts.wmax}`)
    this.nCsr = net.col.length
    const muscleIndex = new Map(c.muscles.map((m, i) => [m.name, i]))
    const mus: number[] = [] // genes ending on a muscle
    for (let k = 0; k < c.pre.length; k++) if (muscleIndex.has(c.post[k])) mus.push(k)
    if (this.nCsr + mus.length !== this.synapses) throw new Error('plasticity: synapse count mismatch')
    const preOf = (k: number): number => net.neuronIndex.get(c.pre[k])!
    mus.sort((a, b) => preOf(a) - preOf(b) || a - b)
    this.geneOf = new Int32Array(this.synapses)
    this.geneOf.set(net.csrGene)
    this.geneOf.set(mus, this.nCsr)
    this.musRowPtr = new Int32Array(net.nNeurons + 1)
    for (const k of mus) this.musRowPtr[preOf(k) + 1]++
    for (let i = 0; i < net.nNeurons; i++) this.musRowPtr[i + 1] += this.musRowPtr[i]
    this.musPost = Int32Array.from(mus, (k) => muscleIndex.get(c.post[k])!)
    this.mw = new Float64Array(mus.length)
    const slotOf = new Map(mus.map((k, s) => [k, s]))
    this.leftSlot = Int32Array.from(net.leftGene, (k) => slotOf.get(k)!)
    this.rightSlot = Int32Array.from(net.rightGene, (k) => slotOf.get(k)!)
    this.table = new Float64Array(4 * this.synapses)
    this.lo = new Float64Array(this.synapses)
    this.hi = new Float64Array(this.synapses)
    this.preOf = Int32Array.from(this.geneOf, preOf)
    this.o = new Uint8Array(net.nNeurons)
    this.muscleV = new Float64Array(c.muscles.length)
    this.muscleO = new Uint8Array(c.muscles.length)
  }

  /** Loads the coefficients (genome order: synapse k's row at k·perSynapse, the authors' coefficient order). */
  setCoefficients(coefficients: ArrayLike<number>): void {
    if (coefficients.length !== this.genomeLength)
      throw new Error(
        `genome has ${coefficients.length} values, ${this.synapses} synapses × ${this.perSynapse} ` +
          `${this.opts.rule} coefficients expect ${this.genomeLength}`
      )
    const { table, geneOf, perSynapse, opts } = this
    for (let u = 0; u < this.synapses; u++) {
      const off = geneOf[u] * perSynapse
      for (let q = 0; q < 4; q++) table[4 * u + q] = ruleDelta(opts.rule, coefficients, off, q >> 1, q & 1)
    }
  }

  /** Records the weights every `every` steps during the next rollout of `steps` steps (then stops). */
  record(every: number, steps: number): void {
    if (!(Number.isInteger(every) && every >= 1))
      throw new Error(`weight trace: every must be ≥ 1, got ${every}`)
    const n = Math.ceil(steps / every) + 1
    const at = Int32Array.from({ length: n }, (_, f) => Math.min(f * every, steps))
    this.rec = { every, synapses: this.synapses, steps: at, frames: new Float32Array(n * this.synapses) }
    this.recSteps = steps
  }

  /** The trace of the last recorded rollout (and stops recording). */
  takeTrace(): WeightTrace | null {
    const r = this.rec
    this.rec = null
    return r
  }

  begin(genome: ArrayLike<number>, w: Float64Array, leftGain: Float64Array, rightGain: Float64Array): void {
    this.w = w
    this.leftGain = leftGain
    this.rightGain = rightGain
    const { geneOf, lo, hi, mw, nCsr } = this
    const wmax = this.opts.wmax
    const clip = this.opts.clip
    for (let u = 0; u < this.synapses; u++) {
      const g = genome[geneOf[u]]
      if (u >= nCsr) mw[u - nCsr] = g
      lo[u] = clip === 'none' ? -Infinity : clip === 'sign' && g >= 0 ? 0 : -wmax
      hi[u] = clip === 'none' ? Infinity : clip === 'sign' && g < 0 ? 0 : wmax
    }
    this.o.fill(0)
    this.muscleV.fill(0)
    this.recFrame = 0
    if (this.rec) this.writeFrame()
  }

  afterStep(t: number, fired: Int32Array, nFired: number, touch: boolean, food: boolean): void {
    const { o, net } = this
    for (let f = 0; f < nFired; f++) this.transmit(fired[f])
    if (touch) for (let s = 0; s < net.touch.length; s++) this.transmit(net.touch[s])
    if (food) for (let s = 0; s < net.food.length; s++) this.transmit(net.food[s])
    const { muscleV, muscleO, table, lo, hi, w, mw, musPost, nCsr, preOf } = this
    for (let m = 0; m < muscleV.length; m++) {
      muscleO[m] = muscleV[m] > 0 ? 1 : 0
      muscleV[m] = 0
    }
    // The dense part: every synapse, every step (Δw = table[4u + 2oᵢ + oⱼ]), then its clipping box.
    const col = net.col
    for (let e = 0; e < nCsr; e++) {
      const v = w[e] + table[4 * e + (o[preOf[e]] << 1) + o[col[e]]]
      w[e] = v < lo[e] ? lo[e] : v > hi[e] ? hi[e] : v
    }
    for (let q = 0; q < mw.length; q++) {
      const u = nCsr + q
      const v = mw[q] + table[4 * u + (o[preOf[u]] << 1) + muscleO[musPost[q]]]
      mw[q] = v < lo[u] ? lo[u] : v > hi[u] ? hi[u] : v
    }
    o.fill(0)
    // Refold the locomotion muscles' weights into the read-out gains, in the simulator's summation order.
    const { leftGain, rightGain, leftSlot, rightSlot } = this
    leftGain.fill(0)
    rightGain.fill(0)
    for (let j = 0; j < leftSlot.length; j++) leftGain[net.leftPre[j]] += mw[leftSlot[j]]
    for (let j = 0; j < rightSlot.length; j++) rightGain[net.rightPre[j]] += mw[rightSlot[j]]
    if (this.rec && ((t + 1) % this.rec.every === 0 || t + 1 === this.recSteps)) this.writeFrame()
  }

  /** Neuron i transmitted this step: its activity, and its input to the muscles (once per transmission). */
  private transmit(i: number): void {
    this.o[i] = 1
    const { musRowPtr, musPost, muscleV, mw } = this
    for (let q = musRowPtr[i], end = musRowPtr[i + 1]; q < end; q++) muscleV[musPost[q]] += mw[q]
  }

  /** The current weights in genome order. */
  weights(out: Float64Array | Float32Array = new Float64Array(this.synapses)): Float64Array | Float32Array {
    return this.gather(out, 0)
  }

  /** Synapses at a finite bound of their clipping box. */
  clippedCount(): number {
    let n = 0
    for (let u = 0; u < this.synapses; u++) {
      const v = u < this.nCsr ? this.w[u] : this.mw[u - this.nCsr]
      if ((v === this.lo[u] || v === this.hi[u]) && Number.isFinite(v)) n++
    }
    return n
  }

  private writeFrame(): void {
    const rec = this.rec!
    this.gather(rec.frames, this.recFrame++ * this.synapses)
  }

  private gather<T extends Float64Array | Float32Array>(out: T, offset: number): T {
    const { geneOf, w, mw, nCsr } = this
    for (let u = 0; u < this.synapses; u++) out[offset + geneOf[u]] = u < nCsr ? w[u] : mw[u - nCsr]
    return out
  }
}
