/**
 * An analysis result as files (`lab analyse --out DIR`): `<kind>.png` and `<kind>.svg` (core's
 * analysisChartOption drawn by ECharts SSR, src/engine/report/render-figure.ts), `<kind>.csv` (the damage
 * table's rows; for the others the series in long form, plus `<kind>-table.csv` when the result has a
 * table) and `<kind>.json` (the whole result). Built in memory, each file written atomically.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { analysisChartOption } from '../../core/analysis/analysis-chart'
import { analysisSeriesCsv, analysisTableCsv } from '../../core/analysis/analysis-csv'
import type { AnalysisKind } from '../../core/analysis/hebbian/types'
import { checkOutputPath, FileError, writeFileAtomic } from '../fs-util'
import { renderFigure } from '../report/render-figure'
import type { StoredAnalysis } from '../store/analyses'

/** The file names an analysis of `kind` writes (the table file only when the result has a table). */
export function analysisFileNames(kind: AnalysisKind, withTable = true): string[] {
  const table = kind !== 'damage-table' && withTable ? [`${kind}-table.csv`] : []
  return [`${kind}.png`, `${kind}.svg`, `${kind}.csv`, ...table, `${kind}.json`]
}

/** Creates `dir` if needed and checks that the files can be written, before any work. */
export function checkAnalysisDir(dir: string, kind: AnalysisKind, avoid: string[] = []): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new FileError(`--out '${dir}': cannot create the directory (${(e as NodeJS.ErrnoException).code})`)
  }
  for (const f of analysisFileNames(kind)) checkOutputPath(join(dir, f), '--out', { avoid })
}

/** The figure's size in CSS pixels (the PNG is 2×); the PCA's two panels get more width. */
const size = (kind: AnalysisKind) =>
  kind === 'pca' ? { width: 1100, height: 540 } : { width: 900, height: 520 }

/** Writes the files; returns their paths. */
export function writeAnalysisFiles(result: StoredAnalysis, dir: string): string[] {
  const { svg, png } = renderFigure(analysisChartOption(result), size(result.kind))
  const files = new Map<string, string | Uint8Array>([
    [`${result.kind}.png`, png],
    [`${result.kind}.svg`, svg]
  ])
  if (result.kind === 'damage-table' && result.table)
    files.set(`${result.kind}.csv`, analysisTableCsv(result.table))
  else {
    files.set(`${result.kind}.csv`, analysisSeriesCsv(result))
    if (result.table) files.set(`${result.kind}-table.csv`, analysisTableCsv(result.table))
  }
  files.set(`${result.kind}.json`, JSON.stringify(result, null, 1) + '\n')
  const written: string[] = []
  for (const [name, data] of files) {
    const path = join(dir, name)
    writeFileAtomic(path, data)
    written.push(path)
  }
  return written
}
