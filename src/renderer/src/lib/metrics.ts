import type { AppInfo, MetricSpecData } from '../../../shared/api'
import { formatInt, formatNum } from './format'

/** An environment's metric names (from app:info), so views show each environment's own metrics. */
export function metricSpecs(info: AppInfo | null, environment: string): MetricSpecData[] {
  return info?.environments.find((e) => e.id === environment)?.metrics ?? []
}

/** The metric an environment shows first (the worm's food eaten), or null when unknown. */
export function headlineSpec(info: AppInfo | null, environment: string): MetricSpecData | null {
  const env = info?.environments.find((e) => e.id === environment)
  return env?.metrics.find((m) => m.key === env.headline) ?? null
}

export function headlineValue(
  info: AppInfo | null,
  run: { environment: string; bestMetrics: Record<string, number> | null }
): number | null {
  const spec = headlineSpec(info, run.environment)
  const v = spec && run.bestMetrics ? run.bestMetrics[spec.key] : undefined
  return v === undefined ? null : v
}

export function formatMetric(spec: MetricSpecData | null, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return spec?.integer ? formatInt(value) : formatNum(value)
}
