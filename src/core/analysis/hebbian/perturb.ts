/**
 * Figs. 3 right and 4 of seed 002: the progress of every step of a lifetime with a perturbation (saturated
 * outputs, zeroed weights) against the same episode unperturbed, and how long the walk takes to come back.
 */
import type { AnalysisParams } from './params'
import { columnStats, meanStd, num, pm } from './format'
import type { AnalysisOutput, AnalysisSeries } from './types'

/** Trailing moving mean: out[t] = mean of xs over (t − window, t]. */
export function movingMean(xs: readonly number[], window: number): number[] {
  const out = new Array<number>(xs.length)
  let sum = 0
  for (let t = 0; t < xs.length; t++) {
    sum += xs[t]
    if (t >= window) sum -= xs[t - window]
    out[t] = sum / Math.min(t + 1, window)
  }
  return out
}

export interface Recovery {
  /** Steps after `from` until the walk is back, or null when it never is (within the lifetime). */
  steps: number | null
  /** The unperturbed episode's mean progress per step over [from, end]: the level to come back to. */
  reference: number
}

/**
 * Recovered at the first step τ ≥ `from` from which the perturbed episode's mean progress over the next
 * `window` steps is at least `threshold` × the unperturbed episode's mean progress over [from, end] (same
 * draws, so the same walk had nothing happened). An unperturbed episode that does not move forward
 * (reference ≤ 0) has no walk to recover: steps = null.
 */
export function recoveryOf(
  baseline: readonly number[],
  perturbed: readonly number[],
  from: number,
  window: number,
  threshold: number
): Recovery {
  const tail = baseline.slice(from)
  const reference = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : 0
  if (!(reference > 0)) return { steps: null, reference }
  let sum = 0
  for (let t = from; t < Math.min(from + window, perturbed.length); t++) sum += perturbed[t]
  for (let tau = from; tau + window <= perturbed.length; tau++) {
    if (sum / window >= threshold * reference) return { steps: tau - from, reference }
    sum += (perturbed[tau + window] ?? 0) - perturbed[tau]
  }
  return { steps: null, reference }
}

/** One arm's episodes: the progress per step, unperturbed and perturbed, episode by episode. */
export interface PerturbArm {
  label: string
  baseline: number[][]
  perturbed: number[][]
}

type PerturbKind = 'saturate' | 'prune'

export function perturbOutput<K extends PerturbKind>(
  kind: K,
  params: AnalysisParams[K],
  arms: PerturbArm[]
): AnalysisOutput {
  const sat = kind === 'saturate' ? (params as AnalysisParams['saturate']) : null
  const pr = kind === 'prune' ? (params as AnalysisParams['prune']) : null
  const from = sat ? sat.start + sat.duration : pr!.at
  const what = sat ? 'saturated' : 'pruned'
  const series: AnalysisSeries[] = []
  const rows: string[][] = []
  for (const arm of arms) {
    for (const [name, runs] of [
      ['unperturbed', arm.baseline],
      [what, arm.perturbed]
    ] as const) {
      const st = columnStats(runs.map((p) => movingMean(p, params.window)))
      series.push({
        name: `${arm.label}, ${name}`,
        x: st.mean.map((_, t) => t),
        y: st.mean,
        band: { lo: st.lo, hi: st.hi }
      })
    }
    const rec = arm.baseline.map((b, e) =>
      recoveryOf(b, arm.perturbed[e], from, params.window, params.threshold)
    )
    const back = rec.flatMap((r) => (r.steps === null ? [] : [r.steps]))
    const walking = rec.filter((r) => r.reference > 0).length
    const total = (ps: number[][]) => meanStd(ps.map((p) => p.reduce((a, b) => a + b, 0)))
    const t0 = total(arm.baseline)
    const t1 = total(arm.perturbed)
    rows.push([
      arm.label,
      `${back.length}/${walking}`,
      back.length ? pm(meanStd(back).mean, meanStd(back).std) : '—',
      pm(t0.mean, t0.std),
      pm(t1.mean, t1.std)
    ])
  }
  const episodes = arms[0]?.baseline.length ?? 0
  const title = sat
    ? `Saturated actuators: all outputs = ${sat.value} for ${sat.duration} steps from t = ${sat.start}`
    : `${num(100 * pr!.fraction)}% of the weights zeroed at t = ${pr!.at}`
  return {
    kind,
    title,
    params,
    xLabel: 'policy step',
    yLabel: `progress per step (mean of the last ${params.window} steps)`,
    series,
    table: {
      header: [
        'network',
        'recovered / walking',
        `recovery (steps after t = ${from})`,
        'Σ progress, unperturbed',
        `Σ progress, ${what}`
      ],
      rows
    },
    notes: [
      sat
        ? `Every network output (the 8 actuators) set to ${sat.value} during steps ${sat.start}–${from - 1}; the Hebbian rule sees the saturated outputs (seed 002 §4.1: "saturating all its outputs to 1.0 for 100 timesteps").`
        : `round(${num(pr!.fraction)} × synapses) weights, a random subset per episode (seed ${pr!.seed}), zeroed before the forward pass of step ${pr!.at}; the Hebbian network keeps updating them, the static one keeps them at zero.`,
      `${episodes} episodes (draws 1–${episodes}), each also run unperturbed with the same draws; the authors' early stop is off so that every lifetime is whole. Bands: ± one sample std over the episodes.`,
      `Recovered: the perturbed episode's mean progress over ${params.window} steps back to ≥ ${num(100 * params.threshold)}% of the unperturbed one's mean over steps ${from}–end. "Walking" counts the episodes whose unperturbed mean there is > 0.`
    ]
  }
}
