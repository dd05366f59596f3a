import { Rng } from '../util/rng'

/**
 * ε_j of a perturbation seed, regenerated on demand (per-index regeneration): ε_j = N(0, 1)^dim drawn from
 * an Rng seeded with a mix of (seed, j), i.e. `out[k] = rng.normal()` for k = 0, 1, …. Workers and the ES
 * draw exactly the same vectors, so only the seed crosses the process boundary, never the vectors.
 *
 * This is the hot loop of the ES (the main process regenerates every ε_j for its gradient, each worker
 * those of its pairs), so it inlines Rng's xoshiro128** and Box–Muller steps on local variables: the
 * same operations in the same order, hence bit-identical to the `rng.normal()` loop (tested), two to
 * three times faster (bench/transport.ts).
 */
export function perturbation(seed: number, j: number, out: Float64Array): Float64Array {
  const s = new Rng(mixSeed(seed, j)).getState().s
  let s0 = s[0] | 0
  let s1 = s[1] | 0
  let s2 = s[2] | 0
  let s3 = s[3] | 0
  const n = out.length
  for (let k = 0; k < n; k += 2) {
    // Rng.normal: one Box–Muller pair (cosine first, sine as the spare) from u, v = Rng.next(), each
    // made of two Rng.nextUint32 steps (xoshiro128**), written out so that the state stays in locals.
    let u = 0
    let v = 0
    for (;;) {
      let x = Math.imul(s1, 5)
      const a = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
      let t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = (s3 << 11) | (s3 >>> 21)
      x = Math.imul(s1, 5)
      const b = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
      t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = (s3 << 11) | (s3 >>> 21)
      const w = ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992
      // u is redrawn while it is 0 (log 0), then v is drawn once.
      if (u !== 0) {
        v = w
        break
      }
      u = w
    }
    const r = Math.sqrt(-2 * Math.log(u))
    out[k] = r * Math.cos(2 * Math.PI * v)
    if (k + 1 < n) out[k + 1] = r * Math.sin(2 * Math.PI * v)
  }
  return out
}

/** A 32-bit mix of (seed, index), different for every pair (a splitmix-style finaliser). */
export function mixSeed(seed: number, j: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca77)) >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}
