/**
 * Anisotropic granular mesh of NOMAD 4 (`GMesh.cpp`), without granularity (all variables continuous).
 *
 * Per coordinate i the frame size is Δᵢ = aᵢ·10^bᵢ with aᵢ ∈ {1, 2, 5}; the mesh size is
 * δᵢ = 10^(bᵢ − |bᵢ − bᵢ⁰|) and ρᵢ = Δᵢ/δᵢ = aᵢ·10^|bᵢ − bᵢ⁰| is an integer. While Δ is above its
 * initial value the mesh stays at δ = 10^bᵢ⁰; below it, δ shrinks twice as fast (in exponent) as Δ.
 */

export interface GMeshState {
  mant: number[]
  exp: number[]
  exp0: number[]
}

/** k·10^e computed so that the result is the correctly rounded value of the exact product when k is an integer. */
export function timesPow10(k: number, e: number): number {
  return e >= 0 ? k * 10 ** e : k / 10 ** -e
}

/** Round half away from zero (NOMAD `Double::roundd`), so that round(−x) = −round(x). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(0.5 - x) : Math.floor(0.5 + x)
}

/** NOMAD `roundFrameSizeMant`: mantissa to 1, 2 or 5. */
function roundMantissa(m: number): number {
  if (m < 1.5) return 1
  if (m < 3.5) return 2
  return 5
}

export class GMesh {
  readonly n: number
  private readonly mant: Int8Array
  private readonly exp: Int32Array
  private readonly exp0: Int32Array
  private readonly frame: Float64Array
  private readonly mesh: Float64Array
  private readonly rhoV: Float64Array
  /** δᵢ = meshMulᵢ / meshDivᵢ with one of them 1, so that k·δᵢ is correctly rounded for integer k. */
  private readonly meshMul: Float64Array
  private readonly meshDiv: Float64Array

  /**
   * @param initialFrameSize requested initial Δ per coordinate (must be > 0). As in NOMAD's
   *   `initFrameSizeGranular`, the exponent is log10(Δ) truncated toward zero and the mantissa is the
   *   remainder rounded to 1, 2 or 5: 0.2 → Δ = 1, 0.04 → Δ = 0.1, 2 → Δ = 2, 20 → Δ = 20.
   */
  constructor(initialFrameSize: ArrayLike<number>) {
    const n = initialFrameSize.length
    this.n = n
    this.mant = new Int8Array(n)
    this.exp = new Int32Array(n)
    this.exp0 = new Int32Array(n)
    this.frame = new Float64Array(n)
    this.mesh = new Float64Array(n)
    this.rhoV = new Float64Array(n)
    this.meshMul = new Float64Array(n)
    this.meshDiv = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const size = initialFrameSize[i]
      if (!(size > 0) || !Number.isFinite(size))
        throw new Error(`GMesh: bad initial frame size ${size} at ${i}`)
      let l = Math.log10(size)
      // Guard exact powers of ten against log10 round-off (log10(0.1) may come out as −0.9999999999999999).
      if (Math.abs(l - Math.round(l)) < 1e-12) l = Math.round(l)
      const e = Math.trunc(l)
      this.exp[i] = e
      this.exp0[i] = e
      this.mant[i] = roundMantissa(size / 10 ** e)
      this.update(i)
    }
  }

  /**
   * Mesh for a box: NOMAD's default initial frame size is 0.1·(ub − lb). Coordinates without a finite
   * positive width fall back to |x0ᵢ|/10, or 1 when x0ᵢ = 0 (NOMAD's rule without bounds).
   */
  static fromBounds(lower: ArrayLike<number>, upper: ArrayLike<number>, x0?: ArrayLike<number>): GMesh {
    const n = lower.length
    const size = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const w = upper[i] - lower[i]
      if (w > 0 && Number.isFinite(w)) size[i] = 0.1 * w
      else if (x0 && x0[i] !== 0 && Number.isFinite(x0[i])) size[i] = Math.abs(x0[i]) / 10
      else size[i] = 1
    }
    return new GMesh(size)
  }

  private update(i: number): void {
    const b = this.exp[i]
    const diff = Math.abs(b - this.exp0[i])
    this.frame[i] = timesPow10(this.mant[i], b)
    const e = b - diff
    this.mesh[i] = timesPow10(1, e)
    this.meshMul[i] = e >= 0 ? 10 ** e : 1
    this.meshDiv[i] = e >= 0 ? 1 : 10 ** -e
    this.rhoV[i] = this.mant[i] * 10 ** diff
  }

  /** Δᵢ, the frame size. */
  frameSize(i: number): number {
    return this.frame[i]
  }

  /** δᵢ, the mesh size. */
  meshSize(i: number): number {
    return this.mesh[i]
  }

  /** ρᵢ = Δᵢ/δᵢ (an integer). */
  rho(i: number): number {
    return this.rhoV[i]
  }

  /** Mesh index: the exponent of δᵢ, bᵢ − |bᵢ − bᵢ⁰|. */
  meshIndex(i: number): number {
    return this.exp[i] - Math.abs(this.exp[i] - this.exp0[i])
  }

  frameMantissa(i: number): number {
    return this.mant[i]
  }

  frameExponent(i: number): number {
    return this.exp[i]
  }

  /** Copies of all frame sizes / mesh sizes into `out`. */
  frameSizes(out: Float64Array = new Float64Array(this.n)): Float64Array {
    out.set(this.frame)
    return out
  }

  meshSizes(out: Float64Array = new Float64Array(this.n)): Float64Array {
    out.set(this.mesh)
    return out
  }

  /** Failure: every coordinate refines 1 → 0.5 → 0.2 → 0.1 … (mantissa 1 → 5 with b − 1, 2 → 1, 5 → 2). */
  refine(): void {
    for (let i = 0; i < this.n; i++) {
      const a = this.mant[i]
      if (a === 1) {
        this.mant[i] = 5
        this.exp[i]--
      } else if (a === 2) this.mant[i] = 1
      else this.mant[i] = 2
      this.update(i)
    }
  }

  /**
   * Success along `direction` (the step just taken): coordinate i enlarges (×2, ×2.5, ×2 in the 1-2-5
   * cycle) only if |dᵢ| > anisotropyFactor·Δᵢ (NOMAD `ANISOTROPY_FACTOR`, default 0.1).
   * @returns true when at least one frame size changed.
   */
  enlarge(direction: ArrayLike<number>, anisotropyFactor = 0.1): boolean {
    let changed = false
    for (let i = 0; i < this.n; i++) {
      if (!(Math.abs(direction[i]) > anisotropyFactor * this.frame[i])) continue
      const a = this.mant[i]
      if (a === 1) this.mant[i] = 2
      else if (a === 2) this.mant[i] = 5
      else {
        this.mant[i] = 1
        this.exp[i]++
      }
      this.update(i)
      changed = true
    }
    return changed
  }

  /**
   * NOMAD `scaleAndProjectOnMesh(Direction)`: scale `dir` to ∞-norm 1, then dᵢ ← round(ρᵢ·dᵢ)·δᵢ, so that
   * the largest coordinate lands on the frame (|dᵢ| = Δᵢ) and every coordinate is a multiple of δᵢ.
   */
  projectDirection(dir: ArrayLike<number>, out: Float64Array): void {
    let inf = 0
    for (let i = 0; i < this.n; i++) inf = Math.max(inf, Math.abs(dir[i]))
    if (!(inf > 0)) throw new Error('GMesh.projectDirection: zero direction')
    const { rhoV, meshMul, meshDiv } = this
    for (let i = 0; i < this.n; i++) {
      out[i] = (roundHalfAway((rhoV[i] * dir[i]) / inf) * meshMul[i]) / meshDiv[i]
    }
  }

  /** Nearest mesh point around `center`: centerᵢ + round((xᵢ − centerᵢ)/δᵢ)·δᵢ. `out` may alias `x`. */
  project(x: ArrayLike<number>, center: ArrayLike<number>, out: Float64Array): void {
    const { mesh, meshMul, meshDiv } = this
    for (let i = 0; i < this.n; i++) {
      const k = roundHalfAway((x[i] - center[i]) / mesh[i])
      out[i] = center[i] + (k * meshMul[i]) / meshDiv[i]
    }
  }

  /** True when every mesh index is below `minIndex` (the −50 stopping rule). */
  allMeshIndicesBelow(minIndex: number): boolean {
    for (let i = 0; i < this.n; i++) if (this.meshIndex(i) >= minIndex) return false
    return true
  }

  getState(): GMeshState {
    return { mant: Array.from(this.mant), exp: Array.from(this.exp), exp0: Array.from(this.exp0) }
  }

  setState(s: GMeshState): void {
    if (s.mant.length !== this.n) throw new Error('GMesh.setState: dimension mismatch')
    for (let i = 0; i < this.n; i++) {
      this.mant[i] = s.mant[i]
      this.exp[i] = s.exp[i]
      this.exp0[i] = s.exp0[i]
      this.update(i)
    }
  }
}
