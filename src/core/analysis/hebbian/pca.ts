/**
 * PCA of a weight trajectory (seed 002 Fig. 5): n recorded steps × p weights (the quadruped: ~1,000 × 12,288),
 * projected on its first three principal components.
 *
 * ml-pca's SVD of the n × p data costs O(p·n²) with a large constant (measured here: 66 s for n = 400, and
 * it grows faster than n²); its covariance form needs the p × p matrix (1.2 GB). So the PCA is taken in its
 * dual form: ml-pca's PCA of the n × n Gram matrix G = Xc·Xcᵀ/(n − 1) of the centred data (ml-matrix's
 * product), whose eigenvalues are exactly the nonzero eigenvalues of the covariance Xcᵀ·Xc/(n − 1), so the
 * explained variances are the same; the scores follow from its eigenvectors u_k as σ_k·u_k with
 * σ_k = √((n − 1)·λ_k) (Xc = U·Σ·Vᵀ, so Xc·v_k = σ_k·u_k).
 */
import { Matrix } from 'ml-matrix'
import { PCA } from 'ml-pca'

export interface WeightPca {
  /** scores[k][i]: component k of recorded step i. */
  scores: number[][]
  /** Fraction of the total variance each component explains (decreasing; Σ over all components = 1). */
  explained: number[]
}

/** The first `components` principal components of the rows (each a recorded weight vector). */
export function weightPca(rows: readonly Float64Array[], components = 3): WeightPca {
  const n = rows.length
  if (n < components + 1)
    throw new Error(`weight PCA: ${n} recorded steps are too few for ${components} components`)
  const x = new Matrix(n, rows[0].length)
  rows.forEach((r, i) => x.setRow(i, r))
  x.subRowVector(x.mean('column'))
  const gram = x.mmul(x.transpose()).div(n - 1)
  const zero = () => ({
    scores: Array.from({ length: components }, () => new Array<number>(n).fill(0)),
    explained: new Array<number>(components).fill(0)
  })
  // No variance at all (weights that never change): no direction to project on.
  if (gram.trace() <= 0) return zero()
  const pca = new PCA(gram, { isCovarianceMatrix: true })
  const lambda = pca.getEigenvalues()
  const u = pca.getEigenvectors()
  const total = lambda.reduce((a, l) => a + Math.max(l, 0), 0)
  const scores: number[][] = []
  const explained: number[] = []
  for (let k = 0; k < components; k++) {
    const l = Math.max(lambda[k], 0)
    const sigma = Math.sqrt((n - 1) * l)
    const col = u.getColumn(k).map((v) => v * sigma)
    // An eigenvector's sign is arbitrary: orient each axis so that the trajectory ends on its positive side
    // of where it started (the same data then always gives the same picture).
    if (col[n - 1] < col[0]) for (let i = 0; i < n; i++) col[i] = -col[i]
    scores.push(col)
    explained.push(l / total)
  }
  return { scores, explained }
}
