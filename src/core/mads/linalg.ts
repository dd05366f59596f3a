/** Dense linear algebra of the MADS library: the kernels of the poll (Householder), the Nelder–Mead
 * simplex (dot, axpy) and the quadratic model (Gaussian elimination). Allocation-free. */

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

/** a[ao+j] −= c·b[bo+j], j < len, unrolled by four. */
export function axpyNeg(
  a: Float64Array,
  ao: number,
  c: number,
  b: Float64Array,
  bo: number,
  len: number
): void {
  let j = 0
  for (; j + 3 < len; j += 4) {
    a[ao + j] -= c * b[bo + j]
    a[ao + j + 1] -= c * b[bo + j + 1]
    a[ao + j + 2] -= c * b[bo + j + 2]
    a[ao + j + 3] -= c * b[bo + j + 3]
  }
  for (; j < len; j++) a[ao + j] -= c * b[bo + j]
}

/** Solves A·x = b in place (A row-major m×m, b overwritten by x); false when numerically singular. */
export function solveDense(a: Float64Array, b: Float64Array, m: number): boolean {
  let scale = 0
  for (let k = 0; k < m * m; k++) scale = Math.max(scale, Math.abs(a[k]))
  const tiny = scale * 1e-13
  if (!(scale > 0)) return false
  for (let c = 0; c < m; c++) {
    let piv = c
    let best = Math.abs(a[c * m + c])
    for (let r = c + 1; r < m; r++) {
      const v = Math.abs(a[r * m + c])
      if (v > best) {
        best = v
        piv = r
      }
    }
    if (!(best > tiny)) return false
    if (piv !== c) {
      for (let j = c; j < m; j++) {
        const t = a[c * m + j]
        a[c * m + j] = a[piv * m + j]
        a[piv * m + j] = t
      }
      const t = b[c]
      b[c] = b[piv]
      b[piv] = t
    }
    const ip = 1 / a[c * m + c]
    for (let r = c + 1; r < m; r++) {
      const fct = a[r * m + c] * ip
      if (fct === 0) continue
      for (let j = c; j < m; j++) a[r * m + j] -= fct * a[c * m + j]
      b[r] -= fct * b[c]
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let acc = b[r]
    for (let j = r + 1; j < m; j++) acc -= a[r * m + j] * b[j]
    b[r] = acc / a[r * m + r]
  }
  for (let r = 0; r < m; r++) if (!Number.isFinite(b[r])) return false
  return true
}

/** Column j of the Householder matrix I − 2vvᵀ into col; returns its ∞-norm. */
export function householderColumn(v: Float64Array, j: number, col: Float64Array, n: number): number {
  const vj2 = 2 * v[j]
  let inf = 0
  for (let i = 0; i < n; i++) {
    const h = (i === j ? 1 : 0) - vj2 * v[i]
    col[i] = h
    inf = Math.max(inf, Math.abs(h))
  }
  return inf
}
