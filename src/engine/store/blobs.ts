/**
 * Genome blobs of the `genomes` table (docs/store.md). Dense: the float64 values back to back (`indices`
 * NULL). Sparse against the run's prior genome: `indices` holds the changed coordinates as int32 and
 * `weights` their values, used whenever that is smaller (an ENOMAD genome differs from W0 in a few
 * dozen weights: ~100× smaller than dense).
 */
import { deserialize, serialize } from 'node:v8'
import { deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * A checkpoint: the algorithm's snapshot, v8-serialised and deflated (level 1). A population near its
 * prior repeats the same float64 values many times, so this is ~10× smaller than the raw form, which
 * schema-v2 workspaces hold (v8's format starts with 0xFF; a raw deflate stream never does here, as the
 * first byte is marked below).
 */
const DEFLATED = 0x01
export function encodeCheckpoint(snapshot: unknown): Buffer {
  const body = deflateRawSync(serialize(snapshot), { level: 1 })
  return Buffer.concat([Buffer.from([DEFLATED]), body])
}
export function decodeCheckpoint(b: Buffer): unknown {
  if (b[0] === 0xff) return deserialize(b) // raw v8 (schema v2)
  if (b[0] !== DEFLATED) throw new Error(`unknown checkpoint encoding 0x${b[0].toString(16)}`)
  return deserialize(inflateRawSync(b.subarray(1)))
}

export const toBlob = (a: Float64Array | Int32Array): Buffer =>
  Buffer.from(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))

export const fromBlob = (b: Buffer): Float64Array => {
  const copy = new Uint8Array(b.byteLength)
  copy.set(b)
  return new Float64Array(copy.buffer)
}

const int32FromBlob = (b: Buffer): Int32Array => {
  const copy = new Uint8Array(b.byteLength)
  copy.set(b)
  return new Int32Array(copy.buffer)
}

export interface EncodedGenomes {
  weights: Buffer
  indices: Buffer | null
}

/** Encodes genomes of one length: sparse against `prior` when that is smaller, else dense. */
export function encodeGenomes(genomes: Float64Array[], prior: Float64Array | null): EncodedGenomes {
  const S = genomes[0]?.length ?? 0
  let changed = 0
  if (prior && prior.length === S) {
    for (const g of genomes) for (let k = 0; k < S; k++) if (g[k] !== prior[k]) changed++
  }
  if (prior && prior.length === S && changed * 12 < genomes.length * S * 8) {
    // Per genome: its count, then its indices (the counts make the split unambiguous).
    const idx = new Int32Array(genomes.length + changed)
    const val = new Float64Array(changed)
    let i = 0
    let v = 0
    for (const g of genomes) {
      const at = i++
      let n = 0
      for (let k = 0; k < S; k++) {
        if (g[k] !== prior[k]) {
          idx[i++] = k
          val[v++] = g[k]
          n++
        }
      }
      idx[at] = n
    }
    return { weights: toBlob(val), indices: toBlob(idx) }
  }
  const all = new Float64Array(S * genomes.length)
  genomes.forEach((g, i) => all.set(g, i * S))
  return { weights: toBlob(all), indices: null }
}

/** The inverse of encodeGenomes; `prior` is needed for sparse rows. */
export function decodeGenomes(
  row: { count: number; weights: Buffer; indices: Buffer | null },
  prior: Float64Array | null
): Float64Array[] {
  const values = fromBlob(row.weights)
  if (row.indices === null) {
    const S = values.length / row.count
    return Array.from({ length: row.count }, (_, i) => values.slice(i * S, (i + 1) * S))
  }
  if (!prior) throw new Error('a sparse genome needs its prior to be decoded')
  const idx = int32FromBlob(row.indices)
  const out: Float64Array[] = []
  let i = 0
  let v = 0
  for (let c = 0; c < row.count; c++) {
    const g = prior.slice()
    const n = idx[i++]
    for (let j = 0; j < n; j++) g[idx[i++]] = values[v++]
    out.push(g)
  }
  return out
}
