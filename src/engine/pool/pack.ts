import type { PackedGenomes } from './protocol'

/** Packs genomes for a worker: sparse against the prior when that is clearly smaller, dense otherwise. */
export function packGenomes(genomes: Float64Array[], prior: Float64Array): PackedGenomes {
  const S = prior.length
  let diffs = 0
  for (const g of genomes) for (let k = 0; k < S; k++) if (g[k] !== prior[k]) diffs++
  if (diffs * 3 < genomes.length * S) {
    // Sparse costs 12 bytes per changed weight against 8 per weight when dense.
    const offsets = new Int32Array(genomes.length + 1)
    const idx = new Int32Array(diffs)
    const val = new Float64Array(diffs)
    let n = 0
    genomes.forEach((g, i) => {
      for (let k = 0; k < S; k++) {
        if (g[k] !== prior[k]) {
          idx[n] = k
          val[n++] = g[k]
        }
      }
      offsets[i + 1] = n
    })
    return { kind: 'sparse', count: genomes.length, offsets, idx, val }
  }
  const data = new Float64Array(genomes.length * S)
  genomes.forEach((g, i) => data.set(g, i * S))
  return { kind: 'dense', count: genomes.length, data }
}

export function unpackGenomes(p: PackedGenomes, prior: Float64Array): Float64Array[] {
  const S = prior.length
  if (p.kind === 'dense')
    return Array.from({ length: p.count }, (_, i) => p.data.subarray(i * S, (i + 1) * S))
  return Array.from({ length: p.count }, (_, i) => {
    const g = prior.slice()
    for (let j = p.offsets[i]; j < p.offsets[i + 1]; j++) g[p.idx[j]] = p.val[j]
    return g
  })
}
