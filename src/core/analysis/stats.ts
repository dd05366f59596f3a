/**
 * The lab's statistics, in one place (the Compare view, `lab compare` and the paper reproduction build
 * on it): per-sample summaries and the two-sided Mann–Whitney U test.
 *
 * - `summarize`: n, mean, sample standard deviation (ddof = 1, as `numpy.std(x, ddof=1)`; null for
 *   n < 2), median, the quartiles q1 and q3 (see `quartiles`), min and max, all from `simple-statistics`.
 * - `mannWhitneyU`: the two-sided test with SciPy's defaults (`scipy.stats.mannwhitneyu(x, y,
 *   alternative='two-sided')`, SciPy 1.17, `method='auto'`, `use_continuity=True`): the exact null
 *   distribution of U when one sample has at most 8 values and there are no ties, otherwise the normal
 *   approximation with the tie correction and the continuity correction. The statistic is U of `x`
 *   (SciPy's `U1`). The rank sum is simple-statistics' `wilcoxonRankSum` (average ranks for ties) and the
 *   normal tail its `errorFunction` (fractional error < 1.2e-7, so p agrees with SciPy to ~1e-7). Only
 *   the exact U distribution is written here: no allowed library has it (see `exactUDistribution`).
 */
import {
  errorFunction,
  max,
  mean,
  median,
  min,
  quantileSorted,
  sampleStandardDeviation,
  wilcoxonRankSum
} from 'simple-statistics'

export interface SampleSummary {
  n: number
  mean: number
  /** Sample standard deviation (ddof = 1); null when n < 2. */
  std: number | null
  median: number
  /** First and third quartiles (numpy's default linear percentiles; see `quartiles`): IQR = [q1, q3]. */
  q1: number
  q3: number
  min: number
  max: number
}

export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic'

export interface MannWhitneyResult {
  /** U of the first sample (SciPy's statistic, U1 = R1 − n1(n1+1)/2). */
  u: number
  /** Two-sided p-value. */
  p: number
  /** The method used (what 'auto' chose). */
  method: 'exact' | 'asymptotic'
}

/** A sample that cannot be summarised or tested: names the sample and the rule it breaks. */
export class StatsInputError extends Error {
  override name = 'StatsInputError'
}

function checkSample(x: readonly number[], what: string): void {
  if (!Array.isArray(x)) throw new StatsInputError(`${what} must be an array of numbers`)
  if (x.length === 0) throw new StatsInputError(`${what} must have at least one value`)
  const bad = x.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v))
  if (bad >= 0) throw new StatsInputError(`${what}[${bad}] must be a finite number (got ${String(x[bad])})`)
}

/**
 * The first and third quartiles as `numpy.percentile(x, [25, 75])` (numpy's default 'linear' method,
 * Hyndman & Fan type 7: position (n − 1)·p, interpolated between its neighbours). simple-statistics'
 * `quantileSorted` uses that same definition since 7.x (its source says type 7), so it is used as is.
 */
export function quartiles(x: readonly number[], what = 'sample'): { q1: number; q3: number } {
  checkSample(x, what)
  const sorted = [...x].sort((a, b) => a - b)
  return { q1: quantileSorted(sorted, 0.25), q3: quantileSorted(sorted, 0.75) }
}

export function summarize(x: readonly number[], what = 'sample'): SampleSummary {
  checkSample(x, what)
  const xs = x as number[]
  return {
    n: xs.length,
    mean: mean(xs),
    std: xs.length >= 2 ? sampleStandardDeviation(xs) : null,
    median: median(xs),
    ...quartiles(xs, what),
    min: min(xs),
    max: max(xs)
  }
}

/** SciPy's 'auto' rule (`_mwu_choose_method`): asymptotic when both samples exceed 8 values or any tie. */
export function chooseMethod(n1: number, n2: number, ties: boolean): 'exact' | 'asymptotic' {
  if (n1 > 8 && n2 > 8) return 'asymptotic'
  return ties ? 'asymptotic' : 'exact'
}

/** Sizes of the groups of tied values in the pooled sample (1 for an untied value). */
function tieCounts(pooled: number[]): number[] {
  const sorted = [...pooled].sort((a, b) => a - b)
  const counts: number[] = []
  let run = 1
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++
    else {
      counts.push(run)
      run = 1
    }
  }
  return counts
}

/**
 * The null distribution of U for samples of sizes m and n without ties: `freq[k]` / C(m+n, m) is
 * P(U = k), k = 0..m·n. Written here because no allowed package has it. It is the Gaussian binomial
 * coefficient's recurrence (Mann & Whitney 1947): with the largest of the m+n values in the first
 * sample it beats all n of the second, so c(m, n)[k] = c(m−1, n)[k−n] + c(m, n−1)[k], with
 * c(0, n) = c(m, 0) = [1]. Only additions of positive counts, so float64 keeps full relative precision
 * (counts beyond 2^53 are rounded, not cancelled). Cost O(m²·n²) with m ≤ n: tiny in the 'auto' range
 * (m ≤ 8). Returns probabilities.
 */
export function exactUDistribution(m: number, n: number): Float64Array {
  const a = Math.min(m, n)
  const b = Math.max(m, n)
  // prev[i] = c(i, j−1) for i = 0..a, built column by column over j = 0..b
  let prev: Float64Array[] = Array.from({ length: a + 1 }, () => Float64Array.of(1))
  for (let j = 1; j <= b; j++) {
    const cur: Float64Array[] = [Float64Array.of(1)]
    for (let i = 1; i <= a; i++) {
      const out = new Float64Array(i * j + 1)
      const left = cur[i - 1] // c(i−1, j), shifted by j
      for (let k = 0; k < left.length; k++) out[k + j] += left[k]
      const up = prev[i] // c(i, j−1)
      for (let k = 0; k < up.length; k++) out[k] += up[k]
      cur.push(out)
    }
    prev = cur
  }
  const freq = prev[a]
  let total = 0
  for (const f of freq) total += f
  return freq.map((f) => f / total)
}

/** The standard normal survival function, P(Z > z), from simple-statistics' error function. */
function normalSf(z: number): number {
  if (z === Infinity) return 0
  if (z === -Infinity) return 1
  return 0.5 * (1 - errorFunction(z / Math.SQRT2))
}

/**
 * Two-sided Mann–Whitney U test of `x` against `y`, as `scipy.stats.mannwhitneyu(x, y)` (see the
 * module comment for the method and the tolerance).
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  method: MannWhitneyMethod = 'auto'
): MannWhitneyResult {
  checkSample(x, 'x')
  checkSample(y, 'y')
  const n1 = x.length
  const n2 = y.length
  const r1 = wilcoxonRankSum(x as number[], y as number[])
  const u1 = r1 - (n1 * (n1 + 1)) / 2
  const u = Math.max(u1, n1 * n2 - u1)
  const ties = tieCounts([...x, ...y])
  const chosen =
    method === 'auto'
      ? chooseMethod(
          n1,
          n2,
          ties.some((t) => t > 1)
        )
      : method
  let p: number
  if (chosen === 'exact') {
    const pmf = exactUDistribution(n1, n2)
    // sf(U) = P(U' ≥ U); the distribution is symmetric, so sum the shorter tail
    const k = Math.round(u)
    const kc = n1 * n2 - k
    let lower = 0
    for (let i = 0; i <= Math.min(k, kc); i++) lower += pmf[i]
    p = 2 * (k <= kc ? 1 - lower + pmf[k] : lower)
  } else {
    const n = n1 + n2
    const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0)
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
    const num = u - (n1 * n2) / 2 - 0.5
    // all values equal: sd = 0 and U = n1·n2/2, so z = −∞ and p = 1 (as SciPy)
    const z = sd > 0 ? num / sd : num < 0 ? -Infinity : Infinity
    p = 2 * normalSf(z)
  }
  return { u: u1, p: Math.min(1, Math.max(0, p)), method: chosen }
}

export interface PairwiseTest<K extends string = string> extends MannWhitneyResult {
  a: K
  b: K
}

/**
 * Mann–Whitney U of every pair of samples (a before b in the given order); `method` as in
 * `mannWhitneyU` ('auto' by default, SciPy's). Holm's correction and effect sizes: `pairwiseTests`
 * in effect.ts.
 */
export function pairwiseMannWhitney<K extends string>(
  samples: readonly { key: K; values: readonly number[] }[],
  method: MannWhitneyMethod = 'auto'
): PairwiseTest<K>[] {
  const out: PairwiseTest<K>[] = []
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++)
      out.push({
        a: samples[i].key,
        b: samples[j].key,
        ...mannWhitneyU(samples[i].values, samples[j].values, method)
      })
  return out
}
