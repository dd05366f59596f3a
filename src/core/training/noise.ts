import { Rng } from '../util/rng'

/**
 * ε_j of a perturbation seed, regenerated on demand (per-index regeneration): ε_j = N(0, 1)^dim drawn from
 * an Rng seeded with a mix of (seed, j). Workers and the ES draw exactly the same vectors, so only the
 * seed crosses the process boundary, never the vectors.
 */
export function perturbation(seed: number, j: number, out: Float64Array): Float64Array {
  const rng = new Rng(mixSeed(seed, j))
  for (let k = 0; k < out.length; k++) out[k] = rng.normal()
  return out
}

/** A 32-bit mix of (seed, index), different for every pair (a splitmix-style finaliser). */
export function mixSeed(seed: number, j: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca77)) >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}
