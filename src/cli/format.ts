import { environmentMetrics } from '../core/env/registry'
import type { GenerationReport } from '../core/training/types'

/** An environment's metrics by name, e.g. "foodEaten 14  reward 421.4  L0 36  L2 12.10". */
export function formatMetrics(environment: string, metrics: Record<string, number> | null): string {
  if (!metrics) return '-'
  let specs
  try {
    specs = environmentMetrics(environment).metrics
  } catch {
    return Object.entries(metrics)
      .map(([k, v]) => `${k} ${v}`)
      .join('  ')
  }
  return specs
    .filter((m) => m.key in metrics)
    .map((m) => `${m.label} ${m.integer ? String(metrics[m.key]) : metrics[m.key].toFixed(2)}`)
    .join('  ')
}

/** The headline metric's value of a run (the worm's food eaten), or '-'. */
export function headlineValue(environment: string, metrics: Record<string, number> | null): string {
  if (!metrics) return '-'
  try {
    const { metrics: specs, headline } = environmentMetrics(environment)
    const spec = specs.find((m) => m.key === headline)
    const v = metrics[headline]
    if (v === undefined || !spec) return '-'
    return spec.integer ? String(v) : v.toPrecision(4)
  } catch {
    return '-'
  }
}

export function headlineLabel(environment: string): string {
  try {
    const { metrics, headline } = environmentMetrics(environment)
    return metrics.find((m) => m.key === headline)?.label ?? headline
  } catch {
    return 'metric'
  }
}

export function formatGeneration(environment: string, r: GenerationReport): string {
  const secs = (ms: number) => (ms / 1000).toFixed(2)
  return (
    `gen ${String(r.generation).padStart(4)}  best ${r.best.fitness.toFixed(3).padStart(9)}  ${formatMetrics(environment, r.best.metrics)}` +
    `  pop ${r.bestFitness.toFixed(1)}/${r.meanFitness.toFixed(1)}/${r.worstFitness.toFixed(1)}` +
    `  evals ${r.totalEvaluations}  ${secs(r.wallMs)}s (rollouts ${secs(r.rolloutMs)}s, mads ${secs(r.madsMs)}s)`
  )
}

/** Rows as a plain-text table: columns padded to their widest cell, two spaces apart. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()
      )
      .join('\n') + '\n'
  )
}
