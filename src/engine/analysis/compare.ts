/**
 * The comparison behind `runs:compare` and `lab compare` (the paper's Fig. 4): runs grouped by a key,
 * each group's curves aligned on one x grid with their mean, std, min and max per point, the final
 * values with their summary, the pairwise Mann–Whitney U tests of the final values, and the config
 * diff. The statistics are core's (src/core/analysis/stats.ts), nothing is re-implemented here.
 *
 * Alignment: a run's curve is a step function of x (evaluations, wall seconds or generation): its value
 * at a grid point is its last stored value at or before it (best-so-far is exactly that). Before a
 * run's first point it has no value there; after its last point it keeps its final value (a run that
 * finished earlier, with a smaller budget, stays at its result). The grid is every x value of the runs
 * when there are at most `points` of them, otherwise `points` evenly spaced values over the range.
 */
import { pairwiseMannWhitney, summarize } from '../../core/analysis/stats'
import type { CompareXAxis, RunsCompareResponse } from '../../shared/api-compare'
import { LabError } from '../../shared/errors'
import type { MetricRow, RunRow, Store } from '../store/store'
import { allKeys, configDiff, groupLabel, runFields } from './run-fields'

/** The metrics every run has, besides its environment's. */
export const FITNESS_METRICS = ['bestFitness', 'meanFitness', 'worstFitness'] as const

export interface CompareOptions {
  groupBy: string
  metric: string
  x: CompareXAxis
  points: number
  /**
   * Always `points` evenly spaced values (reports): the curves then depend only on where each run's
   * value changes, not on how many unchanged generations it stored.
   */
  evenGrid?: boolean
}

export interface CompareInput {
  row: RunRow
  metrics: MetricRow[]
}

const xOf = (m: MetricRow, axis: CompareXAxis): number =>
  axis === 'evaluations' ? m.evaluations : axis === 'wall' ? m.wallSeconds : m.generation

function valueOf(m: MetricRow, metric: string): number | undefined {
  if ((FITNESS_METRICS as readonly string[]).includes(metric))
    return m[metric as (typeof FITNESS_METRICS)[number]]
  return m.metrics[metric]
}

/** The metrics every run's generations have (fitness first, then the environment's, sorted). */
function commonMetrics(inputs: CompareInput[]): string[] {
  let names: string[] | null = null
  for (const { metrics } of inputs)
    for (const m of metrics) {
      const here = new Set(Object.keys(m.metrics))
      names = names === null ? [...here] : names.filter((k: string) => here.has(k))
    }
  return [...FITNESS_METRICS, ...(names ?? []).sort()]
}

export function makeGrid(xs: number[][], points: number, even = false): number[] {
  const all = [...new Set(xs.flat())].sort((a, b) => a - b)
  if (all.length <= points && !(even && all.length > 1)) return all
  const lo = all[0]
  const hi = all[all.length - 1]
  return Array.from({ length: points }, (_, i) =>
    i === points - 1 ? hi : lo + ((hi - lo) * i) / (points - 1)
  )
}

/** The step function's values on the grid (null before the run's first point). xs ascending. */
export function alignStep(xs: number[], ys: number[], grid: number[]): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(grid.length).fill(null)
  let j = -1
  for (let i = 0; i < grid.length; i++) {
    while (j + 1 < xs.length && xs[j + 1] <= grid[i]) j++
    out[i] = j >= 0 ? ys[j] : null
  }
  return out
}

export function compareRuns(inputs: CompareInput[], opts: CompareOptions): RunsCompareResponse {
  if (inputs.length === 0) throw new LabError('invalid-config', 'compare: no runs to compare')
  const fields = inputs.map(({ row }) => runFields(row))
  const groupKeys = allKeys(fields)
  if (!groupKeys.includes(opts.groupBy))
    throw new LabError(
      'invalid-config',
      `compare: groupBy: '${opts.groupBy}' is not a key of these runs (one of: ${groupKeys.join(', ')})`
    )
  const metrics = commonMetrics(inputs)
  if (!metrics.includes(opts.metric))
    throw new LabError(
      'invalid-config',
      `compare: metric: '${opts.metric}' is not recorded by every run (one of: ${metrics.join(', ')})`
    )
  const empty = inputs.find((i) => i.metrics.length === 0)
  if (empty)
    throw new LabError(
      'invalid-config',
      `compare: run ${empty.row.id} has no generations yet; compare runs that have trained`
    )

  const runs = inputs.map(({ row, metrics: ms }, i) => {
    // a step function needs ascending x: wall time and evaluations only grow, but keep it safe
    const pts = ms.map((m) => ({ x: xOf(m, opts.x), y: valueOf(m, opts.metric)! })).sort((a, b) => a.x - b.x)
    return {
      id: row.id,
      name: row.name,
      environment: row.environment,
      group: groupLabel(fields[i][opts.groupBy]),
      x: pts.map((p) => p.x),
      y: pts.map((p) => p.y)
    }
  })
  const grid = makeGrid(
    runs.map((r) => r.x),
    opts.points,
    opts.evenGrid
  )

  const order: string[] = []
  for (const r of runs) if (!order.includes(r.group)) order.push(r.group)
  const groups = order.map((key) => {
    const members = runs.filter((r) => r.group === key)
    const aligned = members.map((r) => alignStep(r.x, r.y, grid))
    const n: number[] = []
    const mean: (number | null)[] = []
    const std: (number | null)[] = []
    const min: (number | null)[] = []
    const max: (number | null)[] = []
    for (let i = 0; i < grid.length; i++) {
      const here = aligned.map((a) => a[i]).filter((v): v is number => v !== null)
      n.push(here.length)
      if (here.length === 0) {
        mean.push(null)
        std.push(null)
        min.push(null)
        max.push(null)
        continue
      }
      const s = summarize(here)
      mean.push(s.mean)
      std.push(s.std)
      min.push(s.min)
      max.push(s.max)
    }
    const finals = members.map((r) => ({ runId: r.id, value: r.y[r.y.length - 1] }))
    return {
      key,
      runIds: members.map((r) => r.id),
      n,
      mean,
      std,
      min,
      max,
      finals,
      summary: summarize(
        finals.map((f) => f.value),
        `final values of group ${key}`
      )
    }
  })
  const tests = pairwiseMannWhitney(groups.map((g) => ({ key: g.key, values: g.finals.map((f) => f.value) })))
  return {
    groupBy: opts.groupBy,
    metric: opts.metric,
    x: opts.x,
    grid,
    groups,
    runs,
    tests,
    configDiff: configDiff(
      inputs.map((i) => i.row.id),
      fields
    ),
    groupKeys,
    metrics
  }
}

/** The comparison of runs of a store: ids (or unique prefixes) and/or every run of a sweep. */
export function buildComparison(
  store: Store,
  req: { ids?: string[]; sweepId?: string } & CompareOptions
): RunsCompareResponse {
  const rows: RunRow[] = []
  const seen = new Set<string>()
  const add = (r: RunRow) => {
    if (!seen.has(r.id)) rows.push(r)
    seen.add(r.id)
  }
  for (const id of req.ids ?? []) add(store.getRun(id))
  if (req.sweepId !== undefined) {
    const inSweep = store.listRuns({ sweepId: req.sweepId })
    if (inSweep.length === 0)
      throw new LabError('invalid-config', `compare: sweepId: no runs in sweep '${req.sweepId}'`)
    inSweep.forEach(add)
  }
  return compareRuns(
    rows.map((row) => ({ row, metrics: store.metrics(row.id) })),
    req
  )
}
