/** Distance of a genome from the biological prior W0: L0 = #{k : W[k] ≠ W0[k]}, L2 = ‖W − W0‖₂. */
export function genomeStats(genome: ArrayLike<number>, w0: ArrayLike<number>): { l0: number; l2: number } {
  let l0 = 0
  let sq = 0
  for (let k = 0; k < w0.length; k++) {
    const d = genome[k] - w0[k]
    if (d !== 0) {
      l0++
      sq += d * d
    }
  }
  return { l0, l2: Math.sqrt(sq) }
}

/** The cardinality regularizer λ·L0^γ subtracted from the reward (paper Eq. 5-6). */
export function cardinalityPenalty(l0: number, lambda: number, exponent: number): number {
  return lambda * Math.pow(l0, exponent)
}
