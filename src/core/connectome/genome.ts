import { z } from 'zod'
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
 * Parses a `pre,post,weight` CSV (header required, any row order; a `w` column, as in the lab's export, also works). Every pair of the connectome must
 * appear exactly once; unknown, missing and duplicated pairs are errors.
 */
export function genomeFromCsv(c: Connectome, text: string): Float64Array {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  if (lines.length === 0) throw new GenomeError('empty CSV genome')
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase())
  const [ip, iq] = ['pre', 'post'].map((h) => header.indexOf(h))
  // `weight`, or `w` as in the lab's own export (pre,post,w0,w,delta).
  const iw = header.includes('weight') ? header.indexOf('weight') : header.indexOf('w')
  if (ip < 0 || iq < 0 || iw < 0) {
    throw new GenomeError(`CSV genome needs columns pre,post,weight (or w); header is '${lines[0]}'`)
  }
  const index = new Map(c.pre.map((p, k) => [`${p}>${c.post[k]}`, k]))
  const out = new Float64Array(c.w0.length)
  const seen = new Uint8Array(c.w0.length)
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',').map((s) => s.trim())
    const pre = cells[ip]
    const post = cells[iq]
    const k = index.get(`${pre}>${post}`)
    if (k === undefined) throw new GenomeError(`CSV line ${r + 1}: unknown pair ${pre} -> ${post}`)
    if (seen[k]) throw new GenomeError(`CSV line ${r + 1}: duplicated pair ${pre} -> ${post}`)
    const raw = cells[iw]
    const w = raw === undefined || raw === '' ? NaN : Number(raw)
    if (!Number.isFinite(w))
      throw new GenomeError(`CSV line ${r + 1}: weight of ${pre} -> ${post} is not finite: '${raw}'`)
    seen[k] = 1
    out[k] = w
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
