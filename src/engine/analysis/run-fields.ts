/**
 * A run's settings as flat keys, for grouping and the config diff: the summary's fields (algorithm,
 * task, environment, seed, sweep, status), the budget (`budget.generations`, …) and every
 * hyperparameter of its config (nested objects joined with '.', arrays as JSON text).
 */
import type { RunRow } from '../store/store'

export type FieldValue = string | number | boolean | null

/** Summary fields first, in this order; then budget and config keys, sorted. */
export const SUMMARY_KEYS = ['algorithm', 'task', 'environment', 'seed', 'sweep', 'status'] as const

function flatten(prefix: string, value: unknown, out: Record<string, FieldValue>): void {
  if (value === null || value === undefined) out[prefix] = null
  else if (typeof value === 'number') out[prefix] = Number.isFinite(value) ? value : String(value)
  else if (typeof value === 'string' || typeof value === 'boolean') out[prefix] = value
  else if (Array.isArray(value)) out[prefix] = JSON.stringify(value)
  else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0) out[prefix] = '{}'
    for (const [k, v] of entries) flatten(prefix ? `${prefix}.${k}` : k, v, out)
  } else out[prefix] = String(value)
}

export function runFields(row: RunRow): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {
    algorithm: row.algorithm,
    task: row.task,
    environment: row.environment,
    seed: row.seed,
    sweep: row.sweepId,
    status: row.status
  }
  flatten('budget', row.budget, out)
  const config: Record<string, FieldValue> = {}
  flatten('', row.config, config)
  for (const [k, v] of Object.entries(config)) if (!(k in out)) out[k] = v
  return out
}

/** Every key any run has: the summary's first, then the rest sorted. */
export function allKeys(fields: Record<string, FieldValue>[]): string[] {
  const rest = new Set<string>()
  for (const f of fields) for (const k of Object.keys(f)) rest.add(k)
  for (const k of SUMMARY_KEYS) rest.delete(k)
  return [...SUMMARY_KEYS, ...[...rest].sort()]
}

/** Only the keys whose values differ across the runs (a key missing from some runs counts as null). */
export function configDiff(
  ids: string[],
  fields: Record<string, FieldValue>[]
): { key: string; values: Record<string, FieldValue> }[] {
  return allKeys(fields).flatMap((key) => {
    const values = fields.map((f) => f[key] ?? null)
    if (values.every((v) => v === values[0])) return []
    return [{ key, values: Object.fromEntries(ids.map((id, i) => [id, values[i]])) }]
  })
}

/** A run's group label for a key ("(none)" when the run does not have it). */
export const groupLabel = (value: FieldValue | undefined): string =>
  value === null || value === undefined ? '(none)' : String(value)
