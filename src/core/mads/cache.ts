/**
 * Evaluation cache of MADS: every evaluated point, stored flat, found again by a hash of its Float64 bits
 * (NOMAD never evaluates a point twice). Also keeps the point indices sorted by f, which the Nelder–Mead
 * search walks to build its simplex from the best cached points.
 */

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

export class PointCache {
  readonly n: number
  /** Number of stored points (evaluated or pending). */
  size = 0
  /** Coordinates, point k at [k·n, (k+1)·n). */
  xs: Float64Array
  /** Objective values (NaN while pending). */
  fs: Float64Array
  /** Indices of the valued points, sorted by increasing f (ties in insertion order). */
  sorted: Int32Array
  sortedCount = 0
  private next: Int32Array
  private readonly map = new Map<number, number>()
  /** Hash of the last `find` argument, reused by `addPending` for the same point. */
  private lastKey = -1

  constructor(n: number, capacity = 256) {
    this.n = n
    this.xs = new Float64Array(capacity * n)
    this.fs = new Float64Array(capacity)
    this.next = new Int32Array(capacity)
    this.sorted = new Int32Array(capacity)
  }

  /** 53-bit hash of the coordinates' bit patterns (−0 is folded onto +0). */
  private hash(x: ArrayLike<number>): number {
    let h1 = 0x9e3779b9 | 0
    let h2 = 0x7f4a7c15 | 0
    for (let i = 0; i < this.n; i++) {
      f64[0] = x[i] + 0
      const lo = u32[0]
      const hi = u32[1]
      h1 = Math.imul(h1 ^ lo, 0xcc9e2d51)
      h1 = (h1 << 15) | (h1 >>> 17)
      h1 = Math.imul(h1 ^ hi, 0x1b873593)
      h2 = Math.imul(h2 ^ hi, 0x85ebca6b)
      h2 = (h2 << 13) | (h2 >>> 19)
      h2 = Math.imul(h2 ^ lo, 0xc2b2ae35)
    }
    h1 ^= h1 >>> 16
    h1 = Math.imul(h1, 0x85ebca6b)
    h1 ^= h1 >>> 13
    h2 ^= h2 >>> 16
    h2 = Math.imul(h2, 0xc2b2ae35)
    h2 ^= h2 >>> 13
    return (h1 >>> 0) * 2097152 + (h2 >>> 11)
  }

  /** Index of the point equal to x, or −1. */
  find(x: ArrayLike<number>): number {
    const key = this.hash(x)
    this.lastKey = key
    const head = this.map.get(key)
    if (head === undefined) return -1
    const n = this.n
    for (let k = head; k >= 0; k = this.next[k]) {
      const off = k * n
      let same = true
      for (let i = 0; i < n; i++) {
        if (this.xs[off + i] !== x[i]) {
          same = false
          break
        }
      }
      if (same) return k
    }
    return -1
  }

  private grow(): void {
    const cap = this.fs.length * 2
    const xs = new Float64Array(cap * this.n)
    xs.set(this.xs)
    this.xs = xs
    const fs = new Float64Array(cap)
    fs.set(this.fs)
    this.fs = fs
    const next = new Int32Array(cap)
    next.set(this.next)
    this.next = next
    const sorted = new Int32Array(cap)
    sorted.set(this.sorted)
    this.sorted = sorted
  }

  /**
   * Stores a point that is not in the cache yet; its value comes later through `setValue`. Pass
   * `afterFind` when x is the argument of the `find` call just made, to reuse its hash.
   */
  addPending(x: ArrayLike<number>, afterFind = false): number {
    if (this.size === this.fs.length) this.grow()
    const k = this.size++
    const off = k * this.n
    for (let i = 0; i < this.n; i++) this.xs[off + i] = x[i] + 0
    this.fs[k] = NaN
    const key = afterFind ? this.lastKey : this.hash(x)
    const head = this.map.get(key)
    this.next[k] = head === undefined ? -1 : head
    this.map.set(key, k)
    return k
  }

  /** Records f for a pending point (NaN must already be mapped by the caller) and files it by value. */
  setValue(k: number, f: number): void {
    this.fs[k] = f
    // Upper bound: equal values keep their insertion order.
    let lo = 0
    let hi = this.sortedCount
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.fs[this.sorted[mid]] <= f) lo = mid + 1
      else hi = mid
    }
    this.sorted.copyWithin(lo + 1, lo, this.sortedCount)
    this.sorted[lo] = k
    this.sortedCount++
  }

  /** A view of point k (valid until the cache grows). */
  point(k: number): Float64Array {
    return this.xs.subarray(k * this.n, (k + 1) * this.n)
  }
}
