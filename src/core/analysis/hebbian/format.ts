/** Number formatting of the analyses' tables and notes, and the mean ± std of a sample. */
import { mean, sampleStandardDeviation } from 'simple-statistics'

/** Three significant digits, never in exponent form for the magnitudes of these analyses. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (v === 0) return '0'
  const digits = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(Math.abs(v)))))
  return v.toFixed(digits)
}

/** "1051 ± 113", both with the mean's precision. */
export function pm(m: number, s: number): string {
  if (m === 0 && s === 0) return '0 ± 0'
  const ref = Math.max(Math.abs(m), Math.abs(s))
  const digits = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(ref))))
  return `${m.toFixed(digits)} ± ${s.toFixed(digits)}`
}

/** Mean and sample std (ddof = 1, as the lab's statistics; 0 for one value). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) throw new Error('mean of no values')
  return { mean: mean(xs as number[]), std: xs.length > 1 ? sampleStandardDeviation(xs as number[]) : 0 }
}

/** Per index i, the mean and std over the rows' i-th values (rows of one length). */
export function columnStats(rows: readonly number[][]): { mean: number[]; lo: number[]; hi: number[] } {
  const n = rows[0]?.length ?? 0
  const out = { mean: new Array<number>(n), lo: new Array<number>(n), hi: new Array<number>(n) }
  for (let i = 0; i < n; i++) {
    const s = meanStd(rows.map((r) => r[i]))
    out.mean[i] = s.mean
    out.lo[i] = s.mean - s.std
    out.hi[i] = s.mean + s.std
  }
  return out
}
