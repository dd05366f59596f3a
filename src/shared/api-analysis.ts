/**
 * The contract of the analyses channels (see ./api.ts): the paper's analyses of a Hebbian quadruped run
 * (seed 002 Figs. 3–5, Table 1; src/core/analysis/hebbian), stored with the run.
 * - `runs:analyses` {runId} → every stored AnalysisResult of the run, newest first;
 * - `runs:analyse` {runId, kind, params, against?} → runs one on the worker pool, stores it, returns it.
 * The parameters of each kind are core's schemas (defaults filled), so a bad field is refused here,
 * before anything runs. The app draws a result with core's analysisChartOption(result).
 */
import { z } from 'zod'
import {
  ANALYSIS_KINDS,
  damageTableParamsSchema,
  freezeParamsSchema,
  pcaParamsSchema,
  pruneParamsSchema,
  saturateParamsSchema,
  type AnalysisOutput
} from '../core/analysis/hebbian'
import { runIdSchema } from './api-runs'
import { finite } from './schemas'

export const analysisKindSchema = z.enum(ANALYSIS_KINDS)

export const analysisSeriesSchema = z.object({
  name: z.string(),
  x: z.array(finite),
  y: z.array(finite),
  z: z.array(finite).optional(),
  band: z.object({ lo: z.array(finite), hi: z.array(finite) }).optional()
})

/** One chart's worth of an analysis, generic enough for every figure of the paper (Figs. 3–5, Table 1). */
export const analysisResultSchema = z.object({
  /** The stored row's id. */
  id: z.string(),
  runId: z.string(),
  kind: analysisKindSchema,
  /** e.g. "Freeze the Hebbian updates at step t". */
  title: z.string(),
  /** What it was run with, defaults filled (morphology, episodes, seeds, t values, against run…). */
  params: z.record(z.string(), z.unknown()),
  /** ISO time. */
  createdAt: z.string(),
  xLabel: z.string(),
  yLabel: z.string(),
  /** PCA: the third component. */
  zLabel: z.string().optional(),
  series: z.array(analysisSeriesSchema),
  /** The damage table (and the recovery and PCA summaries): header and rows of strings. */
  table: z.object({ header: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
  /** e.g. "Solved = mean Σ progress ≥ 100 …". */
  notes: z.array(z.string()).optional()
})
export type AnalysisResult = z.infer<typeof analysisResultSchema>

// The stored result is core's AnalysisOutput plus the row's id, run and time, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const sameShape: Same<Omit<AnalysisResult, 'id' | 'runId' | 'createdAt'>, AnalysisOutput> = true
void sameShape

export const runsAnalysesRequestSchema = z.strictObject({ runId: runIdSchema })
export type RunsAnalysesRequest = z.input<typeof runsAnalysesRequestSchema>
export const runsAnalysesResponseSchema = z.array(analysisResultSchema)

const analyseOf = <K extends string, P extends z.ZodType>(kind: K, params: P) =>
  z.strictObject({
    runId: runIdSchema,
    kind: z.literal(kind),
    params: params.prefault({} as z.input<P>),
    /** The run to compare with (the static network of Table 1 and of the perturbations). */
    against: runIdSchema.optional()
  })

export const runsAnalyseRequestSchema = z.discriminatedUnion('kind', [
  analyseOf('freeze', freezeParamsSchema),
  analyseOf('saturate', saturateParamsSchema),
  analyseOf('prune', pruneParamsSchema),
  analyseOf('pca', pcaParamsSchema),
  analyseOf('damage-table', damageTableParamsSchema)
])
export type RunsAnalyseRequest = z.input<typeof runsAnalyseRequestSchema>
