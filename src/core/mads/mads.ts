/* Longer than 400 lines on purpose: one MADS state machine (search, poll, mesh updates) whose steps share
 * preallocated buffers; its parts with their own state live beside it (mesh, simplex, quad, cache, linalg). */
/**
 * MADS local search, matching NOMAD 4.5's default algorithm as the reference specification describes it
 * (optimizers spec, "MADS local search (what NOMAD 4.5 does by default)"). Minimizes.
 *
 * One iteration = search (speculative → quadratic model (n ≤ 18) → Nelder–Mead; the search stops at its
 * first successful method), then the ORTHO N+1 poll if the search failed. Success (strictly lower f)
 * enlarges the anisotropic GMesh along the step taken; failure refines it. Evaluation is opportunistic
 * and cached (hits are not evaluations). Stops at the budget or when every mesh index is below −50.
 *
 * Choices where NOMAD's code and the spec leave room (documented here, measured in bench/mads.ts):
 * - Points are projected on the mesh around the frame center to the *nearest* mesh point (NOMAD's
 *   `projectOnMesh` rounds away from the center), then clipped to the bounds.
 * - Enlargement follows the spec's rule only (|dᵢ| > 0.1·Δᵢ); NOMAD's code also enlarges coordinates whose
 *   ρ exceeds (min ρ)², which the spec does not list.
 * - The NM rank tests use the scaled distance of a vertex from the affine hull of the others (see
 *   mads-simplex.ts) instead of an SVD; the quadratic model is ours (see mads-quad.ts).
 * - The mesh index is the exponent of δᵢ; a NaN objective value counts as +∞; x0 is clipped into the box.
 *
 * The core is a generator that yields blocks of points to evaluate and receives their values, so that
 * sync (`madsMinimizeSync`), async/parallel (`madsMinimize`) and ask/tell (`MadsSearch`) drivers share
 * the exact same logic: the result depends only on the seed and `blockSize`, never on the driver.
 */

import { Rng } from '../util/rng'
import { PointCache } from './cache'
import { GMesh } from './mesh'
import { QuadModelSearch } from './quad'
import { axpyNeg, dot, householderColumn } from './linalg'
import { NmSimplex } from './simplex'

export { GMesh, timesPow10, roundHalfAway } from './mesh'
export type { GMeshState } from './mesh'

export interface MadsOptions {
  /** Bounds, same length as x0. Every evaluated point lies inside (points are clipped). */
  lower: ArrayLike<number>
  upper: ArrayLike<number>
  /** Evaluation budget, x0 included (NOMAD `MAX_BB_EVAL`). */
  maxEvaluations: number
  seed: number
  /** NOMAD `SPECULATIVE_SEARCH` (default true). */
  speculativeSearch?: boolean
  /** NOMAD `NM_SEARCH` (default true). */
  nelderMead?: boolean
  /** NOMAD `QUAD_MODEL_SEARCH` (default true); only used when (n+1)(n+2)/2 ≤ 200, i.e. n ≤ 18. */
  quadModel?: boolean
  /** NOMAD `ANISOTROPY_FACTOR` (default 0.1). */
  anisotropyFactor?: number
  /** NOMAD `NM_SEARCH_MAX_TRIAL_PTS_NFACTOR` (default 80): at most this·n NM trial points per search. */
  nmMaxFactor?: number
  /** Stop when every mesh index (exponent of δᵢ) is below this (default −50). */
  minMeshIndex?: number
  /** Points of a step sent together to the evaluator (default 1 = NOMAD's sequential opportunism). */
  blockSize?: number
}

export type MadsStepKind = 'initial' | 'speculative' | 'nm' | 'quad' | 'poll'

export interface MadsTracePoint {
  /** 1-based evaluation count. */
  evaluation: number
  f: number
  kind: MadsStepKind
  /** True when this evaluation became the new incumbent. */
  improved: boolean
}

export interface MadsResult {
  x: Float64Array
  f: number
  evaluations: number
  /** Trial points found in the cache and therefore not evaluated (not counted as evaluations). */
  cacheHits: number
  trace: MadsTracePoint[]
  stopReason: 'budget' | 'mesh'
  /** Time spent inside MADS itself (everything but the objective), in ms. */
  bookkeepingMs?: number
}

/** Speculative search factor: x_{k−1} + 4·(x_k − x_{k−1}) (NOMAD `SPECULATIVE_SEARCH_BASE_FACTOR`). */
const SPECULATIVE_FACTOR = 4
/** NM simplex points lie within 8·Δ of the incumbent (NOMAD `NM_SIMPLEX_INCLUDE_FACTOR`). */
const NM_INCLUDE_FACTOR = 8
/** NM coefficients (NOMAD `NM_DELTA_E`, `NM_DELTA_OC`, `NM_DELTA_IC`); reflection is 1. */
const NM_DELTA_E = 2
const NM_DELTA_OC = 0.5
const NM_DELTA_IC = -0.5
/** NOMAD `NM_SEARCH_RANK_EPS`. */
const NM_RANK_EPS = 0.01
/** Nelder–Mead state machine phases. */
const NM_START = 0
const NM_REFLECT = 1
const NM_EXPAND = 2
const NM_INSIDE = 3
const NM_OUTSIDE = 4
/** The quadratic model is used only when a full quadratic has at most this many coefficients. */
const QUAD_MAX_COEFFICIENTS = 200

type Block = Float64Array[]
type Core<R = void> = Generator<Block, R, ArrayLike<number>>

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now()

const NO_VALUES: number[] = []

/** out[i] = a[i] + sign·b[off+i] (out may alias a). */
function addSigned(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  off: number,
  sign: number,
  n: number
): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + sign * b[off + i]
}

/** True when |xs[off+i] − c[i]| ≤ lim[i] for every i. */
function withinBox(xs: Float64Array, off: number, c: Float64Array, lim: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (Math.abs(xs[off + i] - c[i]) > lim[i]) return false
  return true
}

/** Σᵢ (dᵢ/Δᵢ − colᵢ·scale)², the squared rounding error of a projected direction in Δ units. */
function roundingError(
  dirs: Float64Array,
  off: number,
  frame: Float64Array,
  col: Float64Array,
  scale: number,
  n: number
): number {
  let s = 0
  for (let i = 0; i < n; i++) {
    const e = dirs[off + i] / frame[i] - col[i] * scale
    s += e * e
  }
  return s
}

/** The MADS state machine; drive it with `ask()` / `tell()`. */
export class MadsSearch {
  readonly n: number
  private readonly lb: Float64Array
  private readonly ub: Float64Array
  private readonly maxEvals: number
  private readonly useSpeculative: boolean
  private readonly useNm: boolean
  private readonly anisotropy: number
  private readonly nmMaxFactor: number
  private readonly minMeshIndex: number
  private readonly blockSize: number
  readonly mesh: GMesh
  private readonly rng: Rng
  private readonly cache: PointCache
  private readonly simplex: NmSimplex | null
  private readonly quad: QuadModelSearch | null

  private evals = 0
  private cacheHits = 0
  private readonly trace: MadsTracePoint[] = []
  private stopReason: 'budget' | 'mesh' = 'budget'
  private bestIdx = -1
  private fBest = Infinity
  /** Set when an evaluation improves the incumbent during the current iteration. */
  private improved = false

  // Iteration state.
  private readonly x0: Float64Array
  private readonly center: Float64Array
  private centerIdx = -1
  private fCenter = Infinity
  private readonly prevCenter: Float64Array
  private hasPrev = false
  private readonly lastDir: Float64Array
  private hasLastDir = false
  private readonly frame: Float64Array

  // Work buffers.
  private readonly tmp: Float64Array
  private readonly yc: Float64Array
  private readonly xr: Float64Array
  private readonly xe: Float64Array
  private readonly v: Float64Array
  private readonly col: Float64Array
  private readonly dirs: Float64Array
  private readonly keys: Float64Array
  private readonly orderIdx: Int32Array
  private readonly kept: Int32Array
  private readonly pairTaken: Uint8Array
  private pollIndependent = false
  private pollKept = 0
  private pollNext = 0
  private nmPhase = NM_START
  private nmTrials = 0
  /** f of the NM reflection point xr. */
  private fr = Infinity
  private readonly pollBasis: Float64Array
  private readonly z: Float64Array
  private stagedPts: Float64Array[] = []
  private readonly stagedIdx: Int32Array
  private lastEvalIdx = -1

  private readonly core: Core
  private started = false
  private finished = false
  private pending: Block | null = null
  private told: ArrayLike<number> | null = null
  private bookkeeping = 0

  constructor(x0: ArrayLike<number>, opts: MadsOptions) {
    const n = x0.length
    if (n < 1) throw new Error('MADS: x0 must have at least one coordinate')
    if (opts.lower.length !== n || opts.upper.length !== n) {
      throw new Error(`MADS: bounds have length ${opts.lower.length}/${opts.upper.length}, x0 has ${n}`)
    }
    if (!(opts.maxEvaluations >= 1))
      throw new Error(`MADS: maxEvaluations must be ≥ 1, got ${opts.maxEvaluations}`)
    this.n = n
    this.lb = Float64Array.from(opts.lower)
    this.ub = Float64Array.from(opts.upper)
    for (let i = 0; i < n; i++) {
      if (!(this.lb[i] <= this.ub[i])) throw new Error(`MADS: lower > upper at coordinate ${i}`)
    }
    this.maxEvals = Math.floor(opts.maxEvaluations)
    this.useSpeculative = opts.speculativeSearch ?? true
    this.useNm = opts.nelderMead ?? true
    const useQuad = (opts.quadModel ?? true) && ((n + 1) * (n + 2)) / 2 <= QUAD_MAX_COEFFICIENTS
    this.anisotropy = opts.anisotropyFactor ?? 0.1
    this.nmMaxFactor = opts.nmMaxFactor ?? 80
    this.minMeshIndex = opts.minMeshIndex ?? -50
    this.blockSize = Math.max(1, Math.floor(opts.blockSize ?? 1))
    this.x0 = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x0[i])) throw new Error(`MADS: x0[${i}] is not finite`)
      this.x0[i] = Math.min(this.ub[i], Math.max(this.lb[i], x0[i]))
    }
    this.mesh = GMesh.fromBounds(this.lb, this.ub, this.x0)
    this.rng = new Rng(opts.seed)
    this.cache = new PointCache(n, Math.min(4096, Math.max(64, this.maxEvals + 8)))
    this.simplex = this.useNm ? new NmSimplex(n, NM_RANK_EPS) : null
    this.quad = useQuad ? new QuadModelSearch(n) : null
    this.center = new Float64Array(n)
    this.prevCenter = new Float64Array(n)
    this.lastDir = new Float64Array(n)
    this.frame = new Float64Array(n)
    this.tmp = new Float64Array(n)
    this.yc = new Float64Array(n)
    this.xr = new Float64Array(n)
    this.xe = new Float64Array(n)
    this.v = new Float64Array(n)
    this.col = new Float64Array(n)
    this.dirs = new Float64Array(n * n)
    this.keys = new Float64Array(2 * n)
    this.orderIdx = new Int32Array(2 * n)
    this.kept = new Int32Array(n)
    this.pairTaken = new Uint8Array(n)
    this.stagedIdx = new Int32Array(Math.max(this.blockSize, 1))
    this.pollBasis = new Float64Array(n * n)
    this.z = new Float64Array(n)
    this.core = this.run()
  }

  /** The next block of points to evaluate, or null when the run is over. Repeats until `tell`. */
  ask(): Float64Array[] | null {
    if (this.pending) return this.pending
    if (this.finished) return null
    const t0 = now()
    const r = this.started ? this.core.next(this.told ?? NO_VALUES) : this.core.next(NO_VALUES)
    this.started = true
    this.told = null
    this.bookkeeping += now() - t0
    if (r.done) {
      this.finished = true
      return null
    }
    this.pending = r.value
    return r.value
  }

  /** Objective values of the block returned by the last `ask`, in the same order. */
  tell(values: ArrayLike<number>): void {
    if (!this.pending) throw new Error('MADS: tell() without a pending ask()')
    if (values.length !== this.pending.length) {
      throw new Error(`MADS: expected ${this.pending.length} values, got ${values.length}`)
    }
    this.told = values
    this.pending = null
  }

  get done(): boolean {
    return this.finished
  }

  /** Best point so far (final once `ask()` has returned null). */
  result(): MadsResult {
    if (!this.pending && this.told) this.ask()
    const x = new Float64Array(this.n)
    if (this.bestIdx >= 0) x.set(this.cache.point(this.bestIdx))
    return {
      x,
      f: this.fBest,
      evaluations: this.evals,
      cacheHits: this.cacheHits,
      trace: this.trace,
      stopReason: this.stopReason,
      bookkeepingMs: this.bookkeeping
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Evaluation plumbing

  /** Queues x (copied) for evaluation unless it is cached; a cache hit is counted and skipped. */
  private stage(x: Float64Array): boolean {
    if (this.cache.find(x) >= 0) {
      this.cacheHits++
      return false
    }
    // Pending points are in the cache, so duplicates inside a block are cache hits too.
    this.stagedIdx[this.stagedPts.length] = this.cache.addPending(x, true)
    this.stagedPts.push(Float64Array.from(x))
    return true
  }

  private get staged(): number {
    return this.stagedPts.length
  }

  /** Hands out the staged block (to be yielded to the driver). */
  private takeBlock(): Block {
    const pts = this.stagedPts
    this.stagedPts = []
    return pts
  }

  /** Records the values of the block just yielded, in generation order (improvements move the incumbent). */
  private absorb(values: ArrayLike<number>, kind: MadsStepKind): void {
    const count = values.length
    for (let k = 0; k < count; k++) {
      let f = +values[k]
      if (Number.isNaN(f)) f = Infinity // failed evaluation: never an improvement
      const idx = this.stagedIdx[k]
      this.cache.setValue(idx, f)
      this.evals++
      const imp = f < this.fBest
      if (imp) {
        this.fBest = f
        this.bestIdx = idx
        this.improved = true
      }
      this.lastEvalIdx = idx
      this.trace.push({ evaluation: this.evals, f, kind, improved: imp })
    }
  }

  private budgetLeft(): number {
    return this.maxEvals - this.evals - this.staged
  }

  private clip(x: Float64Array): void {
    for (let i = 0; i < this.n; i++) {
      const v = x[i]
      if (v < this.lb[i]) x[i] = this.lb[i]
      else if (v > this.ub[i]) x[i] = this.ub[i]
    }
  }

  private equalsCenter(x: Float64Array): boolean {
    for (let i = 0; i < this.n; i++) if (x[i] !== this.center[i]) return false
    return true
  }

  // ---------------------------------------------------------------------------------------------
  // Main loop. The generator only sequences the steps and yields blocks; all the work is in ordinary
  // methods (V8 optimizes generator bodies late, so hot loops must not live in them).

  private *run(): Core {
    this.stage(this.x0)
    this.absorb(yield this.takeBlock(), 'initial')
    while (this.beginIteration()) {
      // Search: speculative, quadratic model, Nelder–Mead; the search stops at its first success.
      if (this.useSpeculative && this.hasPrev && this.speculativeStage()) {
        this.absorb(yield this.takeBlock(), 'speculative')
      }
      if (!this.improved && this.quad && this.budgetLeft() > 0 && this.quadStage()) {
        this.absorb(yield this.takeBlock(), 'quad')
      }
      if (!this.improved && this.simplex && this.budgetLeft() > 0 && this.nmInit()) {
        while (this.nmNext()) this.absorb(yield this.takeBlock(), 'nm')
      }
      // Poll, only if the search failed; opportunistic after each block.
      if (!this.improved && this.budgetLeft() > 0) {
        this.pollBegin()
        while (this.pollFill()) {
          this.absorb(yield this.takeBlock(), 'poll')
          if (this.improved || this.budgetLeft() <= 0) break
        }
        if (!this.improved && this.pollSecondPass()) this.absorb(yield this.takeBlock(), 'poll')
      }
      this.endIteration()
    }
  }

  /** Checks the stopping rules and sets up the frame center; false when the run is over. */
  private beginIteration(): boolean {
    if (this.evals >= this.maxEvals) {
      this.stopReason = 'budget'
      return false
    }
    if (this.mesh.allMeshIndicesBelow(this.minMeshIndex)) {
      this.stopReason = 'mesh'
      return false
    }
    this.centerIdx = this.bestIdx
    this.fCenter = this.fBest
    this.center.set(this.cache.point(this.bestIdx))
    this.mesh.frameSizes(this.frame)
    this.improved = false
    return true
  }

  /** Mesh update: enlarge along the step taken on success (anisotropically), refine on failure. */
  private endIteration(): void {
    if (this.improved) {
      const n = this.n
      const best = this.cache.point(this.bestIdx)
      for (let i = 0; i < n; i++) this.lastDir[i] = best[i] - this.center[i]
      this.hasLastDir = true
      this.mesh.enlarge(this.lastDir, this.anisotropy)
      this.prevCenter.set(this.center)
      this.hasPrev = true
    } else {
      this.mesh.refine()
      this.hasPrev = false
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Search methods (each stages its point(s); false when there is nothing to evaluate)

  /** One point x_{k−1} + 4(x_k − x_{k−1}), projected on the mesh and clipped; only right after a success. */
  private speculativeStage(): boolean {
    const x = this.tmp
    for (let i = 0; i < this.n; i++) {
      x[i] = this.prevCenter[i] + SPECULATIVE_FACTOR * (this.center[i] - this.prevCenter[i])
    }
    this.mesh.project(x, this.center, x)
    this.clip(x)
    return !this.equalsCenter(x) && this.stage(x)
  }

  private quadStage(): boolean {
    const x = this.tmp
    if (!this.quad!.propose(this.cache, this.center, this.fCenter, this.frame, this.lb, this.ub, x))
      return false
    this.mesh.project(x, this.center, x)
    this.clip(x)
    return !this.equalsCenter(x) && this.stage(x)
  }

  /** Simplex from the best cached points within 8Δ of the incumbent; false when n+1 independent are missing. */
  private nmInit(): boolean {
    const n = this.n
    const S = this.simplex!
    S.begin(this.center, this.fCenter, this.frame)
    const lim = this.z
    for (let i = 0; i < n; i++) lim[i] = NM_INCLUDE_FACTOR * this.frame[i]
    const cache = this.cache
    const xs = cache.xs
    const c = this.center
    this.nmPhase = NM_START
    this.nmTrials = 0
    for (let t = 0; t < cache.sortedCount; t++) {
      const k = cache.sorted[t]
      if (k === this.centerIdx) continue
      const f = cache.fs[k]
      if (!(f < Infinity)) break // failed evaluations come last
      const off = k * n
      if (withinBox(xs, off, c, lim, n) && S.tryAdd(xs, off, f) && S.complete) return true
    }
    return false
  }

  /** out = yc + δ·(yc − yn), projected on the mesh around the frame center and clipped. */
  private nmPoint(delta: number, out: Float64Array): void {
    const S = this.simplex!
    const n = this.n
    const wo = S.worstSlot() * n
    for (let i = 0; i < n; i++) out[i] = this.yc[i] + delta * (this.yc[i] - S.pts[wo + i])
    this.mesh.project(out, this.center, out)
    this.clip(out)
  }

  /**
   * Stages the NM trial point for `delta` (computed from the current centroid) and enters `phase`; false
   * when NM stops: trial limit or budget reached, the point equals the worst vertex, or it is cached.
   */
  private nmTry(delta: number, out: Float64Array, phase: number): boolean {
    if (this.nmTrials >= this.nmMaxFactor * this.n || this.budgetLeft() <= 0) return false
    this.nmPoint(delta, out)
    if (this.simplex!.isWorst(out)) return false
    this.nmTrials++
    if (!this.stage(out)) return false // cache hit: NOMAD stops the NM search
    this.nmPhase = phase
    return true
  }

  private nmReflect(): boolean {
    this.simplex!.centroid(this.yc)
    return this.nmTry(1, this.xr, NM_REFLECT)
  }

  /** Inserts x (value f) in place of the worst vertex if it beats it and keeps the simplex non-degenerate. */
  private nmInsert(x: Float64Array, f: number): boolean {
    const S = this.simplex!
    if (!(f < S.worstF()) || !S.canReplaceWorst(x)) return false
    S.replaceWorst(x, f)
    return true
  }

  /**
   * Nelder–Mead search (NOMAD `NMReflective`) as a state machine: processes the value of the point just
   * evaluated and stages the next one. Reflect, then expand / insert / outside or inside contraction; never
   * shrinks (stops instead), does not stop at the first success, stops on a cache hit and after
   * nmMaxFactor·n trial points. Returns false when NM is over.
   */
  private nmNext(): boolean {
    const S = this.simplex!
    const f = this.cache.fs[this.lastEvalIdx]
    switch (this.nmPhase) {
      case NM_START:
        return this.nmReflect()
      case NM_REFLECT: {
        this.fr = f
        if (f < S.bestF()) return this.nmTry(NM_DELTA_E, this.xe, NM_EXPAND)
        if (f > S.worstF()) return this.nmTry(NM_DELTA_IC, this.tmp, NM_INSIDE)
        // Reflection zone (xr beats at least two vertices): insert xr; otherwise outside contraction.
        if (f < S.secondWorstF()) return this.nmInsert(this.xr, f) && this.nmReflect()
        return this.nmTry(NM_DELTA_OC, this.tmp, NM_OUTSIDE)
      }
      case NM_EXPAND:
        // Insert the better of xr and xe.
        return (f < this.fr ? this.nmInsert(this.xe, f) : this.nmInsert(this.xr, this.fr)) && this.nmReflect()
      case NM_INSIDE:
        // A shrink would be needed when xic does not beat the worst vertex: stop.
        return this.nmInsert(this.tmp, f) && this.nmReflect()
      default:
        // Outside contraction: insert the better of xr and xoc if it beats the worst vertex.
        return (
          (f < this.fr ? this.nmInsert(this.tmp, f) : this.nmInsert(this.xr, this.fr)) && this.nmReflect()
        )
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Poll

  /** Lazy rank filter: accepts direction d if it is linearly independent of those accepted (scaled by Δ). */
  private rankAccept(d: number, count: number): boolean {
    const n = this.n
    const z = this.z
    const off = (d >> 1) * n
    const sign = d & 1 ? -1 : 1
    let norm2 = 0
    for (let i = 0; i < n; i++) {
      const v = (sign * this.dirs[off + i]) / this.frame[i]
      z[i] = v
      norm2 += v * v
    }
    const basis = this.pollBasis
    for (let j = 0; j < count; j++) {
      const bo = j * n
      const c = dot(basis, bo, z, 0, n)
      if (c !== 0) axpyNeg(z, 0, c, basis, bo, n)
    }
    const r2 = dot(z, 0, z, 0, n)
    if (!(r2 > 1e-12 * norm2)) return false
    const ir = 1 / Math.sqrt(r2)
    const bo = count * n
    for (let i = 0; i < n; i++) basis[bo + i] = z[i] * ir
    return true
  }

  /**
   * ORTHO N+1 poll (NOMAD `OrthoNPlus1PollMethod`, NEG variant), first part: 2n directions ± columns of the
   * Householder matrix I − 2vvᵀ (v a normal draw on the unit sphere), scaled and rounded to the mesh, and
   * ordered by angle with the last successful direction.
   */
  private pollBegin(): void {
    const n = this.n
    const { v, col, dirs, keys, orderIdx } = this
    let nv = 0
    while (!(nv > 0)) {
      nv = 0
      for (let i = 0; i < n; i++) {
        v[i] = this.rng.normal()
        nv += v[i] * v[i]
      }
    }
    const inv = 1 / Math.sqrt(nv)
    for (let i = 0; i < n; i++) v[i] *= inv
    // Generation order alternates +H_j and −H_j (NOMAD `generate2NDirections`): direction d is column d >> 1,
    // negated when d is odd. Only the columns are stored.
    // Rounding check: in Δ-scaled units the rounded matrix is H·diag(cⱼ) + ε with cⱼ = 1/‖Hⱼ‖∞ ≥ 1, so its
    // smallest singular value is ≥ min cⱼ − ‖ε‖_F. When that is safely positive the n columns are
    // independent and the rank filter reduces to "first of each ± pair", with no Gram–Schmidt.
    let err2 = 0
    let minC = Infinity
    for (let j = 0; j < n; j++) {
      const inf = householderColumn(v, j, col, n)
      const po = j * n
      this.mesh.projectDirection(col, dirs.subarray(po, po + n))
      const ic = 1 / inf
      minC = Math.min(minC, ic)
      err2 += roundingError(dirs, po, this.frame, col, ic, n)
    }
    this.pollIndependent = Math.sqrt(err2) < 0.5 * minC
    const m = 2 * n
    for (let d = 0; d < m; d++) orderIdx[d] = d
    if (this.hasLastDir) {
      // Smallest angle with the last successful direction first (ties: generation order).
      const ln = Math.sqrt(dot(this.lastDir, 0, this.lastDir, 0, n))
      for (let j = 0; j < n; j++) {
        const po = j * n
        const dn = Math.sqrt(dot(dirs, po, dirs, po, n))
        const c = ln > 0 ? dot(dirs, po, this.lastDir, 0, n) / (dn * ln) : 0
        keys[2 * j] = c
        keys[2 * j + 1] = -c
      }
      // Insertion sort of 2n entries by decreasing key; stable, so ties keep generation order.
      for (let a = 1; a < m; a++) {
        const d = orderIdx[a]
        const kd = keys[d]
        let b = a
        while (b > 0 && keys[orderIdx[b - 1]] < kd) {
          orderIdx[b] = orderIdx[b - 1]
          b--
        }
        orderIdx[b] = d
      }
    }
    this.pairTaken.fill(0)
    this.pollKept = 0
    this.pollNext = 0
  }

  /**
   * Stages the next block: the next directions in order that increase the rank (the first n are kept),
   * skipping cached points. Returns true when something was staged.
   */
  private pollFill(): boolean {
    const n = this.n
    const m = 2 * n
    const x = this.tmp
    const c = this.center
    while (this.pollKept < n && this.pollNext < m && this.staged < this.blockSize && this.budgetLeft() > 0) {
      const d = this.orderIdx[this.pollNext++]
      if (this.pollIndependent ? this.pairTaken[d >> 1] === 1 : !this.rankAccept(d, this.pollKept)) continue
      this.pairTaken[d >> 1] = 1
      this.kept[this.pollKept++] = d
      addSigned(x, c, this.dirs, (d >> 1) * n, d & 1 ? -1 : 1, n)
      this.clip(x)
      this.stage(x)
    }
    return this.staged > 0
  }

  /** Second pass: one point along −(sum of the n kept directions), which is on the mesh. */
  private pollSecondPass(): boolean {
    const n = this.n
    if (this.pollKept < n || this.budgetLeft() <= 0) return false
    const x = this.tmp
    x.set(this.center)
    for (let k = 0; k < n; k++) {
      const d = this.kept[k]
      addSigned(x, x, this.dirs, (d >> 1) * n, d & 1 ? 1 : -1, n)
    }
    this.clip(x)
    return !this.equalsCenter(x) && this.stage(x)
  }
}

/** Synchronous MADS: `f` is called once per point, in generation order. */
export function madsMinimizeSync(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  opts: MadsOptions
): MadsResult {
  const search = new MadsSearch(x0, opts)
  const buffer = new Float64Array(Math.max(1, Math.floor(opts.blockSize ?? 1)))
  for (let xs = search.ask(); xs; xs = search.ask()) {
    const values = xs.length === buffer.length ? buffer : buffer.subarray(0, xs.length)
    for (let k = 0; k < xs.length; k++) values[k] = f(xs[k])
    search.tell(values)
  }
  return search.result()
}

/**
 * Block-evaluating MADS: `f` receives the points of a step in blocks of up to `blockSize` (poll points;
 * search points come one at a time) and may evaluate them in parallel. Opportunism is applied after each
 * block in generation order, so the result equals `madsMinimizeSync` with the same options.
 */
export async function madsMinimize(
  f: (xs: Float64Array[]) => Promise<ArrayLike<number>> | ArrayLike<number>,
  x0: ArrayLike<number>,
  opts: MadsOptions
): Promise<MadsResult> {
  const search = new MadsSearch(x0, opts)
  for (let xs = search.ask(); xs; xs = search.ask()) search.tell(await f(xs))
  return search.result()
}
