/**
 * Writes the Fig. 4 report of stored runs: Fig. 4 (the paper's five methods) and Suppl. Fig. S1 (with
 * the random-initialisation control) as SVG and PNG, the statistics table as CSV and Markdown, every
 * run's final values as CSV, and a README saying how it was made. Everything is built in memory first
 * and each file is written atomically, so a failure leaves no half-written output.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { figureMethods, fig4Option, FIG4_METHODS, type Fig4Panel } from '../../core/analysis/fig4-figure'
import { LabError } from '../../shared/errors'
import { checkOutputPath, FileError, writeFileAtomic } from '../fs-util'
import type { RunRow, Store } from '../store/store'
import { fig4Data, type Fig4Data } from './fig4-data'
import type { Fig4Design } from './fig4-plan'
import {
  buildReportTable,
  tableToCsv,
  tableToMarkdown,
  type ReportTable
} from '../../core/analysis/report-table'
import { ALGORITHM_LABELS } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { renderFigure } from './render-figure'

/** The report's files, in the order they are listed. */
export const REPORT_FILES = [
  'fig4.png',
  'fig4.svg',
  'figS1.png',
  'figS1.svg',
  'stats.csv',
  'stats.md',
  'runs.csv',
  'README.md'
] as const

/** The figure's size in CSS pixels; the PNG is rendered at 2× (1800 × 1000). */
const SIZE = { width: 900, height: 500 }

/** Creates `dir` if needed and checks that every report file in it can be written (before any training). */
export function checkReportDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new FileError(`--out '${dir}': cannot create the directory (${(e as NodeJS.ErrnoException).code})`)
  }
  for (const f of REPORT_FILES) checkOutputPath(join(dir, f), '--out')
}

function seedsText(data: Fig4Data, methods: string[]): string {
  const counts = methods.map((m) => data.runs[m]?.length ?? 0)
  const lo = Math.min(...counts)
  const hi = Math.max(...counts)
  return lo === hi ? `${lo} seeds` : `${lo}–${hi} seeds per method`
}

function figure(data: Fig4Data, methods: string[], title: string, design: Fig4Design) {
  const keep = new Set(methods)
  const panels: Fig4Panel[] = data.panels.map((p) => ({
    ...p,
    groups: p.groups.filter((g) => keep.has(g.key))
  }))
  return renderFigure(
    fig4Option({
      title,
      subtitle: `mean ± std over ${seedsText(data, methods)}; ${design.evaluations.toLocaleString('en-US')} rollouts per run; ${design.task}`,
      methods: figureMethods(methods),
      panels,
      ...SIZE
    }),
    SIZE
  )
}

function runsCsv(data: Fig4Data): string {
  const lines = ['method,seed,run,rollouts,wall_seconds,food_eaten,l0,l2']
  for (const m of data.methods)
    data.runs[m].forEach((r, i) =>
      lines.push(
        [
          m,
          r.seed,
          r.id,
          r.evaluations,
          r.wallSeconds.toFixed(1),
          data.finals[m].foodEaten[i],
          data.finals[m].l0[i],
          data.finals[m].l2[i]
        ].join(',')
      )
    )
  return lines.join('\n') + '\n'
}

/** The statistics table of the report's runs (core's table: summaries, Holm-corrected tests, claims). */
export function fig4Table(data: Fig4Data, weights: number): ReportTable {
  return buildReportTable({
    methods: data.methods.map((m) => ({
      key: m,
      label: ALGORITHM_LABELS[m as AlgorithmName] ?? m,
      finals: data.finals[m]
    })),
    weights
  })
}

function readme(
  design: Fig4Design,
  data: Fig4Data,
  markdown: string,
  command: string,
  missing: number
): string {
  const per = data.methods.map((m) => `${m} ${data.runs[m].length}`).join(', ')
  return [
    `# Fig. 4 reproduction: ${design.task}, ${design.evaluations.toLocaleString('en-US')} rollouts per run`,
    '',
    'Written by `lab report fig4` from the runs stored in the workspace; regenerate (and train what is',
    'missing) with:',
    '',
    '    ' + command,
    '',
    `Runs per method: ${per}.${missing > 0 ? ` **Partial: ${missing} runs of the design are not done yet.**` : ''}`,
    '',
    '- `fig4.png`, `fig4.svg`: the paper’s Fig. 4, the five methods; top row against rollouts, bottom row',
    '  against wall-clock seconds (as trained here, with the concurrency used), mean ± std over seeds.',
    '- `figS1.png`, `figS1.svg`: the same with the random-initialisation control (Suppl. Fig. S1).',
    '- `stats.md`, `stats.csv`: final values per method, pairwise Mann–Whitney U tests (Holm-corrected,',
    '  with Cliff’s δ) and the paper’s claims checked against these runs.',
    '- `runs.csv`: every run’s final values.',
    '',
    markdown
  ].join('\n')
}

/**
 * Renders and writes the report of `runs` (completed cells of `design`) into `dir`; returns the files
 * written. `missing`: cells of the design not done (said in the README, which the caller also prints).
 */
export function writeFig4Report(
  store: Store,
  runs: RunRow[],
  design: Fig4Design,
  dir: string,
  opts: { command: string; missing: number }
): string[] {
  if (runs.length === 0) throw new LabError('invalid-config', 'report: no completed runs to draw yet')
  checkReportDir(dir)
  const data = fig4Data(store, runs, design.methods)
  const main = data.methods.filter((m) => (FIG4_METHODS as string[]).includes(m))
  const out = new Map<string, string | Uint8Array>()
  if (main.length > 0) {
    const f = figure(data, main, 'Fig. 4 — benchmarking training algorithms on the connectome', design)
    out.set('fig4.png', f.png).set('fig4.svg', f.svg)
  }
  if (data.methods.length > main.length) {
    const f = figure(data, data.methods, 'Suppl. Fig. S1 — with the random-initialisation control', design)
    out.set('figS1.png', f.png).set('figS1.svg', f.svg)
  }
  const table = fig4Table(data, runs[0].genomeLength)
  const markdown = tableToMarkdown(table)
  out.set('stats.csv', tableToCsv(table)).set('stats.md', markdown).set('runs.csv', runsCsv(data))
  out.set('README.md', readme(design, data, markdown, opts.command, opts.missing))
  for (const [name, bytes] of out) writeFileAtomic(join(dir, name), bytes)
  return [...out.keys()].map((f) => join(dir, f))
}
