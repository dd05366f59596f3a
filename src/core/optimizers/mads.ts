/**
 * MADS local search, matching NOMAD 4.5's default algorithm as specified in
 * `docs/optimizers.md` § "MADS local search (what NOMAD 4.5 does by default)".
 *
 * One iteration = search (speculative → quadratic model (n ≤ 18) → Nelder–Mead; the search stops at its
 * first successful method), then the ORTHO N+1 poll if the search failed. Success (strictly lower f)
 * enlarges the anisotropic GMesh along the step taken; failure refines it. Evaluation is opportunistic
 * and cached. Minimizes.
 *
 * The core is a generator that yields blocks of points to evaluate and receives their values, so that
 * sync (`madsMinimizeSync`), async/parallel (`madsMinimize`) and ask/tell (`MadsSearch`) drivers share
 * the exact same logic: the result depends only on the seed and `blockSize`, never on the driver.
 */

import { Rng } from '../util/rng'
import { PointCache } from './mads-cache'
import { GMesh } from './mads-mesh'
import { QuadModelSearch } from './mads-quad'
import { NmSimplex, dot } from './mads-simplex'

export { GMesh, timesPow10, roundHalfAway } from './mads-mesh'
export type { GMeshState } from './mads-mesh'

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
/** The quadratic model is used only when a full quadratic has at most this many coefficients. */
const QUAD_MAX_COEFFICIENTS = 200

type Block = Float64Array[]
type Core<R = void> = Generator<Block, R, ArrayLike<number>>

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now()

const NO_VALUES: number[] = []

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
    if (!(opts.maxEvaluations >= 1)) throw new Error(`MADS: maxEvaluations must be ≥ 1, got ${opts.maxEvaluations}`)
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
    for (let i = 0; i < n; i++) this.x0[i] = Math.min(this.ub[i], Math.max(this.lb[i], x0[i]))
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
    this.stagedIdx[this.stagedPts.length] = this.cache.addPending(x)
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
  // Main loop

  private *run(): Core {
    const n = this.n
    this.stage(this.x0)
    this.absorb(yield this.takeBlock(), 'initial')
    for (;;) {
      if (this.evals >= this.maxEvals) {
        this.stopReason = 'budget'
        return
      }
      if (this.mesh.allMeshIndicesBelow(this.minMeshIndex)) {
        this.stopReason = 'mesh'
        return
      }
      this.centerIdx = this.bestIdx
      this.fCenter = this.fBest
      this.center.set(this.cache.point(this.bestIdx))
      this.mesh.frameSizes(this.frame)
      this.improved = false

      if (this.useSpeculative && this.hasPrev) yield* this.speculativeSearch()
      if (!this.improved && this.quad && this.budgetLeft() > 0) yield* this.quadSearch()
      if (!this.improved && this.simplex && this.budgetLeft() > 0) yield* this.nmSearch()
      if (!this.improved && this.budgetLeft() > 0) yield* this.poll()

      if (this.improved) {
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
  }

  // ---------------------------------------------------------------------------------------------
  // Search methods

  /** One point x_{k−1} + 4(x_k − x_{k−1}), projected on the mesh and clipped; only right after a success. */
  private *speculativeSearch(): Core {
    const x = this.tmp
    for (let i = 0; i < this.n; i++) {
      x[i] = this.prevCenter[i] + SPECULATIVE_FACTOR * (this.center[i] - this.prevCenter[i])
    }
    this.mesh.project(x, this.center, x)
    this.clip(x)
    if (this.equalsCenter(x) || !this.stage(x)) return
    this.absorb(yield this.takeBlock(), 'speculative')
  }

  private *quadSearch(): Core {
    const x = this.tmp
    if (!this.quad!.propose(this.cache, this.center, this.fCenter, this.frame, this.lb, this.ub, x)) return
    this.mesh.project(x, this.center, x)
    this.clip(x)
    if (this.equalsCenter(x) || !this.stage(x)) return
    this.absorb(yield this.takeBlock(), 'quad')
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
    for (let t = 0; t < cache.sortedCount; t++) {
      const k = cache.sorted[t]
      if (k === this.centerIdx) continue
      const f = cache.fs[k]
      if (!(f < Infinity)) break // failed evaluations come last
      const off = k * n
      let inside = true
      for (let i = 0; i < n; i++) {
        if (Math.abs(xs[off + i] - c[i]) > lim[i]) {
          inside = false
          break
        }
      }
      if (inside && S.tryAdd(xs, off, f) && S.complete) return true
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
   * Nelder–Mead search (NOMAD `NMReflective`): reflect, then expand / insert / outside or inside contraction;
   * never shrinks (stops instead), does not stop at the first success, stops on a cache hit, and after
   * nmMaxFactor·n trial points.
   */
  private *nmSearch(): Core {
    if (!this.nmInit()) return
    const S = this.simplex!
    const cache = this.cache
    const maxTrials = this.nmMaxFactor * this.n
    const { xr, xe, tmp: xc } = this
    let trials = 0
    while (trials < maxTrials && this.budgetLeft() > 0) {
      S.centroid(this.yc)
      this.nmPoint(1, xr)
      if (S.isWorst(xr)) return
      trials++
      if (!this.stage(xr)) return // cache hit: NOMAD stops the NM search
      this.absorb(yield this.takeBlock(), 'nm')
      const fr = cache.fs[this.lastEvalIdx]
      if (fr < S.bestF()) {
        // Expansion zone: insert the better of xr and xe.
        if (trials >= maxTrials || this.budgetLeft() <= 0) return
        this.nmPoint(NM_DELTA_E, xe)
        if (S.isWorst(xe)) return
        trials++
        if (!this.stage(xe)) return
        this.absorb(yield this.takeBlock(), 'nm')
        const fe = cache.fs[this.lastEvalIdx]
        const x = fe < fr ? xe : xr
        if (!S.canReplaceWorst(x)) return
        S.replaceWorst(x, Math.min(fe, fr))
      } else if (fr > S.worstF()) {
        // Inside contraction; a shrink would be needed if it does not beat the worst vertex.
        if (trials >= maxTrials || this.budgetLeft() <= 0) return
        this.nmPoint(NM_DELTA_IC, xc)
        if (S.isWorst(xc)) return
        trials++
        if (!this.stage(xc)) return
        this.absorb(yield this.takeBlock(), 'nm')
        const fic = cache.fs[this.lastEvalIdx]
        if (!(fic < S.worstF()) || !S.canReplaceWorst(xc)) return
        S.replaceWorst(xc, fic)
      } else if (fr < S.secondWorstF()) {
        // Reflection zone: xr beats at least two vertices.
        if (!S.canReplaceWorst(xr)) return
        S.replaceWorst(xr, fr)
      } else {
        // Outside contraction: insert the better of xr and xoc if it beats the worst vertex.
        if (trials >= maxTrials || this.budgetLeft() <= 0) return
        this.nmPoint(NM_DELTA_OC, xc)
        if (S.isWorst(xc)) return
        trials++
        if (!this.stage(xc)) return
        this.absorb(yield this.takeBlock(), 'nm')
        const foc = cache.fs[this.lastEvalIdx]
        const x = foc < fr ? xc : xr
        const fx = Math.min(foc, fr)
        if (!(fx < S.worstF()) || !S.canReplaceWorst(x)) return
        S.replaceWorst(x, fx)
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Poll

  /** Direction d of the poll set: column d >> 1 of the projected Householder matrix, negated when d is odd. */
  private dirValue(d: number, i: number): number {
    const v = this.dirs[(d >> 1) * this.n + i]
    return d & 1 ? -v : v
  }

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
      if (c === 0) continue
      for (let i = 0; i < n; i++) z[i] -= c * basis[bo + i]
    }
    const r2 = dot(z, 0, z, 0, n)
    if (!(r2 > 1e-12 * norm2)) return false
    const ir = 1 / Math.sqrt(r2)
    const bo = count * n
    for (let i = 0; i < n; i++) basis[bo + i] = z[i] * ir
    return true
  }

  /**
   * ORTHO N+1 poll (NOMAD `OrthoNPlus1PollMethod`, NEG variant): 2n directions ± columns of the Householder
   * matrix I − 2vvᵀ, scaled and rounded to the mesh, ordered by angle with the last successful direction,
   * the first n that increase the rank are evaluated opportunistically; if none improves, one more point
   * along −(sum of those n directions).
   */
  private *poll(): Core {
    const n = this.n
    const { v, col, dirs, keys, orderIdx, kept } = this
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
    // Generation order alternates +H_j and −H_j (NOMAD `generate2NDirections`): direction 2j is column j,
    // 2j + 1 its negative. Only the columns are stored.
    // Rounding check: in Δ-scaled units the rounded matrix is H·diag(cⱼ) + ε with cⱼ = 1/‖Hⱼ‖∞ ≥ 1, so its
    // smallest singular value is ≥ min cⱼ − ‖ε‖_F. When that is positive the n columns are independent and
    // the rank filter reduces to "first of each ± pair", with no Gram–Schmidt.
    let err2 = 0
    let minC = Infinity
    for (let j = 0; j < n; j++) {
      const vj2 = 2 * v[j]
      let inf = 0
      for (let i = 0; i < n; i++) {
        const h = -vj2 * v[i] + (i === j ? 1 : 0)
        col[i] = h
        inf = Math.max(inf, Math.abs(h))
      }
      const po = j * n
      this.mesh.projectDirection(col, dirs.subarray(po, po + n))
      const ic = 1 / inf
      minC = Math.min(minC, ic)
      for (let i = 0; i < n; i++) {
        const e = dirs[po + i] / this.frame[i] - col[i] * ic
        err2 += e * e
      }
    }
    const independent = Math.sqrt(err2) < 0.5 * minC
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

    const x = this.tmp
    const c = this.center
    this.pairTaken.fill(0)
    let nKept = 0
    let t = 0
    while (nKept < n && t < m) {
      while (nKept < n && t < m && this.staged < this.blockSize && this.budgetLeft() > 0) {
        const d = orderIdx[t++]
        if (independent ? this.pairTaken[d >> 1] === 1 : !this.rankAccept(d, nKept)) continue
        this.pairTaken[d >> 1] = 1
        kept[nKept++] = d
        for (let i = 0; i < n; i++) x[i] = c[i] + this.dirValue(d, i)
        this.clip(x)
        this.stage(x)
      }
      if (this.staged > 0) {
        this.absorb(yield this.takeBlock(), 'poll')
        if (this.improved) return
      }
      if (this.budgetLeft() <= 0) return
    }
    if (nKept < n) return
    // Second pass: −(sum of the n directions); a sum of mesh directions is on the mesh.
    for (let i = 0; i < n; i++) x[i] = c[i]
    for (let k = 0; k < n; k++) {
      const d = kept[k]
      for (let i = 0; i < n; i++) x[i] -= this.dirValue(d, i)
    }
    this.clip(x)
    if (this.equalsCenter(x) || !this.stage(x)) return
    this.absorb(yield this.takeBlock(), 'poll')
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
