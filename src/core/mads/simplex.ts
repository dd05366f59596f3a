/* Longer than 400 lines on purpose: the simplex, its rank tests and its inverse updates are one invariant. */
/**
 * Nelder–Mead simplex of the MADS search (NOMAD 4 `NMInitializeSimplex`, `NMReflective`).
 *
 * Affine independence is tested in coordinates scaled by the frame size Δ (as NOMAD's `getRankDZ`), with
 * the tolerance `rankEps` (NOMAD `NM_SEARCH_RANK_EPS` = 0.01) applied to the scaled distance of a new
 * vertex from the affine hull of the others. NOMAD runs an SVD per test (O(n³)); here:
 * - the initial simplex is built greedily by incremental Gaussian elimination of the edges z(yₖ) − z(y₀)
 *   (pivot = largest remaining entry; a candidate is kept when its residual norm exceeds rankEps), which
 *   gives Eᵀ = L·U (L unit lower triangular, U in row-echelon form with pivot columns p);
 * - a replacement of vertex s by x is tested with the barycentric coordinates λ(x): the distance of x from
 *   the face opposite s is |λₛ(x)| / ‖∇λₛ‖;
 * - the first replacements are kept in product form (eta vectors) on top of L·U, so a short NM run costs
 *   O(n²) per step; after `PRODUCT_FORM_STEPS` the inverse of the homogeneous vertex matrix is formed and
 *   then updated by Sherman–Morrison (O(n²) per step), with a drift check.
 */

import { axpyNeg, dot } from './linalg'

/** Replacements kept in product form before the explicit inverse is formed. */
const PRODUCT_FORM_STEPS = 12

export class NmSimplex {
  readonly n: number
  readonly rankEps: number
  /** Number of vertices (n + 1 when complete). */
  count = 0
  /** Vertex coordinates by slot: slot s at [s·n, (s+1)·n). */
  readonly pts: Float64Array
  /** Objective value by slot. */
  readonly fv: Float64Array
  /** Slots sorted by increasing f (ties: older first). */
  readonly order: Int32Array
  private readonly sum: Float64Array
  /** Scaled coordinates z(x) = (x − y₀)/Δ, with y₀ the initial vertex (the frame center). */
  private readonly ref: Float64Array
  private readonly scale: Float64Array
  /** Elimination factors of the initial edges (row k belongs to slot k + 1): Eᵀ = L·U, pivots p. */
  private readonly uRows: Float64Array
  private readonly lMul: Float64Array
  private readonly piv: Int32Array
  private readonly coef: Float64Array
  private readonly rhs: Float64Array
  private readonly z: Float64Array
  private readonly u: Float64Array
  private readonly w: Float64Array
  private readonly g: Float64Array
  /** Product form: slot and barycentric vector λ of each replacement since the factorization. */
  private readonly etaSlot: Int32Array
  private readonly etaLam: Float64Array
  private etaCount = 0
  /** Explicit inverse of A = [1 … 1; z(y₀) … z(yₙ)] (row-major, (n+1)²); row s gives λₛ. */
  private readonly inv: Float64Array
  private invValid = false
  private invUpdates = 0
  private readonly lam: Float64Array
  private readonly rowS: Float64Array
  private gj: Float64Array | null = null
  /** Set when the simplex became numerically singular: no further replacement is accepted. */
  private broken = false

  constructor(n: number, rankEps = 0.01) {
    this.n = n
    this.rankEps = rankEps
    const m = n + 1
    this.pts = new Float64Array(m * n)
    this.fv = new Float64Array(m)
    this.order = new Int32Array(m)
    this.sum = new Float64Array(n)
    this.ref = new Float64Array(n)
    this.scale = new Float64Array(n)
    this.uRows = new Float64Array(n * n)
    this.lMul = new Float64Array(n * n)
    this.piv = new Int32Array(n)
    this.coef = new Float64Array(n)
    this.rhs = new Float64Array(n)
    this.z = new Float64Array(n)
    this.u = new Float64Array(m)
    this.w = new Float64Array(m)
    this.g = new Float64Array(n)
    this.etaSlot = new Int32Array(PRODUCT_FORM_STEPS)
    this.etaLam = new Float64Array(PRODUCT_FORM_STEPS * m)
    this.inv = new Float64Array(m * m)
    this.lam = new Float64Array(m)
    this.rowS = new Float64Array(m)
  }

  /** Starts a new simplex at y₀ (the frame center, with the best f); `frame` holds Δ for the scaling. */
  begin(y0: ArrayLike<number>, f0: number, frame: ArrayLike<number>): void {
    const n = this.n
    for (let i = 0; i < n; i++) {
      this.ref[i] = y0[i]
      this.scale[i] = 1 / frame[i]
      this.pts[i] = y0[i]
      this.sum[i] = y0[i]
    }
    this.fv[0] = f0
    this.order[0] = 0
    this.count = 1
    this.etaCount = 0
    this.invValid = false
    this.broken = false
  }

  get complete(): boolean {
    return this.count === this.n + 1
  }

  /**
   * Greedy initial simplex: adds the point at src[srcOff…] (candidates must come by increasing f) if it is
   * at scaled distance > rankEps from the affine hull of the current vertices. Returns true when added.
   */
  tryAdd(src: Float64Array, srcOff: number, f: number): boolean {
    const n = this.n
    const k = this.count - 1 // edges so far
    const { z, uRows, coef, piv } = this
    for (let i = 0; i < n; i++) z[i] = (src[srcOff + i] - this.ref[i]) * this.scale[i]
    for (let j = 0; j < k; j++) {
      const off = j * n
      const p = piv[j]
      const c = z[p] / uRows[off + p]
      coef[j] = c
      if (c === 0) continue
      axpyNeg(z, 0, c, uRows, off, n)
      z[p] = 0
    }
    let r2 = 0
    let best = 0
    let p = 0
    for (let i = 0; i < n; i++) {
      const v = z[i]
      r2 += v * v
      if (Math.abs(v) > best) {
        best = Math.abs(v)
        p = i
      }
    }
    if (!(Math.sqrt(r2) > this.rankEps)) return false
    const off = k * n
    for (let i = 0; i < n; i++) uRows[off + i] = z[i]
    for (let j = 0; j < k; j++) this.lMul[off + j] = coef[j]
    piv[k] = p
    const s = this.count
    const po = s * n
    for (let i = 0; i < n; i++) {
      const v = src[srcOff + i]
      this.pts[po + i] = v
      this.sum[i] += v
    }
    this.fv[s] = f
    this.order[s] = s
    this.count++
    return true
  }

  worstSlot(): number {
    return this.order[this.n]
  }

  bestF(): number {
    return this.fv[this.order[0]]
  }

  worstF(): number {
    return this.fv[this.order[this.n]]
  }

  secondWorstF(): number {
    return this.fv[this.order[this.n - 1]]
  }

  /** Centroid of all vertices but the worst. */
  centroid(out: Float64Array): void {
    const n = this.n
    const wo = this.worstSlot() * n
    for (let i = 0; i < n; i++) out[i] = (this.sum[i] - this.pts[wo + i]) / n
  }

  /** True when x equals the worst vertex. */
  isWorst(x: ArrayLike<number>): boolean {
    const n = this.n
    const wo = this.worstSlot() * n
    for (let i = 0; i < n; i++) if (this.pts[wo + i] !== x[i]) return false
    return true
  }

  // ---------------------------------------------------------------------------------------------
  // Product form on the Gram–Schmidt factors

  /** x = E⁻¹ b with E = UᵀLᵀ (columns: the initial edges). O(n²), row-oriented (contiguous kernels). */
  private solveE(b: Float64Array, x: Float64Array, xo: number): void {
    const n = this.n
    const { uRows, lMul, piv, coef: y, rhs } = this
    // Uᵀ y = b: the equation at column p_j involves y₀…y_j only; eliminate y_j from all columns at once.
    rhs.set(b)
    for (let j = 0; j < n; j++) {
      const off = j * n
      const yj = rhs[piv[j]] / uRows[off + piv[j]]
      y[j] = yj
      if (yj !== 0) axpyNeg(rhs, 0, yj, uRows, off, n)
    }
    // Lᵀ x = y (unit upper triangular): once x_k is known, remove it from y₀…y_{k−1} (row k of L).
    for (let k = n - 1; k >= 0; k--) {
      const xk = y[k]
      x[xo + k] = xk
      if (xk !== 0) axpyNeg(y, 0, xk, lMul, k * n, k)
    }
  }

  /** g = E⁻ᵀ v = (L U)⁻¹ v. O(n²), row-oriented (contiguous kernels). */
  private solveEt(v: Float64Array, vo: number, g: Float64Array): void {
    const n = this.n
    const { uRows, lMul, piv, coef: t } = this
    for (let k = 0; k < n; k++) t[k] = v[vo + k] - dot(lMul, k * n, t, 0, k)
    // U g = t, backward over the pivots: row k is zero at p₀…p_{k−1}, and g is still 0 at p_k.
    g.fill(0)
    for (let k = n - 1; k >= 0; k--) {
      const off = k * n
      g[piv[k]] = (t[k] - dot(uRows, off, g, 0, n)) / uRows[off + piv[k]]
    }
  }

  /** u = λ(x) for the current simplex through the factors and the etas. O(n² + m·etas). */
  private baryProduct(x: ArrayLike<number>, u: Float64Array): void {
    const n = this.n
    const m = n + 1
    const z = this.z
    for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
    // λ₁…ₙ = E⁻¹ z (z(y₀) = 0), λ₀ = 1 − Σ λₖ.
    this.solveE(z, u, 1)
    let s = 0
    for (let k = 1; k < m; k++) s += u[k]
    u[0] = 1 - s
    // Etas: A_t⁻¹ = F_t ⋯ F₁ A₀⁻¹ with F = I − (λ − eₛ) eₛᵀ / λₛ.
    for (let t = 0; t < this.etaCount; t++) {
      const st = this.etaSlot[t]
      const lo = t * m
      const c = u[st] / this.etaLam[lo + st]
      if (c === 0) continue
      axpyNeg(u, 0, c, this.etaLam, lo, m)
      u[st] = c
    }
  }

  /** g = ∇λₛ (in scaled coordinates) for the current simplex. O(n² + m·etas). */
  private gradProduct(s: number, g: Float64Array): void {
    const n = this.n
    const m = n + 1
    const w = this.w
    // wᵀ = eₛᵀ F_t ⋯ F₁: each F changes only the component of its slot.
    w.fill(0)
    w[s] = 1
    for (let t = this.etaCount - 1; t >= 0; t--) {
      const st = this.etaSlot[t]
      const lo = t * m
      const wl = dot(w, 0, this.etaLam, lo, m)
      w[st] -= (wl - w[st]) / this.etaLam[lo + st]
    }
    // wᵀλ⁰(z) = w₀ + Σₖ (wₖ − w₀) λ⁰ₖ(z) ⇒ ∇ = E⁻ᵀ v with vₖ = wₖ − w₀.
    const w0 = w[0]
    for (let k = 1; k < m; k++) w[k] -= w0
    this.solveEt(w, 1, g)
  }

  /** Forms the explicit inverse from the factors and the etas (then switches to Sherman–Morrison). */
  private formInverse(): void {
    const n = this.n
    const m = n + 1
    const inv = this.inv
    const col = this.g
    const e = this.z
    inv.fill(0)
    // Column i of E⁻¹ is the gradient part of rows 1…n of A₀⁻¹ (z(y₀) = 0: no constant terms).
    for (let i = 0; i < n; i++) {
      e.fill(0)
      e[i] = 1
      this.solveE(e, col, 0)
      let sum = 0
      for (let k = 0; k < n; k++) {
        inv[(k + 1) * m + 1 + i] = col[k]
        sum += col[k]
      }
      inv[1 + i] = -sum // row 0: λ₀ = 1 − Σ λₖ
    }
    inv[0] = 1
    for (let t = 0; t < this.etaCount; t++) this.applyUpdate(this.etaSlot[t], this.etaLam, t * m)
    this.etaCount = 0
    this.invValid = true
    this.invUpdates = 0
  }

  /** A⁻¹ ← A⁻¹ − (λ − eₛ) rowₛ(A⁻¹) / λₛ (Sherman–Morrison for replacing column s), λ at lam[lo…]. */
  private applyUpdate(s: number, lam: Float64Array, lo: number): void {
    const m = this.n + 1
    const { inv, rowS } = this
    const so = s * m
    for (let j = 0; j < m; j++) rowS[j] = inv[so + j]
    const ils = 1 / lam[lo + s]
    for (let r = 0; r < m; r++) {
      const c = (r === s ? lam[lo + r] - 1 : lam[lo + r]) * ils
      if (c !== 0) axpyNeg(inv, r * m, c, rowS, 0, m)
    }
  }

  /** Gauss–Jordan inverse from the current vertices (drift recovery); false when singular. */
  private rebuildInverse(): boolean {
    const n = this.n
    const m = n + 1
    const w2 = 2 * m
    const g = (this.gj ??= new Float64Array(m * w2))
    g.fill(0)
    for (let s = 0; s < m; s++) {
      g[s] = 1
      const po = s * n
      for (let i = 0; i < n; i++) g[(i + 1) * w2 + s] = (this.pts[po + i] - this.ref[i]) * this.scale[i]
    }
    for (let r = 0; r < m; r++) g[r * w2 + m + r] = 1
    for (let c = 0; c < m; c++) {
      let piv = c
      let best = Math.abs(g[c * w2 + c])
      for (let r = c + 1; r < m; r++) {
        const v = Math.abs(g[r * w2 + c])
        if (v > best) {
          best = v
          piv = r
        }
      }
      if (!(best > 1e-300)) return false
      if (piv !== c) {
        for (let j = c; j < w2; j++) {
          const t = g[c * w2 + j]
          g[c * w2 + j] = g[piv * w2 + j]
          g[piv * w2 + j] = t
        }
      }
      const ip = 1 / g[c * w2 + c]
      for (let j = c; j < w2; j++) g[c * w2 + j] *= ip
      for (let r = 0; r < m; r++) {
        if (r === c) continue
        const fct = g[r * w2 + c]
        if (fct === 0) continue
        const ro = r * w2
        const co = c * w2
        for (let j = c; j < w2; j++) g[ro + j] -= fct * g[co + j]
      }
    }
    for (let r = 0; r < m; r++) for (let j = 0; j < m; j++) this.inv[r * m + j] = g[r * w2 + m + j]
    this.invValid = true
    this.invUpdates = 0
    return true
  }

  /**
   * Whether x may replace the worst vertex and keep the simplex affinely independent: its scaled distance
   * from the affine hull of the other n vertices, |λₛ(x)| / ‖∇λₛ‖, must exceed rankEps (NOMAD's rank test).
   * Leaves λ(x) in `lam` for `replaceWorst`.
   */
  canReplaceWorst(x: ArrayLike<number>): boolean {
    const n = this.n
    const m = n + 1
    const s = this.worstSlot()
    const lam = this.lam
    let g2 = 0
    if (this.broken) return false
    if (this.invValid) {
      // λₛ(x) only; the full λ(x) is computed together with the update in `replaceWorst`.
      const { z, inv } = this
      for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
      lam[s] = inv[s * m] + dot(inv, s * m + 1, z, 0, n)
      g2 = dot(inv, s * m + 1, inv, s * m + 1, n)
    } else {
      this.baryProduct(x, lam)
      this.gradProduct(s, this.g)
      g2 = dot(this.g, 0, this.g, 0, n)
    }
    return Math.abs(lam[s]) > this.rankEps * Math.sqrt(g2)
  }

  /** Largest |(A⁻¹A)ᵣⱼ − δᵣⱼ| over column j: drift of the updated inverse. */
  private inverseError(j: number): number {
    const n = this.n
    const m = n + 1
    const z = this.z
    const po = j * n
    for (let i = 0; i < n; i++) z[i] = (this.pts[po + i] - this.ref[i]) * this.scale[i]
    let err = 0
    for (let r = 0; r < m; r++) {
      const acc = this.inv[r * m] + dot(this.inv, r * m + 1, z, 0, n)
      err = Math.max(err, Math.abs(acc - (r === j ? 1 : 0)))
    }
    return err
  }

  /** Replaces the worst vertex by x, right after `canReplaceWorst(x)` returned true. O(n²). */
  replaceWorst(x: ArrayLike<number>, f: number): void {
    const n = this.n
    const m = n + 1
    const s = this.worstSlot()
    if (this.invValid) {
      // Sherman–Morrison fused with λ(x): rowᵣ ← rowᵣ − (λᵣ/λₛ)·rowₛ (r ≠ s), rowₛ ← rowₛ/λₛ.
      const { z, inv, rowS } = this
      for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
      const so = s * m
      for (let j = 0; j < m; j++) rowS[j] = inv[so + j]
      const ils = 1 / (rowS[0] + dot(rowS, 1, z, 0, n))
      for (let r = 0; r < m; r++) {
        const ro = r * m
        if (r === s) {
          for (let j = 0; j < m; j++) inv[ro + j] = rowS[j] * ils
          continue
        }
        const c = (inv[ro] + dot(inv, ro + 1, z, 0, n)) * ils
        if (c !== 0) axpyNeg(inv, ro, c, rowS, 0, m)
      }
      this.invUpdates++
    } else {
      const t = this.etaCount++
      this.etaSlot[t] = s
      this.etaLam.set(this.lam, t * m)
      if (this.etaCount === PRODUCT_FORM_STEPS) this.formInverse()
    }
    const po = s * n
    for (let i = 0; i < n; i++) {
      this.sum[i] += x[i] - this.pts[po + i]
      this.pts[po + i] = x[i]
    }
    this.fv[s] = f
    // The worst slot is last in `order`; move it to its new rank (after equal values).
    let pos = n
    while (pos > 0 && this.fv[this.order[pos - 1]] > f) {
      this.order[pos] = this.order[pos - 1]
      pos--
    }
    this.order[pos] = s
    // Every m updates, check the drift of the inverse on the new vertex and rebuild it if needed.
    if (this.invValid && this.invUpdates >= m) {
      this.invUpdates = 0
      if (this.inverseError(s) > 1e-8 && !this.rebuildInverse()) this.broken = true
    }
  }
}
