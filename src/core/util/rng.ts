/**
 * Seeded pseudo-random numbers with an explicit, serialisable state.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), seeded through splitmix32.
 * Every optimizer owns one Rng; `getState()` / `setState()` capture the complete
 * state (including the cached second Box–Muller normal) so that a restored run
 * continues bit-identically.
 */

export interface RngState {
  s: [number, number, number, number]
  /** Cached second normal deviate of the Box–Muller pair, or null. */
  spare: number | null
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x9e3779b9) >>> 0
    let z = a
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export class Rng {
  private s0 = 0
  private s1 = 0
  private s2 = 0
  private s3 = 0
  private spare: number | null = null

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`)
    const sm = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32))
    this.s0 = sm()
    this.s1 = sm()
    this.s2 = sm()
    this.s3 = sm()
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5
    const lo = this.nextUint32() >>> 6
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  int(n: number): number {
    if (!(n > 0) || n > 2 ** 32 || !Number.isInteger(n)) throw new Error(`Rng.int: bad bound ${n}`)
    const limit = 2 ** 32 - (2 ** 32 % n)
    for (;;) {
      const r = this.nextUint32()
      if (r < limit) return r % n
    }
  }

  /** Standard normal deviate (Box–Muller, polar-free form with a cached spare). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare
      this.spare = null
      return v
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /**
   * k distinct integers drawn uniformly from [0, n) (partial Fisher–Yates). The swapped entries are kept
   * in a map, so a draw costs O(k), not O(n), with exactly the values of the dense shuffle.
   */
  sample(n: number, k: number): Int32Array {
    if (k > n) throw new Error(`Rng.sample: cannot draw ${k} distinct values from ${n}`)
    const swapped = new Map<number, number>()
    const out = new Int32Array(k)
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i)
      const vi = swapped.get(i) ?? i
      const vj = swapped.get(j) ?? j
      out[i] = vj
      swapped.set(j, vi)
    }
    return out
  }

  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare }
  }

  setState(state: RngState): void {
    ;[this.s0, this.s1, this.s2, this.s3] = state.s.map((x) => x | 0) as [number, number, number, number]
    this.spare = state.spare
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0)
    r.setState(state)
    return r
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
