/**
 * Nelder–Mead simplex of the MADS search (NOMAD 4 `NMInitializeSimplex`, `NMReflective`).
 *
 * Affine independence is tested in coordinates scaled by the frame size Δ (as NOMAD's `getRankDZ`), with
 * the tolerance `rankEps` (NOMAD `NM_SEARCH_RANK_EPS` = 0.01) applied to the scaled distance of a new
 * vertex from the affine hull of the others. Instead of NOMAD's SVD per test (O(n³), the bulk of its
 * per-evaluation overhead) the simplex is built by modified Gram–Schmidt and vertex replacements are
 * checked and applied through the inverse of the homogeneous vertex matrix with Sherman–Morrison
 * updates (O(n²) each).
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
  private readonly ref: Float64Array
  private readonly scale: Float64Array
  private readonly basis: Float64Array
  private readonly z: Float64Array
  private readonly normal: Float64Array
  private normalValid = false
  /** Inverse of A = [1 … 1; z(y₀) … z(yₙ)] (row-major, (n+1)²); row s gives the barycentric coordinate λₛ. */
  private readonly inv: Float64Array
  private invValid = false
  private invUpdates = 0
  private readonly gj: Float64Array
  private readonly lam: Float64Array
  private readonly rowS: Float64Array

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
    this.z = new Float64Array(n)
    this.normal = new Float64Array(n)
    this.inv = new Float64Array(m * m)
    this.gj = new Float64Array(m * 2 * m)
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
    this.normalValid = false
    this.invValid = false
  }

  get complete(): boolean {
    return this.count === this.n + 1
  }

  /**
   * Greedy initial simplex: adds the point at src[srcOff…] (candidates must come by increasing f) if it is at scaled distance
   * > rankEps from the affine hull of the current vertices. Returns true when added.
   */
  tryAdd(src: Float64Array, srcOff: number, f: number): boolean {
    const n = this.n
    const k = this.count - 1 // basis vectors so far
    const z = this.z
    for (let i = 0; i < n; i++) z[i] = (src[srcOff + i] - this.ref[i]) * this.scale[i]
    const basis = this.basis
    for (let j = 0; j < k; j++) {
      const off = j * n
      const c = dot(basis, off, z, 0, n)
      for (let i = 0; i < n; i++) z[i] -= c * basis[off + i]
    }
    const r = Math.sqrt(dot(z, 0, z, 0, n))
    if (!(r > this.rankEps)) return false
    const off = k * n
    for (let i = 0; i < n; i++) basis[off + i] = z[i] / r
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
    if (this.count === n + 1) {
      // The last residual is the unit normal of the face opposite the last (worst) vertex.
      this.normal.set(basis.subarray(off, off + n))
      this.normalValid = true
    }
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

  /** Gauss–Jordan inverse of the homogeneous vertex matrix; false when (numerically) singular. */
  private buildInverse(): boolean {
    const n = this.n
    const m = n + 1
    const w = 2 * m
    const g = this.gj
    g.fill(0)
    for (let s = 0; s < m; s++) {
      g[s] = 1 // row 0: ones
      const po = s * n
      for (let i = 0; i < n; i++) g[(i + 1) * w + s] = (this.pts[po + i] - this.ref[i]) * this.scale[i]
    }
    for (let r = 0; r < m; r++) g[r * w + m + r] = 1
    for (let c = 0; c < m; c++) {
      let piv = c
      let best = Math.abs(g[c * w + c])
      for (let r = c + 1; r < m; r++) {
        const v = Math.abs(g[r * w + c])
        if (v > best) {
          best = v
          piv = r
        }
      }
      if (!(best > 1e-300)) return false
      if (piv !== c) {
        for (let j = c; j < w; j++) {
          const t = g[c * w + j]
          g[c * w + j] = g[piv * w + j]
          g[piv * w + j] = t
        }
      }
      const ip = 1 / g[c * w + c]
      for (let j = c; j < w; j++) g[c * w + j] *= ip
      for (let r = 0; r < m; r++) {
        if (r === c) continue
        const fct = g[r * w + c]
        if (fct === 0) continue
        const ro = r * w
        const co = c * w
        for (let j = c; j < w; j++) g[ro + j] -= fct * g[co + j]
      }
    }
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < m; j++) this.inv[r * m + j] = g[r * w + m + j]
    }
    this.invValid = true
    this.invUpdates = 0
    return true
  }

  /**
   * Whether x may replace the worst vertex and keep the simplex affinely independent: its scaled distance
   * from the affine hull of the other n vertices must exceed rankEps (NOMAD's rank test on DZ). O(n).
   */
  canReplaceWorst(x: ArrayLike<number>): boolean {
    const n = this.n
    const m = n + 1
    const s = this.worstSlot()
    if (!this.invValid && this.normalValid && s === n) {
      // Fresh simplex: the Gram–Schmidt normal of the face opposite the worst vertex gives the distance.
      let d = 0
      for (let i = 0; i < n; i++) d += this.normal[i] * (x[i] - this.pts[i]) * this.scale[i]
      return Math.abs(d) > this.rankEps
    }
    if (!this.invValid && !this.buildInverse()) return false
    // λₛ(x) = rowₛ·[1; z(x)] and ‖∇λₛ‖ = ‖rowₛ[1…n]‖: distance = |λₛ| / ‖∇λₛ‖.
    const inv = this.inv
    const so = s * m
    let ls = inv[so]
    let g2 = 0
    for (let i = 0; i < n; i++) {
      const gi = inv[so + 1 + i]
      ls += gi * (x[i] - this.ref[i]) * this.scale[i]
      g2 += gi * gi
    }
    return Math.abs(ls) > this.rankEps * Math.sqrt(g2)
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

  /** Replaces the worst vertex by x (after a successful `canReplaceWorst(x)`). O(n²). */
  replaceWorst(x: ArrayLike<number>, f: number): void {
    const n = this.n
    const m = n + 1
    const s = this.worstSlot()
    if (this.invValid) {
      // Sherman–Morrison: A' = A + (a − aₛ)eₛᵀ ⇒ A'⁻¹ = A⁻¹ − (λ − eₛ) rowₛ(A⁻¹) / λₛ, λ = A⁻¹a(x).
      const inv = this.inv
      const z = this.z
      for (let i = 0; i < n; i++) z[i] = (x[i] - this.ref[i]) * this.scale[i]
      const lam = this.lam
      for (let r = 0; r < m; r++) lam[r] = inv[r * m] + dot(inv, r * m + 1, z, 0, n)
      const rs = this.rowS
      const so = s * m
      for (let j = 0; j < m; j++) rs[j] = inv[so + j]
      const ils = 1 / lam[s]
      for (let r = 0; r < m; r++) {
        const c = (r === s ? lam[r] - 1 : lam[r]) * ils
        if (c === 0) continue
        const ro = r * m
        for (let j = 0; j < m; j++) inv[ro + j] -= c * rs[j]
      }
      this.invUpdates++
    }
    this.normalValid = false
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
    // Every m updates, rebuild the inverse if the updates have drifted (checked on the new vertex).
    if (this.invValid && this.invUpdates >= m) {
      if (this.inverseError(s) > 1e-9) this.invValid = false
      else this.invUpdates = 0
    }
  }
}
