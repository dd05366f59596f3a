/**
 * Numbers as the Fig. 4 report prints them (Markdown and claim evidence; the CSV keeps full precision):
 * food to 2 decimals (the paper quotes 32.73 ± 1.66), L0 to 1 (a count of weights, averaged), L2 to 2,
 * p-values with 3 decimals down to 1e-3 and in scientific notation below, effect sizes to 2.
 */
export type ReportMetric = 'foodEaten' | 'l0' | 'l2'

export const METRIC_DIGITS: Record<ReportMetric, number> = { foodEaten: 2, l0: 1, l2: 2 }

/** A metric's value to its digits; '–' for null (a std of one run). Minus as U+2212 for Markdown. */
export function formatMetric(metric: ReportMetric, v: number | null): string {
  if (v === null) return '–'
  return minus(v.toFixed(METRIC_DIGITS[metric]))
}

/** A p-value: 0.123, 0.001, then 9.9e-4, 1.2e-12 (two significant digits); 0 as "0". */
export function formatP(p: number): string {
  if (p === 0) return '0'
  if (p < 1e-3) return minus(p.toExponential(1))
  return p.toFixed(3)
}

/** An effect size in [−1, 1], to 2 decimals with its sign. */
export function formatDelta(d: number): string {
  const s = Math.abs(d).toFixed(2)
  return s === '0.00' ? s : (d > 0 ? '+' : '−') + s
}

/** A ratio as a signed percentage with 1 decimal: 1.136 → "+13.6 %". */
export function formatPercent(ratio: number): string {
  const pct = (ratio - 1) * 100
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`
}

const minus = (s: string): string => s.replace('-', '−')
