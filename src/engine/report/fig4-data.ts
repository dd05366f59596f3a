/**
 * The data of the Fig. 4 report, read from stored runs: for each panel (food eaten, L2, L0) against
 * rollouts and against wall-clock seconds, each method's mean ± std over seeds on a common grid (the
 * engine's comparison, src/engine/analysis/compare.ts), and each run's final values for the statistics.
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

export interface Fig4Data {
  /** Methods present, in the order asked for. */
  methods: string[]
  panels: Fig4Panel[]
  /** Per method: each metric's final value per run (seed order), and the runs. */
  finals: Record<string, Record<Fig4Metric, number[]>>
  runs: Record<string, { id: string; seed: number; evaluations: number; wallSeconds: number }[]>
}

/** Grid points per panel: enough for smooth curves; ECharts' LTTB thins them further on screen. */
export const FIG4_POINTS = 400

export function fig4Data(store: Store, runs: RunRow[], methods: string[], points = FIG4_POINTS): Fig4Data {
  const present = methods.filter((m) => runs.some((r) => r.algorithm === m))
  if (present.length === 0) throw new LabError('invalid-config', 'report: no completed runs to draw')
  const sorted = [...runs].sort((a, b) => a.seed - b.seed)
  const inputs: CompareInput[] = sorted.map((row) => ({ row, metrics: store.metrics(row.id) }))
  for (const { row, metrics } of inputs)
    for (const m of METRICS)
      if (metrics.length > 0 && metrics[metrics.length - 1].metrics[m] === undefined)
        throw new LabError('invalid-config', `report: run ${row.id} has no '${m}' metric (not a worm run?)`)
  const panels: Fig4Panel[] = []
  for (const x of X_AXES)
    for (const metric of METRICS) {
      const c = compareRuns(inputs, { groupBy: 'algorithm', metric, x, points })
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
  const finals: Fig4Data['finals'] = {}
  const runsOf: Fig4Data['runs'] = {}
  for (const method of present) {
    const mine = inputs.filter((i) => i.row.algorithm === method && i.metrics.length > 0)
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
  return { methods: present, panels, finals, runs: runsOf }
}
