import type { Rng } from '../util/rng'

/** Genetic operators shared by rENOMAD, mENOMAD and the pure EA (seed 000, section 2.4 and Eq. 7). */

/** Indices of the `count` fittest individuals, best first (ties keep population order). */
export function topIndices(fitness: ArrayLike<number>, count: number): number[] {
  const idx = Array.from({ length: fitness.length }, (_, i) => i)
  idx.sort((a, b) => fitness[b] - fitness[a] || a - b)
  return idx.slice(0, count)
}

/**
 * Fitness-proportional selection weights over the parents (paper section 2.4).
 * - `proportional` (the paper and the authors' code, `probs = fits / fits.sum()`): the raw fitnesses, as
 *   long as every parent's fitness is > 0. Otherwise raw weights are meaningless, and the parents are
 *   shifted as below (choice: the authors' code would divide by a non-positive sum).
 * - `shifted` (this lab's first rule): always shift, so that the worst parent keeps ε of the spread. This is a
 *   much stronger selection pressure (docs/optimizers.md, "the selection study").
 * If every parent has the same fitness (≤ 0, or shifted) all weights are 0, and the caller skips crossover.
 */
export function selectionWeights(
  parentFitness: ArrayLike<number>,
  epsilon: number,
  mode: 'proportional' | 'shifted' = 'shifted'
): Float64Array {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < parentFitness.length; i++) {
    lo = Math.min(lo, parentFitness[i])
    hi = Math.max(hi, parentFitness[i])
  }
  if (mode === 'proportional' && lo > 0) return Float64Array.from(parentFitness)
  const spread = hi - lo
  return Float64Array.from(parentFitness, (f) => (spread > 0 ? f - lo + epsilon * spread : 0))
}

/** Crossover's p_c for two drawn parents: Eq. 7's p₁/(p₁+p₂) (`fitness`), or ½ (`uniform`). */
export function crossoverProbability(w1: number, w2: number, mode: 'fitness' | 'uniform'): number {
  return mode === 'uniform' ? 0.5 : w1 / (w1 + w2)
}

/** Draws an index with probability weights[i] / Σ weights. */
export function drawWeighted(rng: Rng, weights: Float64Array, total: number): number {
  let u = rng.next() * total
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]
    if (u < 0) return i
  }
  let last = weights.length - 1
  while (last > 0 && weights[last] === 0) last--
  return last
}

/**
 * Paper Eq. 7: each gene comes from parent 1 with probability p_c = p1 / (p1 + p2), else from parent 2.
 * Genes on which the parents agree are copied without a draw (the outcome is the same).
 */
export function crossover(
  rng: Rng,
  a: Float64Array,
  b: Float64Array,
  pc: number,
  /** A buffer to write the child into (a discarded genome), instead of a new one. */
  into?: Float64Array
): Float64Array {
  const child = into ?? a.slice()
  if (into) into.set(a)
  for (let k = 0; k < child.length; k++) {
    if (a[k] !== b[k] && rng.next() >= pc) child[k] = b[k]
  }
  return child
}

/** Replaces `count` distinct coordinates with U(low, high) values, in place. */
export function mutate(rng: Rng, genome: Float64Array, count: number, low: number, high: number): Int32Array {
  const coords = rng.sample(genome.length, Math.min(count, genome.length))
  for (let j = 0; j < coords.length; j++) genome[coords[j]] = rng.uniform(low, high)
  return coords
}

/** Summary statistics of a list of fitness values. */
export function fitnessStats(fitness: ArrayLike<number>): { best: number; mean: number; worst: number } {
  let best = -Infinity
  let worst = Infinity
  let sum = 0
  for (let i = 0; i < fitness.length; i++) {
    best = Math.max(best, fitness[i])
    worst = Math.min(worst, fitness[i])
    sum += fitness[i]
  }
  return { best, mean: sum / fitness.length, worst }
}
