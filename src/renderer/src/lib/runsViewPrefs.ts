/**
 * The Runs view's remembered settings (filters, sort, grouping), as stored in localStorage: parsed
 * field by field, so a corrupt or outdated value falls back to its default and the rest is kept.
 */
import { z } from 'zod'
import { NO_FILTERS, type RunFilters } from './filterRuns'
import type { RunSortKey } from './sortRuns'

export const PREFS_KEY = 'connectome-lab:runs-view'

export const SORT_KEYS: readonly RunSortKey[] = [
  'createdAt',
  'status',
  'algorithm',
  'task',
  'seed',
  'generation',
  'food',
  'fitness',
  'time'
]

export interface RunsViewPrefs {
  filters: RunFilters
  sort: { key: RunSortKey; desc: boolean }
  groupBySweep: boolean
  /** Sweep groups folded away. */
  collapsed: string[]
}

export const DEFAULT_PREFS: RunsViewPrefs = {
  filters: NO_FILTERS,
  sort: { key: 'createdAt', desc: true },
  groupBySweep: false,
  collapsed: []
}

const field = z.string().max(200).catch('')
const filtersSchema = z
  .object({
    text: field,
    status: field,
    algorithm: field,
    task: field,
    environment: field,
    sweep: field
  })
  .catch(NO_FILTERS)

const prefsSchema = z.object({
  filters: filtersSchema,
  sort: z
    .object({ key: z.enum(SORT_KEYS as [RunSortKey, ...RunSortKey[]]), desc: z.boolean() })
    .catch(DEFAULT_PREFS.sort),
  groupBySweep: z.boolean().catch(false),
  collapsed: z.array(z.string().max(64)).max(1000).catch([])
})

/** The settings stored as `raw` (a JSON string, or null when none): defaults where missing or corrupt. */
export function parsePrefs(raw: string | null): RunsViewPrefs {
  let json: unknown
  try {
    json = raw === null ? {} : JSON.parse(raw)
  } catch {
    json = {}
  }
  const r = prefsSchema.safeParse(json && typeof json === 'object' && !Array.isArray(json) ? json : {})
  return r.success ? (r.data as RunsViewPrefs) : DEFAULT_PREFS
}

export const serializePrefs = (p: RunsViewPrefs): string => JSON.stringify(p)
