/**
 * The plastic feedforward network of Najarro & Risi (paper seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt)
 * as the authors run it (/work/shared/docs/hebbian-environments.md §1 [H policies.py, fitness_functions.py,
 * hebbian_weights_update.py]): tanh layers, no biases, every synapse updated in place after every step by its own
 * Hebbian rule from that step's activations (pre = the layer's input, post = its output).
 *
 * All buffers are allocated in the constructor; forward() and update() allocate nothing, because the quadruped
 * calls them ~1,000 times per episode for 12,288 synapses (61,440 coefficients with ABCD_lr).
 *
 * The static network (the paper's baseline) has the same forward pass; its genome is the weights themselves and
 * update() does nothing.
 */

import type { Rng } from '../util/rng'
import { RULE_COEFFICIENTS, type HebbianRule } from './rules'

export type Controller =
  { kind: 'hebbian'; rule: HebbianRule; init: 'uniform' | 'normal' } | { kind: 'static' }

export interface PlasticMlpOptions {
  /** Layer widths, e.g. [28, 128, 64, 8]; no biases. */
  sizes: readonly number[]
  controller: Controller
  /** Quadruped: o_L = tanh(W_L o_{L−1}), and that tanh'd output is the post activation of the last layer; car: raw. */
  outputTanh: boolean
  /** Car: divide each layer by its own max|w| after every update (the authors' CarRacing branch). */
  normalise: boolean
}

/** Half-width of the uniform initial weights, U(−0.1, 0.1) (paper and authors' default `uni`). */
const INIT_UNIFORM = 0.1
/**
 * Standard deviation of the normal initial weights. The paper cites N(0, 0.1) [P §4.1]; the authors' code
 * draws N(0, 0.024) [H fitness_functions.py]. We follow the paper (the design contract of issue 11).
 */
const INIT_NORMAL_STD = 0.1

export class PlasticMlp {
  readonly sizes: readonly number[]
  readonly controller: Controller
  /** Σ n_in·n_out over the layers. */
  readonly synapses: number
  /** Static: synapses; hebbian: synapses × RULE_COEFFICIENTS[rule]. */
  readonly genomeLength: number
  /** All layers concatenated; layer l, synapse (i = pre, j = post) at weightOffsets[l] + j·n_in + i. */
  readonly weights: Float64Array
  /** Start of each layer in `weights` (and, in synapse rows, in the coefficient vector). */
  readonly weightOffsets: readonly number[]
  /** Layer activations of the last forward (o0 … oL); reused buffers. */
  readonly activations: readonly Float64Array[]

  private readonly outputTanh: boolean
  private readonly normalise: boolean
  /** Coefficients per synapse (0 for static). */
  private readonly k: number
  /** The genome: hebbian → the coefficients, static → the weights. */
  private readonly genome: Float64Array

  constructor(opts: PlasticMlpOptions) {
    const sizes = opts.sizes
    if (sizes.length < 2) throw new Error(`PlasticMlp needs at least 2 layer sizes, got ${sizes.length}`)
    for (const n of sizes)
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`PlasticMlp: bad layer size ${n} in [${sizes.join(', ')}]`)
    this.sizes = [...sizes]
    this.controller = opts.controller
    this.outputTanh = opts.outputTanh
    this.normalise = opts.normalise
    const offsets: number[] = []
    let synapses = 0
    for (let l = 0; l + 1 < sizes.length; l++) {
      offsets.push(synapses)
      synapses += sizes[l] * sizes[l + 1]
    }
    this.weightOffsets = offsets
    this.synapses = synapses
    this.k = opts.controller.kind === 'hebbian' ? RULE_COEFFICIENTS[opts.controller.rule] : 0
    this.genomeLength = opts.controller.kind === 'hebbian' ? synapses * this.k : synapses
    this.weights = new Float64Array(synapses)
    this.genome = new Float64Array(this.genomeLength)
    this.activations = sizes.map((n) => new Float64Array(n))
  }

  /** Hebbian: the rule coefficients (copied in); static: the weights (copied in, and into `weights` at once). */
  setGenome(genome: ArrayLike<number>): void {
    if (genome.length !== this.genomeLength)
      throw new Error(`PlasticMlp genome has ${genome.length} values, expected ${this.genomeLength}`)
    for (let g = 0; g < this.genomeLength; g++) this.genome[g] = genome[g]
    if (this.controller.kind === 'static') this.weights.set(this.genome)
  }

  /** Start of a lifetime: hebbian → weights redrawn from rng (U(−0.1, 0.1) or N(0, 0.1)); static → weights = genome. */
  resetWeights(rng: Rng): void {
    const w = this.weights
    const c = this.controller
    if (c.kind === 'static') {
      w.set(this.genome)
    } else if (c.init === 'uniform') {
      for (let s = 0; s < w.length; s++) w[s] = rng.uniform(-INIT_UNIFORM, INIT_UNIFORM)
    } else {
      for (let s = 0; s < w.length; s++) w[s] = INIT_NORMAL_STD * rng.normal()
    }
  }

  /** o0 = input, o_{l+1} = tanh(W o_l) (the last layer tanh only if outputTanh). Returns the output buffer (reused). */
  forward(input: ArrayLike<number>): Float64Array {
    const acts = this.activations
    const a0 = acts[0]
    if (input.length !== a0.length)
      throw new Error(`PlasticMlp input has ${input.length} values, expected ${a0.length}`)
    for (let i = 0; i < a0.length; i++) a0[i] = input[i]
    const w = this.weights
    const last = acts.length - 2
    for (let l = 0; l <= last; l++) {
      const pre = acts[l]
      const post = acts[l + 1]
      const nIn = pre.length
      const squash = l < last || this.outputTanh
      let row = this.weightOffsets[l]
      for (let j = 0; j < post.length; j++, row += nIn) {
        let s = 0
        for (let i = 0; i < nIn; i++) s += w[row + i] * pre[i]
        post[j] = squash ? Math.tanh(s) : s
      }
    }
    return acts[acts.length - 1]
  }

  /**
   * In-place Hebbian update of every layer from the activations of the last forward (pre = layer input,
   * post = layer output), then the optional per-layer max|w| normalisation; a no-op for static.
   * Coefficient row of synapse W[j][i] in layer l: weightOffsets[l] + i·n_out + j (the authors' layout after
   * 2020-10-13, [H hebbian_weights_update.py]), each row k = RULE_COEFFICIENTS[rule] wide.
   */
  update(): void {
    const c = this.controller
    if (c.kind === 'static') return
    const acts = this.activations
    for (let l = 0; l + 1 < acts.length; l++) {
      const wOff = this.weightOffsets[l]
      const pre = acts[l]
      const post = acts[l + 1]
      const cOff = wOff * this.k
      const w = this.weights
      const h = this.genome
      switch (c.rule) {
        case 'A':
          updateA(w, wOff, h, cOff, pre, post)
          break
        case 'AD':
          updateAD(w, wOff, h, cOff, pre, post)
          break
        case 'AD_lr':
          updateADlr(w, wOff, h, cOff, pre, post)
          break
        case 'ABC':
          updateABC(w, wOff, h, cOff, pre, post)
          break
        case 'ABC_lr':
          updateABClr(w, wOff, h, cOff, pre, post)
          break
        case 'ABCD':
          updateABCD(w, wOff, h, cOff, pre, post)
          break
        case 'ABCD_lr':
          updateABCDlr(w, wOff, h, cOff, pre, post)
          break
      }
      if (this.normalise) normaliseLayer(w, wOff, pre.length * post.length)
    }
  }
}

/**
 * Divides one layer by its max|w| (the authors' car: W / W.abs().max()). An all-zero layer is left as is (the
 * authors' code would produce NaN; with random initial weights it does not happen).
 */
function normaliseLayer(w: Float64Array, off: number, n: number): void {
  let max = 0
  for (let s = off; s < off + n; s++) {
    const a = Math.abs(w[s])
    if (a > max) max = a
  }
  if (max === 0) return
  for (let s = off; s < off + n; s++) w[s] /= max
}

// One loop per variant (the arithmetic of ruleDelta, inlined). Coefficients are walked contiguously (i outer,
// j inner); weight index wOff + j·nIn + i.

function updateA(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 1) w[s] += c[r] * x * post[j]
  }
}

function updateAD(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 2) w[s] += c[r] * x * post[j] + c[r + 1]
  }
}

function updateADlr(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 3)
      w[s] += c[r + 2] * (c[r] * x * post[j] + c[r + 1])
  }
}

function updateABC(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 3) {
      const y = post[j]
      w[s] += c[r] * x * y + c[r + 1] * x + c[r + 2] * y
    }
  }
}

function updateABClr(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 4) {
      const y = post[j]
      w[s] += c[r + 3] * (c[r] * x * y + c[r + 1] * x + c[r + 2] * y)
    }
  }
}

function updateABCD(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 4) {
      const y = post[j]
      w[s] += c[r] * x * y + c[r + 1] * x + c[r + 2] * y + c[r + 3]
    }
  }
}

function updateABCDlr(
  w: Float64Array,
  wOff: number,
  c: Float64Array,
  cOff: number,
  pre: Float64Array,
  post: Float64Array
) {
  const nIn = pre.length
  const nOut = post.length
  let r = cOff
  for (let i = 0; i < nIn; i++) {
    const x = pre[i]
    for (let j = 0, s = wOff + i; j < nOut; j++, s += nIn, r += 5) {
      const y = post[j]
      w[s] += c[r + 3] * (c[r] * x * y + c[r + 1] * x + c[r + 2] * y + c[r + 4])
    }
  }
}
