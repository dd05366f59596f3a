/**
 * The contract of `runs:report-fig4` (see ./api.ts): the ENOMAD paper's Fig. 4 report of compared runs,
 * the same data and statistics table `lab report fig4` writes (src/engine/report/fig4-data.ts,
 * fig4-report.ts), with the table's CSV and Markdown as the CLI writes them, byte for byte. The Compare
 * view's "Paper report" tab draws it.
 */
import { z } from 'zod'
import { MAX_COMPARE_RUNS, sampleSummarySchema } from './api-compare'
import { runIdSchema } from './api-runs'
import { count, finite } from './schemas'

export const REPORT_FIG4_METRICS = ['foodEaten', 'l2', 'l0'] as const
export const REPORT_FIG4_X = ['evaluations', 'wall'] as const

export const runsReportFig4RequestSchema = z.strictObject({
  /** The runs (ids or unique prefixes), as for runs:compare: worm runs only. */
  ids: z.array(runIdSchema).min(1, 'give at least one run').max(MAX_COMPARE_RUNS)
})
export type RunsReportFig4Request = z.input<typeof runsReportFig4RequestSchema>

const metric = z.enum(REPORT_FIG4_METRICS)
const perMetric = <T extends z.ZodType>(v: T) => z.object({ foodEaten: v, l2: v, l0: v })

/** One panel: a metric against rollouts or wall-clock seconds, each method's mean ± std on a grid. */
export const fig4PanelSchema = z.object({
  metric,
  x: z.enum(REPORT_FIG4_X),
  grid: z.array(finite),
  groups: z.array(
    z.object({
      key: z.string(),
      mean: z.array(finite.nullable()),
      std: z.array(finite.nullable()),
      n: z.array(count)
    })
  )
})

/** core's ReportTable (src/core/analysis/report-table.ts). */
export const reportTableSchema = z.object({
  methods: z.array(z.object({ key: z.string(), label: z.string() })),
  summary: z.array(
    sampleSummarySchema.extend({
      metric,
      method: z.string(),
      label: z.string(),
      paper: z.string().nullable()
    })
  ),
  tests: z.array(
    z.object({
      metric,
      a: z.string(),
      b: z.string(),
      n1: count,
      n2: count,
      u: finite,
      p: finite,
      pHolm: finite,
      delta: finite,
      significant: z.boolean()
    })
  ),
  claims: z.array(
    z.object({
      id: z.string(),
      where: z.string(),
      claim: z.string(),
      status: z.enum(['holds', 'fails', 'not run']),
      evidence: z.string()
    })
  ),
  alpha: finite,
  weights: count,
  /** A study's baseline; always null here (Fig. 4 tests every pair). */
  baseline: z.string().nullable(),
  note: z.string()
})
export type ReportTableData = z.infer<typeof reportTableSchema>

export const runsReportFig4ResponseSchema = z.object({
  /** The methods present, in the paper's legend order. */
  methods: z.array(z.string()),
  /** (a) food, (b) L2, (c) L0 against rollouts, then against wall-clock seconds. */
  panels: z.array(fig4PanelSchema),
  /** Per method: each metric's final value per run (seed order). */
  finals: z.record(z.string(), perMetric(z.array(finite))),
  runs: z.record(
    z.string(),
    z.array(z.object({ id: z.string(), seed: count, evaluations: count, wallSeconds: finite }))
  ),
  table: reportTableSchema,
  /** The table as `lab report fig4` writes stats.md and stats.csv. */
  markdown: z.string(),
  csv: z.string(),
  /** The runs' common budget as text ("179,200 rollouts"), null when they differ; likewise the task. */
  budget: z.string().nullable(),
  task: z.string().nullable(),
  /** What makes these runs short of the paper's design (unequal budgets or seeds, runs left out). */
  notes: z.array(z.string())
})
export type RunsReportFig4Response = z.infer<typeof runsReportFig4ResponseSchema>
