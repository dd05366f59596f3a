/**
 * The data of a report (Fig. 4, or a study of variants), read from stored runs: for each panel (food
 * eaten, L2, L0) against rollouts and against wall-clock seconds, each arm's mean ± std over seeds on a
 * common grid (the engine's comparison, src/engine/analysis/compare.ts), and each run's final values for
 * the statistics.
 */
import {
  FIG4_METRICS,
  FIG4_X,
  type Fig4Metric,
  type Fig4Panel,
  type Fig4X
} from '../../core/analysis/fig4-figure'
import { LabError } from '../../shared/errors'
import { compareRuns, type CompareInput } from '../analysis/compare'
import type { RunRow, Store } from '../store/store'

/** The panels, (a) food eaten by the best, (b) L2, (c) L0, and the x axes, in the figure's order. */
const METRICS = Object.keys(FIG4_METRICS) as Fig4Metric[]
const X_AXES = Object.keys(FIG4_X) as Fig4X[]

export interface ReportData {
  /** Arms present (Fig. 4: the methods), in the order asked for. */
  methods: string[]
  panels: Fig4Panel[]
  /** Per method: each metric's final value per run (seed order), and the runs. */
  finals: Record<string, Record<Fig4Metric, number[]>>
  runs: Record<string, { id: string; seed: number; evaluations: number; wallSeconds: number }[]>
  /** Weights in the genome (for "changes < 1 % of the weights"). */
  weights: number
}

/** Grid points per panel: enough for smooth curves; ECharts' LTTB thins them further on screen. */
export const FIG4_POINTS = 400

/** The report's data from its completed cells (each run with its arm), arms in the order of `arms`. */
export function reportData(
  store: Store,
  cells: { arm: string; run: RunRow }[],
  arms: string[],
  points = FIG4_POINTS
): ReportData {
  const present = arms.filter((a) => cells.some((c) => c.arm === a))
  if (present.length === 0) throw new LabError('invalid-config', 'report: no completed runs to draw')
  const sorted = [...cells].sort((a, b) => a.run.seed - b.run.seed)
  // The comparison groups by a run field: the arm is given as the run's algorithm (the runs' own rows
  // are not changed).
  const inputs: (CompareInput & { arm: string })[] = sorted.map(({ arm, run }) => ({
    arm,
    row: { ...run, algorithm: arm },
    metrics: store.metrics(run.id)
  }))
  for (const { row, metrics } of inputs)
    for (const m of METRICS)
      if (metrics.length > 0 && metrics[metrics.length - 1].metrics[m] === undefined)
        throw new LabError('invalid-config', `report: run ${row.id} has no '${m}' metric (not a worm run?)`)
  const panels: Fig4Panel[] = []
  for (const x of X_AXES)
    for (const metric of METRICS) {
      const c = compareRuns(inputs, { groupBy: 'algorithm', metric, x, points, evenGrid: true })
      const order = (k: string) => present.indexOf(k)
      panels.push({
        metric,
        x,
        grid: c.grid,
        groups: c.groups
          .filter((g) => order(g.key) >= 0)
          .sort((a, b) => order(a.key) - order(b.key))
          .map((g) => ({ key: g.key, mean: g.mean, std: g.std, n: g.n }))
      })
    }
  const finals: ReportData['finals'] = {}
  const runsOf: ReportData['runs'] = {}
  for (const method of present) {
    const mine = inputs.filter((i) => i.arm === method && i.metrics.length > 0)
    finals[method] = Object.fromEntries(
      METRICS.map((m) => [m, mine.map((i) => i.metrics[i.metrics.length - 1].metrics[m])])
    ) as Record<Fig4Metric, number[]>
    runsOf[method] = mine.map(({ row, metrics }) => ({
      id: row.id,
      seed: row.seed,
      evaluations: metrics[metrics.length - 1].evaluations,
      wallSeconds: metrics[metrics.length - 1].wallSeconds
    }))
  }
  return { methods: present, panels, finals, runs: runsOf, weights: cells[0].run.genomeLength }
}
