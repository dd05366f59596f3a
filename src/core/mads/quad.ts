/**
 * Quadratic-model search of MADS, in the spirit of NOMAD 4's default `QUAD_MODEL_SEARCH` (QuadModelUpdate,
 * QuadModelOptimize): used only when a full quadratic has at most 200 coefficients (n ≤ 18).
 *
 * - Training set: cached points in the box |x − c| ≤ 2Δ around the incumbent c (NOMAD
 *   `QUAD_MODEL_BOX_FACTOR` 4 applied to the half-width), the box doubled up to 10 times while it holds fewer
 *   than (n+1)(n+2)/2 points and the cache has that many; at most `maxPoints` closest points are kept.
 * - Model: least-squares quadratic when there are enough points, else the interpolating quadratic of
 *   minimum weighted Frobenius norm (our choice in place of sgtelib's ridge-regularized PRS).
 * - Optimization: the model is minimized over the box spanned by the training points (NOMAD's model bounds),
 *   intersected with the problem bounds, by exact coordinate descent starting at the incumbent.
 * The caller projects the result on the mesh, clips it and evaluates it.
 */

import type { PointCache } from './cache'
import { solveDense } from './linalg'

/** Training box half-width in frame sizes: NOMAD `QUAD_MODEL_BOX_FACTOR` 4 compared with 2·|x − c|. */
const QUAD_BOX_HALF_WIDTH = 2
/**
 * Weight of the off-diagonal Hessian entries in the minimum-norm model (our choice): with few points the
 * model is then nearly separable, like NEWUOA's initial 2n+1-point model, instead of spreading curvature
 * over the off-diagonal terms. Measured on n = 10 problems: κ = 100 made the model step succeed right after
 * the first poll on 9/10 seeds of the sphere (κ = 1: 4/10) and halved the rugged-sphere values.
 */
const OFF_DIAGONAL_WEIGHT = 100
/** Feature scale of sᵢsⱼ so that a coefficient α gives the Hessian entry α·scale and costs κ·2Hᵢⱼ². */
const OFF_DIAGONAL_SCALE = 1 / Math.sqrt(2 * OFF_DIAGONAL_WEIGHT)

export class QuadModelSearch {
  readonly n: number
  /** Number of coefficients of a full quadratic, (n+1)(n+2)/2. */
  readonly p: number
  readonly maxPoints: number
  private readonly nq: number
  private idx: Int32Array
  private dist: Float64Array
  private s: Float64Array
  private readonly g: Float64Array
  private readonly h: Float64Array
  private readonly lo: Float64Array
  private readonly hi: Float64Array
  private readonly sol: Float64Array
  private readonly hs: Float64Array
  private readonly w: Float64Array

  constructor(n: number, maxPoints?: number) {
    this.n = n
    this.p = ((n + 1) * (n + 2)) / 2
    this.nq = (n * (n + 1)) / 2
    // NOMAD keeps up to SGTELIB_MAX_POINTS_FOR_MODEL = 500 points; two full sets are plenty for a local fit.
    this.maxPoints = maxPoints ?? Math.min(500, 2 * this.p)
    this.idx = new Int32Array(64)
    this.dist = new Float64Array(64)
    this.s = new Float64Array(64 * n)
    this.g = new Float64Array(n)
    this.h = new Float64Array(n * n)
    this.lo = new Float64Array(n)
    this.hi = new Float64Array(n)
    this.sol = new Float64Array(n)
    this.hs = new Float64Array(n)
    this.w = new Float64Array(n)
  }

  private countInBox(cache: PointCache, c: ArrayLike<number>, collect: boolean): number {
    const n = this.n
    const xs = cache.xs
    let count = 0
    for (let t = 0; t < cache.sortedCount; t++) {
      const k = cache.sorted[t]
      if (!Number.isFinite(cache.fs[k])) continue
      const off = k * n
      let inside = true
      for (let i = 0; i < n; i++) {
        if (Math.abs(xs[off + i] - c[i]) > this.w[i]) {
          inside = false
          break
        }
      }
      if (!inside) continue
      if (collect) {
        if (count === this.idx.length) {
          const idx = new Int32Array(count * 2)
          idx.set(this.idx)
          this.idx = idx
          this.dist = new Float64Array(count * 2)
        }
        this.idx[count] = k
      }
      count++
    }
    return count
  }

  /** Quadratic features of scaled point s: ½sᵢ², sᵢsⱼ/√(2κ) (i < j): ‖coefficients‖² = Σ Hᵢᵢ² + κ Σ_{i≠j} Hᵢⱼ². */
  private features(s: Float64Array, so: number, out: Float64Array, oo: number): void {
    const n = this.n
    let q = oo
    for (let i = 0; i < n; i++) {
      const si = s[so + i]
      out[q++] = 0.5 * si * si
      for (let j = i + 1; j < n; j++) out[q++] = si * s[so + j] * OFF_DIAGONAL_SCALE
    }
  }

  /**
   * Builds the model around the incumbent c (value fc) and writes its minimizer over the model box into
   * `out`. Returns false when there are too few points, the system is singular, or the model predicts no
   * decrease.
   */
  propose(
    cache: PointCache,
    c: ArrayLike<number>,
    fc: number,
    frame: ArrayLike<number>,
    lower: ArrayLike<number>,
    upper: ArrayLike<number>,
    out: Float64Array
  ): boolean {
    const n = this.n
    const p = this.p
    const w = this.w
    for (let i = 0; i < n; i++) w[i] = QUAD_BOX_HALF_WIDTH * frame[i]
    let count = this.countInBox(cache, c, false)
    if (cache.sortedCount >= p) {
      for (let k = 0; k < 10 && count < p; k++) {
        for (let i = 0; i < n; i++) w[i] *= 2
        count = this.countInBox(cache, c, false)
      }
    }
    if (count < n + 1) return false
    this.countInBox(cache, c, true)
    let m = count
    const maxPoints = this.maxPoints
    if (m > maxPoints) {
      // Keep the closest points (Euclidean distance, as NOMAD).
      for (let t = 0; t < m; t++) {
        const off = this.idx[t] * n
        let d = 0
        for (let i = 0; i < n; i++) {
          const v = cache.xs[off + i] - c[i]
          d += v * v
        }
        this.dist[t] = d
      }
      const order = Array.from(this.idx.subarray(0, m).keys()).sort(
        (a, b) => this.dist[a] - this.dist[b] || a - b
      )
      const kept = new Int32Array(maxPoints)
      for (let t = 0; t < maxPoints; t++) kept[t] = this.idx[order[t]]
      this.idx.set(kept)
      m = maxPoints
    }
    // Scaled coordinates s = (x − c)/w ∈ [−1, 1] and the model box.
    if (this.s.length < m * n) this.s = new Float64Array(m * n * 2)
    const s = this.s
    const lo = this.lo
    const hi = this.hi
    lo.fill(0)
    hi.fill(0)
    for (let t = 0; t < m; t++) {
      const off = this.idx[t] * n
      for (let i = 0; i < n; i++) {
        const v = (cache.xs[off + i] - c[i]) / w[i]
        s[t * n + i] = v
        if (v < lo[i]) lo[i] = v
        if (v > hi[i]) hi[i] = v
      }
    }
    for (let i = 0; i < n; i++) {
      lo[i] = Math.max(lo[i], (lower[i] - c[i]) / w[i])
      hi[i] = Math.min(hi[i], (upper[i] - c[i]) / w[i])
    }
    if (!(m >= p ? this.fitRegression(cache, s, m, fc) : this.fitMfn(cache, s, m, fc))) return false
    const pred = this.minimizeInBox()
    // The model must predict a decrease (relative to the spread of the data).
    if (!(pred < 0)) return false
    let moved = false
    for (let i = 0; i < n; i++) {
      out[i] = c[i] + this.sol[i] * w[i]
      if (this.sol[i] !== 0) moved = true
    }
    return moved
  }

  /** Least squares on the full quadratic basis [1, s, features] (tiny ridge for conditioning). */
  private fitRegression(cache: PointCache, s: Float64Array, m: number, fc: number): boolean {
    const n = this.n
    const p = this.p
    const phi = new Float64Array(p)
    const gram = new Float64Array(p * p)
    const rhs = new Float64Array(p)
    for (let t = 0; t < m; t++) {
      phi[0] = 1
      for (let i = 0; i < n; i++) phi[1 + i] = s[t * n + i]
      this.features(s, t * n, phi, n + 1)
      const y = cache.fs[this.idx[t]] - fc
      for (let a = 0; a < p; a++) {
        const pa = phi[a]
        if (pa === 0) continue
        rhs[a] += pa * y
        const ro = a * p
        for (let b = a; b < p; b++) gram[ro + b] += pa * phi[b]
      }
    }
    let tr = 0
    for (let a = 0; a < p; a++) tr += gram[a * p + a]
    const ridge = (1e-10 * tr) / p
    for (let a = 0; a < p; a++) {
      gram[a * p + a] += ridge
      for (let b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a]
    }
    if (!solveDense(gram, rhs, p)) return false
    this.unpack(rhs, 1, n + 1)
    return true
  }

  /** Minimum (weighted) Frobenius-norm interpolation: [QQᵀ L; Lᵀ 0][λ; μ] = [f; 0], Hessian coefficients Qᵀλ. */
  private fitMfn(cache: PointCache, s: Float64Array, m: number, fc: number): boolean {
    const n = this.n
    const nq = this.nq
    const size = m + n + 1
    const feats = new Float64Array(m * nq)
    for (let t = 0; t < m; t++) this.features(s, t * n, feats, t * nq)
    const k = new Float64Array(size * size)
    const rhs = new Float64Array(size)
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        let acc = 0
        for (let q = 0; q < nq; q++) acc += feats[a * nq + q] * feats[b * nq + q]
        k[a * size + b] = acc
        k[b * size + a] = acc
      }
      k[a * size + m] = 1
      k[m * size + a] = 1
      for (let i = 0; i < n; i++) {
        k[a * size + m + 1 + i] = s[a * n + i]
        k[(m + 1 + i) * size + a] = s[a * n + i]
      }
      rhs[a] = cache.fs[this.idx[a]] - fc
    }
    if (!solveDense(k, rhs, size)) return false
    const coef = new Float64Array(n + 1 + nq)
    for (let i = 0; i <= n; i++) coef[i] = rhs[m + i]
    for (let t = 0; t < m; t++) {
      const l = rhs[t]
      if (l === 0) continue
      for (let q = 0; q < nq; q++) coef[n + 1 + q] += l * feats[t * nq + q]
    }
    this.unpack(coef, 1, n + 1)
    return true
  }

  /** Reads gradient (at gOff) and Hessian (features from hOff) coefficients into g and H. */
  private unpack(coef: Float64Array, gOff: number, hOff: number): void {
    const n = this.n
    for (let i = 0; i < n; i++) this.g[i] = coef[gOff + i]
    let q = hOff
    for (let i = 0; i < n; i++) {
      this.h[i * n + i] = coef[q++]
      for (let j = i + 1; j < n; j++) {
        const v = coef[q++] * OFF_DIAGONAL_SCALE
        this.h[i * n + j] = v
        this.h[j * n + i] = v
      }
    }
  }

  /** Exact coordinate descent on gᵀs + ½sᵀHs over [lo, hi] from s = 0; returns the model decrease. */
  private minimizeInBox(): number {
    const n = this.n
    const { g, h, lo, hi, sol, hs } = this
    sol.fill(0)
    hs.fill(0)
    let value = 0
    for (let sweep = 0; sweep < 200; sweep++) {
      let maxStep = 0
      for (let i = 0; i < n; i++) {
        const si = sol[i]
        const gi = g[i] + hs[i]
        const hii = h[i * n + i]
        let t: number
        if (hii > 1e-14) {
          t = Math.min(hi[i], Math.max(lo[i], si - gi / hii))
        } else {
          // Concave or flat along i: the better end of the interval.
          const dl = lo[i] - si
          const dh = hi[i] - si
          const vl = gi * dl + 0.5 * hii * dl * dl
          const vh = gi * dh + 0.5 * hii * dh * dh
          t = vl < vh ? (vl < 0 ? lo[i] : si) : vh < 0 ? hi[i] : si
        }
        const d = t - si
        if (d === 0) continue
        value += gi * d + 0.5 * hii * d * d
        sol[i] = t
        for (let j = 0; j < n; j++) hs[j] += h[j * n + i] * d
        maxStep = Math.max(maxStep, Math.abs(d))
      }
      if (maxStep < 1e-10) break
    }
    return value
  }
}
