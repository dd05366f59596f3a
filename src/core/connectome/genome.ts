import { z } from 'zod'
import { checkCellCount, csvHeader, csvLines, csvNumber } from '../util/csv'
import type { Connectome } from './connectome'

export class GenomeError extends Error {
  override name = 'GenomeError'
}

/** A genome in the JSON exchange format: weights in genome order, tied to a connectome by its pair hash. */
export const genomeJsonSchema = z.object({
  connectome: z.string(),
  pairsHash: z.string(),
  weights: z.array(z.number().nullable()),
  meta: z.record(z.string(), z.unknown()).optional()
})
export type GenomeJson = z.infer<typeof genomeJsonSchema>

/** Checks length and finiteness; returns the weights as a Float64Array. */
export function checkGenome(c: Connectome, weights: ArrayLike<number | null>): Float64Array {
  if (weights.length !== c.w0.length) {
    throw new GenomeError(`genome has ${weights.length} weights, connectome '${c.id}' has ${c.w0.length}`)
  }
  const out = new Float64Array(weights.length)
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new GenomeError(`weight ${k} (${c.pre[k]} -> ${c.post[k]}) is not a finite number: ${w}`)
    }
    out[k] = w
  }
  return out
}

export function genomeFromJson(c: Connectome, data: unknown): Float64Array {
  const r = genomeJsonSchema.safeParse(data)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new GenomeError(`not a genome JSON file: ${i.path.join('.') || '<root>'}: ${i.message}`)
  }
  if (r.data.pairsHash !== c.pairsHash) {
    throw new GenomeError(
      `pairsHash mismatch: genome was saved for pair list ${r.data.pairsHash} (${r.data.connectome}), ` +
        `connectome '${c.id}' has ${c.pairsHash}`
    )
  }
  return checkGenome(c, r.data.weights)
}

export function genomeToJson(
  c: Connectome,
  weights: ArrayLike<number>,
  meta?: Record<string, unknown>
): GenomeJson {
  return { connectome: c.id, pairsHash: c.pairsHash, weights: Array.from(weights), ...(meta ? { meta } : {}) }
}

/**
 * Parses a `pre,post,weight` CSV (header required, any row order; a `w` column, as in the lab's export,
 * also works). Strict: a duplicated header column, a row whose cell count differs from the header's, and
 * a weight that is not a finite decimal number (`0x2`, `1e`, `Infinity`, an empty cell) are refused,
 * naming the line and column. Every pair of the connectome must appear exactly once; unknown, missing
 * and duplicated pairs are errors.
 */
export function genomeFromCsv(c: Connectome, text: string): Float64Array {
  try {
    return parseCsvGenome(c, text)
  } catch (e) {
    throw e instanceof GenomeError ? e : new GenomeError((e as Error).message)
  }
}

function parseCsvGenome(c: Connectome, text: string): Float64Array {
  const lines = csvLines(text)
  const first = lines.next()
  if (first.done) throw new GenomeError('empty CSV genome')
  const header = csvHeader(first.value, 'CSV genome')
  const [ip, iq] = ['pre', 'post'].map((h) => header.indexOf(h))
  // `weight`, or `w` as in the lab's own export (pre,post,w0,w,delta).
  const iw = header.includes('weight') ? header.indexOf('weight') : header.indexOf('w')
  if (ip < 0 || iq < 0 || iw < 0) {
    throw new GenomeError(
      `CSV genome needs columns pre,post,weight (or w); header is '${first.value.cells.join(',')}'`
    )
  }
  const index = new Map(c.pre.map((p, k) => [`${p}>${c.post[k]}`, k]))
  const out = new Float64Array(c.w0.length)
  const seen = new Uint8Array(c.w0.length)
  for (const l of lines) {
    checkCellCount(l, header, 'CSV')
    const { line, cells } = l
    const pre = cells[ip]
    const post = cells[iq]
    const k = index.get(`${pre}>${post}`)
    if (k === undefined) throw new GenomeError(`CSV line ${line}: unknown pair ${pre} -> ${post}`)
    if (seen[k]) throw new GenomeError(`CSV line ${line}: duplicated pair ${pre} -> ${post}`)
    out[k] = csvNumber(cells[iw], line, header[iw], 'CSV', `weight of ${pre} -> ${post}`)
    seen[k] = 1
  }
  const missing = seen.indexOf(0)
  if (missing >= 0) {
    const count = seen.reduce((a, s) => a + (s ? 0 : 1), 0)
    throw new GenomeError(
      `CSV genome is missing ${count} pair(s), first ${c.pre[missing]} -> ${c.post[missing]}`
    )
  }
  return out
}

/** `pre,post,w0[,w,delta]` rows in genome order. */
export function genomeToCsv(c: Connectome, weights?: ArrayLike<number>): string {
  const rows = [weights ? 'pre,post,w0,w,delta' : 'pre,post,w0']
  for (let k = 0; k < c.w0.length; k++) {
    rows.push(
      weights
        ? `${c.pre[k]},${c.post[k]},${c.w0[k]},${weights[k]},${weights[k] - c.w0[k]}`
        : `${c.pre[k]},${c.post[k]},${c.w0[k]}`
    )
  }
  return rows.join('\n') + '\n'
}
