/**
 * The shape of the paper's analyses (seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt, Figs. 3–5 and
 * Table 1) on the quadruped: one chart's worth of data, generic enough for every figure. The contract's
 * AnalysisResult (src/shared/api-analysis.ts) is this plus the stored row's id, run and time.
 */
import type { QuadrupedEnvironment } from '../../env/quadruped/env'

export const ANALYSIS_KINDS = ['freeze', 'saturate', 'prune', 'pca', 'damage-table'] as const
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number]

/** One line (or trajectory) of a chart; `band` is a spread around y (± one sample std). */
export interface AnalysisSeries {
  name: string
  x: number[]
  y: number[]
  /** PCA: the third component. */
  z?: number[]
  band?: { lo: number[]; hi: number[] }
}

export interface AnalysisTable {
  header: string[]
  rows: string[][]
}

/** An analysis as computed: the contract's AnalysisResult without id, runId and createdAt. */
export interface AnalysisOutput {
  kind: AnalysisKind
  title: string
  /** What it was run with (every default filled), for the record and for the chart's annotations. */
  params: Record<string, unknown>
  xLabel: string
  yLabel: string
  zLabel?: string
  series: AnalysisSeries[]
  table?: AnalysisTable
  notes?: string[]
}

/** What an analysis runs: an environment of the run's spec, the run's genome, and a legend label. */
export interface AnalysisSubject {
  env: QuadrupedEnvironment
  genome: Float64Array
  label: string
}

/** The controller of a quadruped spec as a legend label: "Hebbian (ABCD_lr)" or "static". */
export function controllerLabel(env: Pick<QuadrupedEnvironment, 'spec'>): string {
  const c = env.spec.controller
  return c.kind === 'hebbian' ? `Hebbian (${c.rule})` : 'static'
}
