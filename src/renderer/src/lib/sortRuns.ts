import type { RunSummary } from '../../../shared/api'

/** The columns the runs table sorts by. */
export type RunSortKey =
  'createdAt' | 'status' | 'algorithm' | 'task' | 'seed' | 'generation' | 'food' | 'fitness' | 'time'

/** The headline metric of a run's environment, signed so that larger is better (for sorting). */
export type HeadlineOf = (r: RunSummary) => number | null

function value(r: RunSummary, k: RunSortKey, headline: HeadlineOf): string | number {
  switch (k) {
    case 'createdAt':
      return r.createdAt
    case 'status':
      return r.status
    case 'algorithm':
      return r.algorithm
    case 'task':
      return r.task
    case 'seed':
      return r.seed
    case 'generation':
      return r.generation
    case 'food':
      return headline(r) ?? -Infinity
    case 'fitness':
      return r.bestFitness ?? -Infinity
    case 'time':
      return r.wallSeconds
  }
}

/** The runs sorted by one column (ties: by creation time, in the same direction); a new array. */
export function sortRuns(
  runs: readonly RunSummary[],
  key: RunSortKey,
  descending: boolean,
  headline: HeadlineOf = () => null
): RunSummary[] {
  const dir = descending ? -1 : 1
  return [...runs].sort((a, b) => {
    const va = value(a, key, headline)
    const vb = value(b, key, headline)
    const c =
      typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))
    return dir * (c || a.createdAt.localeCompare(b.createdAt))
  })
}

/** The direction a column sorts in when first clicked: largest first for dates and scores. */
export const sortsDescending = (k: RunSortKey): boolean =>
  k === 'createdAt' || k === 'food' || k === 'fitness' || k === 'generation'

/** The runs table's columns, each sorting by its key. */
export const RUN_COLUMNS: readonly { key: RunSortKey; label: string; num?: boolean; title?: string }[] = [
  { key: 'createdAt', label: 'Run', title: 'Name, id and tags (sorts by creation time)' },
  { key: 'status', label: 'Status' },
  { key: 'algorithm', label: 'Algorithm' },
  { key: 'task', label: 'Task' },
  { key: 'seed', label: 'Seed', num: true },
  { key: 'generation', label: 'Gen', num: true, title: 'Generations done (of the budget)' },
  {
    key: 'food',
    label: 'Best',
    num: true,
    title: "The best solution's headline metric (the worm: food eaten; each environment names its own)"
  },
  { key: 'fitness', label: 'Fitness', num: true, title: 'Best fitness so far' },
  { key: 'time', label: 'Time', num: true, title: 'Wall-clock training time' }
]
