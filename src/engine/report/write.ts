/**
 * Writes a report of stored runs. `fig4`: Fig. 4 (the paper's five methods) and Suppl. Fig. S1 (with the
 * random-initialisation control) as SVG and PNG, the statistics table with the paper's numbers and
 * claims. `study`: variants ("arms") of one method in one figure, each tested against the baseline arm.
 * Both add every run's final values as CSV and a README saying how to regenerate it. Everything is built
 * in memory first and each file is written atomically, so a failure leaves no half-written output.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ARM_COLORS, fig4Figures, fig4Option, fig4Subtitle, panelsOf } from '../../core/analysis/fig4-figure'
import {
  buildReportTable,
  tableToCsv,
  tableToMarkdown,
  type ReportTable
} from '../../core/analysis/report-table'
import { LabError } from '../../shared/errors'
import { checkOutputPath, FileError, writeFileAtomic } from '../fs-util'
import type { Store } from '../store/store'
import { reportData, type ReportData } from './data'
import type { ReportCell, ReportDesign } from './plan'
import { renderFigure } from './render-figure'

export type ReportKind = 'fig4' | 'study'

/** The report's files (`study` has study.png/svg instead of the two figures). */
export const REPORT_FILES: Record<ReportKind, readonly string[]> = {
  fig4: ['fig4.png', 'fig4.svg', 'figS1.png', 'figS1.svg', 'stats.csv', 'stats.md', 'runs.csv', 'README.md'],
  study: ['study.png', 'study.svg', 'stats.csv', 'stats.md', 'runs.csv', 'README.md']
}

/** The figure's size in CSS pixels; the PNG is rendered at 2× (1800 × 1000). */
const SIZE = { width: 900, height: 500 }

/** Creates `dir` if needed and checks that every report file in it can be written (before any training). */
export function checkReportDir(dir: string, kind: ReportKind): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new FileError(`--out '${dir}': cannot create the directory (${(e as NodeJS.ErrnoException).code})`)
  }
  for (const f of REPORT_FILES[kind]) checkOutputPath(join(dir, f), '--out')
}

function figure(data: ReportData, design: ReportDesign, arms: string[], title: string, colored: boolean) {
  const label = new Map(design.arms.map((a) => [a.key, a.label]))
  return renderFigure(
    fig4Option({
      title,
      subtitle: fig4Subtitle({
        seeds: arms.map((m) => data.runs[m]?.length ?? 0),
        budget: `${design.evaluations.toLocaleString('en-US')} rollouts`,
        task: design.task
      }),
      methods: arms.map((key, i) => ({
        key,
        label: label.get(key) ?? key,
        ...(colored ? { color: ARM_COLORS[i % ARM_COLORS.length] } : {})
      })),
      panels: panelsOf(data.panels, arms),
      ...SIZE
    }),
    SIZE
  )
}

function runsCsv(data: ReportData): string {
  const lines = ['method,seed,run,rollouts,wall_seconds,food_eaten,l0,l2']
  for (const m of data.methods)
    data.runs[m].forEach((r, i) => {
      const f = data.finals[m]
      lines.push(
        [m, r.seed, r.id, r.evaluations, r.wallSeconds.toFixed(1), f.foodEaten[i], f.l0[i], f.l2[i]].join(',')
      )
    })
  return lines.join('\n') + '\n'
}

/** The statistics table of the report's runs (core's table: summaries, Holm-corrected tests, claims). */
export function reportTable(
  data: ReportData,
  design: Pick<ReportDesign, 'arms'>,
  baseline?: string
): ReportTable {
  const label = new Map(design.arms.map((a) => [a.key, a.label]))
  return buildReportTable({
    methods: data.methods.map((m) => ({ key: m, label: label.get(m) ?? m, finals: data.finals[m] })),
    weights: data.weights,
    baseline
  })
}

const FILE_NOTES: Record<ReportKind, string[]> = {
  fig4: [
    '- `fig4.png`, `fig4.svg`: the paper’s Fig. 4, the five methods; top row against rollouts, bottom row',
    '  against wall-clock seconds (as trained here, with the concurrency used), mean ± std over seeds.',
    '- `figS1.png`, `figS1.svg`: the same with the random-initialisation control (Suppl. Fig. S1).',
    '- `stats.md`, `stats.csv`: final values per method, pairwise Mann–Whitney U tests (Holm-corrected,',
    '  with Cliff’s δ) and the paper’s claims checked against these runs.'
  ],
  study: [
    '- `study.png`, `study.svg`: every arm; top row against rollouts, bottom row against wall-clock seconds,',
    '  mean ± std over seeds.',
    '- `stats.md`, `stats.csv`: final values per arm, and each arm against the baseline (Mann–Whitney U,',
    '  Holm-corrected over the arms, with Cliff’s δ).'
  ]
}

function readme(
  kind: ReportKind,
  design: ReportDesign,
  data: ReportData,
  markdown: string,
  o: { command: string; missing: number; title: string }
): string {
  const label = new Map(design.arms.map((a) => [a.key, a.label]))
  const per = data.methods.map((m) => `${label.get(m) ?? m} ${data.runs[m].length}`).join(', ')
  const arms =
    kind === 'study'
      ? ['', 'Arms:', ...design.arms.map((a) => `- ${a.label}: ${a.algorithm} ${JSON.stringify(a.config)}`)]
      : []
  return [
    `# ${o.title}: ${design.task}, ${design.evaluations.toLocaleString('en-US')} rollouts per run`,
    '',
    'Written by `lab report` from the runs stored in the workspace; regenerate it (training what is',
    'missing) with:',
    '',
    '    ' + o.command,
    '',
    `Runs: ${per}.${o.missing > 0 ? ` **Partial: ${o.missing} runs of the design are not done yet.**` : ''}`,
    ...arms,
    '',
    ...FILE_NOTES[kind],
    '- `runs.csv`: every run’s final values.',
    '',
    markdown
  ].join('\n')
}

/**
 * Renders and writes the report of the design's completed cells into `dir`; returns the files written.
 * `missing`: cells of the design not done (said in the README).
 */
export function writeReport(
  store: Store,
  kind: ReportKind,
  cells: ReportCell[],
  design: ReportDesign,
  dir: string,
  opts: { command: string; missing: number; title: string; baseline?: string }
): string[] {
  const done = cells.filter((c) => c.action === 'done' && c.run).map((c) => ({ arm: c.arm, run: c.run! }))
  if (done.length === 0) throw new LabError('invalid-config', 'report: no completed runs to draw yet')
  checkReportDir(dir, kind)
  const data = reportData(
    store,
    done,
    design.arms.map((a) => a.key)
  )
  const out = new Map<string, string | Uint8Array>()
  if (kind === 'fig4') {
    for (const f of fig4Figures(data.methods)) {
      const drawn = figure(data, design, f.methods, f.title, false)
      out.set(`${f.id}.png`, drawn.png).set(`${f.id}.svg`, drawn.svg)
    }
  } else {
    const f = figure(data, design, data.methods, opts.title, true)
    out.set('study.png', f.png).set('study.svg', f.svg)
  }
  if (opts.baseline !== undefined && !data.methods.includes(opts.baseline))
    throw new LabError('invalid-config', `report: the baseline '${opts.baseline}' has no completed runs yet`)
  const table = reportTable(data, design, kind === 'study' ? opts.baseline : undefined)
  const markdown = tableToMarkdown(table)
  out.set('stats.csv', tableToCsv(table)).set('stats.md', markdown).set('runs.csv', runsCsv(data))
  out.set('README.md', readme(kind, design, data, markdown, opts))
  for (const [name, bytes] of out) writeFileAtomic(join(dir, name), bytes)
  return [...out.keys()].map((f) => join(dir, f))
}
