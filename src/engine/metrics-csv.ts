import type { Store } from './store/store'

/**
 * The columns of a run's metrics CSV, in order (documented in docs/store.md, "Metrics CSV"): the
 * generation, rollouts so far, wall-clock seconds so far, the best solution so far and the population's
 * mean and worst of that generation, then every environment metric by its key (the worm: foodEaten,
 * reward, l0, l2), then the generation's time profile in ms.
 */
export const METRICS_CSV_HEAD = [
  'generation',
  'evaluations',
  'wallSeconds',
  'bestFitness',
  'meanFitness',
  'worstFitness'
] as const
export const METRICS_CSV_TAIL = ['rolloutMs', 'madsMs', 'algorithmMs', 'transportMs'] as const

/** The per-generation metrics as CSV (one row per stored generation), the environment's metrics as named columns. */
export function metricsCsv(store: Store, runId: string): string {
  const run = store.getRun(runId)
  const rows = store.metrics(run.id)
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))]
  const head = METRICS_CSV_HEAD
  const tail = METRICS_CSV_TAIL
  const lines = [[...head, ...names, ...tail].join(',')]
  for (const r of rows)
    lines.push(
      [...head.map((k) => r[k]), ...names.map((k) => r.metrics[k] ?? ''), ...tail.map((k) => r[k])].join(',')
    )
  return lines.join('\n') + '\n'
}
