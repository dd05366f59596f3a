/**
 * Nelder–Mead simplex of the MADS search (NOMAD 4 `NMInitializeSimplex`, `NMReflective`).
 *
 * Affine independence is tested in coordinates scaled by the frame size Δ (as NOMAD's `getRankDZ`), with
 * the tolerance `rankEps` (NOMAD `NM_SEARCH_RANK_EPS` = 0.01) applied to the scaled distance of a new
 * vertex from the affine hull of the others. NOMAD runs an SVD per test (O(n³), the bulk of its 4 ms per
 * evaluation); here:
 * - the initial simplex is built greedily by modified Gram–Schmidt on the edges z(yₖ) − z(y₀), which gives
 *   E = Bᵀ·R (B orthonormal rows, R upper triangular);
 * - a replacement of vertex s by x is tested with the barycentric coordinates λ(x): the distance of x from
 *   the face opposite s is |λₛ(x)| / ‖∇λₛ‖;
 * - the first replacements are kept in product form (eta vectors) on top of B·R, so a short NM run costs
 *   O(n²) per step; after `PRODUCT_FORM_STEPS` the inverse of the homogeneous vertex matrix is formed and
 *   then updated by Sherman–Morrison (O(n²) per step), with a drift check.
 */

/** Σ a[ao+i]·b[bo+i], i < len, with four accumulators (the add latency chain dominates a plain loop). */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = 0
  for (; i + 3 < len; i += 4) {
    s0 += a[ao + i] * b[bo + i]
    s1 += a[ao + i + 1] * b[bo + i + 1]
    s2 += a[ao + i + 2] * b[bo + i + 2]
    s3 += a[ao + i + 3] * b[bo + i + 3]
  }
  for (; i < len; i++) s0 += a[ao + i] * b[bo + i]
  return s0 + s1 + (s2 + s3)
}

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
  /** Gram–Schmidt factors of the initial edges: row k of B, column k of R belong to slot k + 1. */
  private readonly basis: Float64Array
  private readonly rMat: Float64Array
  private readonly coef: Float64Array
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
    this.basis = new Float64Array(n * n)
    this.rMat = new Float64Array(n * n)
    this.coef = new Float64Array(n)
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
    const k = this.count - 1 // basis vectors so far
    const { z, basis, coef } = this
    for (let i = 0; i < n; i++) z[i] = (src[srcOff + i] - this.ref[i]) * this.scale[i]
    for (let j = 0; j < k; j++) {
      const off = j * n
      const c = dot(basis, off, z, 0, n)
      coef[j] = c
      for (let i = 0; i < n; i++) z[i] -= c * basis[off + i]
    }
    const r = Math.sqrt(dot(z, 0, z, 0, n))
    if (!(r > this.rankEps)) return false
    const off = k * n
    const ir = 1 / r
    for (let i = 0; i < n; i++) basis[off + i] = z[i] * ir
    for (let j = 0; j < k; j++) this.rMat[j * n + k] = coef[j]
    this.rMat[k * n + k] = r
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

  /** u = λ(x) for the current simplex through the factors and the etas. O(n² + m·etas). */
  private baryProduct(x: ArrayLike<number>, u: Float64Array): void {
    const n = this.n
    const m = n + 1
    const { z, basis, rMat } = this
    for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
    // λ₁…ₙ = E⁻¹ z = R⁻¹ (B z)  (z(y₀) = 0), λ₀ = 1 − Σ λₖ.
    for (let k = 0; k < n; k++) u[k + 1] = dot(basis, k * n, z, 0, n)
    for (let k = n - 1; k >= 0; k--) {
      let acc = u[k + 1]
      for (let j = k + 1; j < n; j++) acc -= rMat[k * n + j] * u[j + 1]
      u[k + 1] = acc / rMat[k * n + k]
    }
    let s = 0
    for (let k = 1; k < m; k++) s += u[k]
    u[0] = 1 - s
    // Etas: A_t⁻¹ = F_t ⋯ F₁ A₀⁻¹ with F = I − (λ − eₛ) eₛᵀ / λₛ.
    for (let t = 0; t < this.etaCount; t++) {
      const st = this.etaSlot[t]
      const lo = t * m
      const c = u[st] / this.etaLam[lo + st]
      if (c === 0) continue
      for (let j = 0; j < m; j++) u[j] -= c * this.etaLam[lo + j]
      u[st] = c
    }
  }

  /** g = ∇λₛ (in scaled coordinates) for the current simplex. O(n² + m·etas). */
  private gradProduct(s: number, g: Float64Array): void {
    const n = this.n
    const m = n + 1
    const { w, basis, rMat } = this
    // wᵀ = eₛᵀ F_t ⋯ F₁: each F changes only the component of its slot.
    w.fill(0)
    w[s] = 1
    for (let t = this.etaCount - 1; t >= 0; t--) {
      const st = this.etaSlot[t]
      const lo = t * m
      const wl = dot(w, 0, this.etaLam, lo, m)
      w[st] -= (wl - w[st]) / this.etaLam[lo + st]
    }
    // wᵀλ⁰(z) = w₀ + Σₖ (wₖ − w₀) λ⁰ₖ(z) ⇒ ∇ = E⁻ᵀ v = Bᵀ R⁻ᵀ v with vₖ = wₖ − w₀.
    const y = this.coef
    for (let k = 0; k < n; k++) {
      let acc = w[k + 1] - w[0]
      for (let j = 0; j < k; j++) acc -= rMat[j * n + k] * y[j]
      y[k] = acc / rMat[k * n + k]
    }
    g.fill(0)
    for (let k = 0; k < n; k++) {
      const yk = y[k]
      if (yk === 0) continue
      const off = k * n
      for (let i = 0; i < n; i++) g[i] += yk * basis[off + i]
    }
  }

  /** Forms the explicit inverse from the factors and the etas (then switches to Sherman–Morrison). */
  private formInverse(): void {
    const n = this.n
    const m = n + 1
    const { inv, basis, rMat } = this
    // Rows 1…n: rows of E⁻¹ = R⁻¹B; solve for row k of R⁻¹ (upper triangular) by back substitution.
    const rinv = this.coef
    inv.fill(0)
    for (let k = 0; k < n; k++) {
      rinv.fill(0, 0, k)
      rinv[k] = 1 / rMat[k * n + k]
      for (let j = k + 1; j < n; j++) {
        let acc = 0
        for (let l = k; l < j; l++) acc -= rinv[l] * rMat[l * n + j]
        rinv[j] = acc / rMat[j * n + j]
      }
      const ro = (k + 1) * m + 1
      for (let j = k; j < n; j++) {
        const c = rinv[j]
        if (c === 0) continue
        const off = j * n
        for (let i = 0; i < n; i++) inv[ro + i] += c * basis[off + i]
      }
    }
    // Row 0: λ₀ = 1 − Σ λₖ (z(y₀) = 0 so the constant terms of rows 1…n vanish).
    inv[0] = 1
    for (let k = 1; k < m; k++) {
      const ro = k * m
      for (let i = 1; i < m; i++) inv[i] -= inv[ro + i]
    }
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
      if (c === 0) continue
      const ro = r * m
      for (let j = 0; j < m; j++) inv[ro + j] -= c * rowS[j]
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
      const { z, inv } = this
      for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
      for (let r = 0; r < m; r++) lam[r] = inv[r * m] + dot(inv, r * m + 1, z, 0, n)
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
      this.applyUpdate(s, this.lam, 0)
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
