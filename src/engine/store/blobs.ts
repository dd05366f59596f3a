/**
 * Genome blobs of the `genomes` table (docs/store.md). Dense: the float64 values back to back (`indices`
 * NULL). Sparse against the run's prior genome: `indices` holds the changed coordinates as int32 and
 * `weights` their values, used whenever that is smaller (an ENOMAD genome differs from W0 in a few
 * dozen weights: ~100× smaller than dense).
 */
import { deserialize, serialize } from 'node:v8'
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * A checkpoint: the algorithm's snapshot, v8-serialised and deflated (level 1). A population near its
 * prior repeats the same float64 values many times, so this is ~10× smaller than the raw form, which
 * schema-v2 workspaces hold (v8's format starts with 0xFF; the forms below start with their marker).
 * - 0x02 (written now): the marker, the CRC-32 of the serialised snapshot (uint32 LE), the raw deflate
 *   stream. A damaged blob is always told apart from a good one: a deflate stream has no checksum of its
 *   own, and a flipped bit in it can inflate to another, valid, snapshot.
 * - 0x01 (read only): the marker, then the raw deflate stream.
 */
const DEFLATED = 0x01
const CHECKED = 0x02
export function encodeCheckpoint(snapshot: unknown): Buffer {
  const raw = serialize(snapshot)
  const head = Buffer.alloc(5)
  head[0] = CHECKED
  head.writeUInt32LE(crc32(raw), 1)
  return Buffer.concat([head, deflateRawSync(raw, { level: 1 })])
}

/** A checkpoint that cannot be decoded: damaged on disk (the message says how). */
export class CheckpointDecodeError extends Error {
  override name = 'CheckpointDecodeError'
}

export function decodeCheckpoint(b: Buffer): unknown {
  const fail = (why: string): never => {
    throw new CheckpointDecodeError(why)
  }
  const attempt = <T>(what: string, fn: () => T): T => {
    try {
      return fn()
    } catch (e) {
      return fail(`${what}: ${(e as Error).message}`)
    }
  }
  if (b.length === 0) fail('empty')
  if (b[0] === 0xff) return attempt('cannot deserialise it', () => deserialize(b)) // raw v8 (schema v2)
  if (b[0] === DEFLATED) {
    const raw = attempt('cannot inflate it', () => inflateRawSync(b.subarray(1)))
    return attempt('cannot deserialise it', () => deserialize(raw))
  }
  if (b[0] !== CHECKED) fail(`unknown encoding 0x${b[0].toString(16)}`)
  if (b.length < 5) fail(`truncated to ${b.length} bytes`)
  const raw = attempt('cannot inflate it', () => inflateRawSync(b.subarray(5)))
  if (crc32(raw) !== b.readUInt32LE(1)) fail('its checksum does not match')
  return attempt('cannot deserialise it', () => deserialize(raw))
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
