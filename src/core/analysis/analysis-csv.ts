/**
 * An analysis result as CSV (RFC 4180, src/core/util/csv.ts), what `lab analyse` writes beside its figure:
 * the table when the result has one (the damage table, the recovery and PCA summaries) goes to its own
 * file; the series always in long form, one row per point: series, x, y (and z, lo, hi when present).
 */
import { csvRecord } from '../util/csv'
import type { ChartableAnalysis } from './analysis-chart'
import type { AnalysisTable } from './hebbian/types'

/** The series in long form (x, y, z as the result's axis labels say). */
export function analysisSeriesCsv(r: Pick<ChartableAnalysis, 'series'>): string {
  const hasZ = r.series.some((s) => s.z)
  const hasBand = r.series.some((s) => s.band)
  const lines = [csvRecord(['series', 'x', 'y', ...(hasZ ? ['z'] : []), ...(hasBand ? ['lo', 'hi'] : [])])]
  for (const s of r.series)
    s.x.forEach((x, i) =>
      lines.push(
        csvRecord([
          s.name,
          x,
          s.y[i],
          ...(hasZ ? [s.z?.[i] ?? null] : []),
          ...(hasBand ? [s.band?.lo[i] ?? null, s.band?.hi[i] ?? null] : [])
        ])
      )
    )
  return lines.join('\n') + '\n'
}

export function analysisTableCsv(t: AnalysisTable): string {
  return [csvRecord(t.header), ...t.rows.map((r) => csvRecord(r))].join('\n') + '\n'
}
