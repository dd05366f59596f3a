/**
 * The runs table's filters and its grouping by sweep: pure functions of the run summaries (the table
 * sorts with ./sortRuns.ts first, and these keep that order), and the view's remembered settings,
 * validated when read back (./runsViewPrefs.ts).
 */
import type { RunSummary } from '../../../shared/api'

/** Sweep filter value for the runs that belong to no sweep. */
export const NO_SWEEP = '(none)'

/** What the table shows: each field '' for "any". */
export interface RunFilters {
  /** Words, each found (case-insensitively) in the name, id, a tag or the notes. */
  text: string
  status: string
  algorithm: string
  task: string
  environment: string
  /** A sweep id, NO_SWEEP, or '' for every run. */
  sweep: string
}

export const NO_FILTERS: RunFilters = {
  text: '',
  status: '',
  algorithm: '',
  task: '',
  environment: '',
  sweep: ''
}

export type FacetKey = Exclude<keyof RunFilters, 'text'>
export const FACETS: readonly FacetKey[] = ['status', 'algorithm', 'task', 'environment', 'sweep']

const facetValue = (r: RunSummary, k: FacetKey): string => (k === 'sweep' ? (r.sweepId ?? NO_SWEEP) : r[k])

/** The words of a text filter, lower-cased. */
const words = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean)

function matchesText(r: RunSummary, ws: string[]): boolean {
  if (!ws.length) return true
  const hay = [r.name, r.id, ...r.tags, r.notes].join('\n').toLowerCase()
  return ws.every((w) => hay.includes(w))
}

/** The runs that pass every filter, in their given order. */
export const filterRuns = (runs: readonly RunSummary[], f: RunFilters): RunSummary[] => {
  const ws = words(f.text)
  return runs.filter((r) => FACETS.every((k) => !f[k] || facetValue(r, k) === f[k]) && matchesText(r, ws))
}

/** Whether any filter is set. */
export const isFiltered = (f: RunFilters): boolean => f.text.trim() !== '' || FACETS.some((k) => f[k] !== '')

/** The values a facet takes in `runs`, with how many runs have each, sorted by value. */
export function facetOptions(runs: readonly RunSummary[], k: FacetKey): { value: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const r of runs) counts.set(facetValue(r, k), (counts.get(facetValue(r, k)) ?? 0) + 1)
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => a.value.localeCompare(b.value))
}

export interface SweepInfo {
  id: string
  name: string
  createdAt: string
}

/** One group of the table grouped by sweep: a sweep's runs (or the runs of none), in the table's order. */
export interface SweepGroup {
  /** The sweep id, or NO_SWEEP. */
  key: string
  name: string
  runs: RunSummary[]
}

/**
 * The runs grouped by sweep: the newest sweep first, the runs of no sweep last; each group keeps the
 * order of `runs`. A run naming a sweep the list does not know gets a group named by its id.
 */
export function groupBySweep(runs: readonly RunSummary[], sweeps: readonly SweepInfo[]): SweepGroup[] {
  const info = new Map(sweeps.map((s) => [s.id, s]))
  const groups = new Map<string, SweepGroup>()
  for (const r of runs) {
    const key = r.sweepId ?? NO_SWEEP
    let g = groups.get(key)
    if (!g) {
      g = { key, name: r.sweepId ? (info.get(r.sweepId)?.name ?? r.sweepId) : 'Not in a sweep', runs: [] }
      groups.set(key, g)
    }
    g.runs.push(r)
  }
  const created = (k: string): string => (k === NO_SWEEP ? '' : (info.get(k)?.createdAt ?? ''))
  return [...groups.values()].sort((a, b) => {
    if (a.key === NO_SWEEP || b.key === NO_SWEEP) return a.key === NO_SWEEP ? 1 : -1
    return created(b.key).localeCompare(created(a.key)) || a.key.localeCompare(b.key)
  })
}

/**
 * The ids from the row `anchor` to the row `to` in `order` (both included), for a shift-click range; just
 * `to` when the anchor is not in `order`.
 */
export function rangeOf(order: readonly string[], anchor: string | null, to: string): string[] {
  const a = anchor === null ? -1 : order.indexOf(anchor)
  const b = order.indexOf(to)
  if (b < 0) return []
  if (a < 0) return [to]
  return order.slice(Math.min(a, b), Math.max(a, b) + 1)
}
