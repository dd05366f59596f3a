/**
 * Multiple-comparison correction and effect sizes for the Mann–Whitney tests of stats.ts (the Fig. 4
 * reproduction report, issue 10, builds on them).
 *
 * - `holm`: Holm–Bonferroni adjusted p-values (Holm 1979), step-down: sort ascending, multiply the
 *   i-th smallest (0-based) by m − i, take the running maximum (so the adjusted values keep the
 *   order of the raw ones) and cap at 1. Returned in the input's order. Reject at level α where the
 *   adjusted p < α; this is `statsmodels.stats.multitest.multipletests(p, method='holm')[1]`.
 * - `cliffsDelta(x, y)`: δ = (#(x > y) − #(x < y)) / (n1·n2) over all n1·n2 pairs, in [−1, 1].
 * - `rankBiserial(u, n1, n2)`: r = 2U/(n1·n2) − 1 with U = SciPy's U1 (U of x, ties counted half).
 *
 * Sign convention (both): positive means x tends to be larger than y. With U1 = #(x > y) +
 * #(x = y)/2, 2U1/(n1·n2) − 1 = (#(x > y) − #(x < y))/(n1·n2), so δ and r are the same number; δ is
 * counted pair by pair here and r derived from U, and the tests check that they agree.
 */
import { mannWhitneyU, pairwiseMannWhitney, StatsInputError, type MannWhitneyMethod } from './stats'

/** Holm–Bonferroni adjusted p-values, in the order of `pValues` (see the module comment). */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new StatsInputError(`p-value ${i} must be a number in [0, 1] (got ${String(p)})`)
  })
  const m = pValues.length
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b])
  const out = new Array<number>(m)
  let running = 0
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]))
    out[idx] = running
  })
  return out
}

/** Cliff's δ of x against y: (#(x > y) − #(x < y)) / (n1·n2); positive when x tends to be larger. */
export function cliffsDelta(x: readonly number[], y: readonly number[]): number {
  if (x.length === 0 || y.length === 0) throw new StatsInputError('Cliff’s delta needs two non-empty samples')
  let more = 0
  let less = 0
  for (const a of x)
    for (const b of y) {
      if (a > b) more++
      else if (a < b) less++
    }
  return (more - less) / (x.length * y.length)
}

/**
 * The rank-biserial correlation from U of x (SciPy's U1): 2U/(n1·n2) − 1; positive when x tends to be
 * larger. Equal to Cliff's δ (see the module comment).
 */
export function rankBiserial(u: number, n1: number, n2: number): number {
  if (!(n1 > 0 && n2 > 0)) throw new StatsInputError('rank-biserial r needs n1, n2 > 0')
  return (2 * u) / (n1 * n2) - 1
}

export interface PairwiseComparison<K extends string = string> {
  a: K
  b: K
  n1: number
  n2: number
  /** U of a's values (SciPy's U1). */
  u: number
  /** Two-sided p-value of the Mann–Whitney test. */
  p: number
  method: 'exact' | 'asymptotic'
  /** Holm-adjusted p, the family being all the pairs of this call. */
  pHolm: number
  /** Cliff's δ of a against b (= the rank-biserial r): positive when a tends to be larger. */
  delta: number
}

/**
 * Every pair (a before b in the given order): Mann–Whitney U and p with `method` (SciPy's names; the
 * report uses 'asymptotic': the normal approximation with the tie and continuity corrections), the
 * Holm-adjusted p over all pairs of this call, and Cliff's δ.
 */
export function pairwiseTests<K extends string>(
  groups: readonly { key: K; values: readonly number[] }[],
  /** `against`: only each other group against this one (a study's arms against its baseline), as the family. */
  opts: { method?: MannWhitneyMethod; against?: K } = {}
): PairwiseComparison<K>[] {
  const byKey = new Map(groups.map((g) => [g.key, g.values]))
  if (byKey.size !== groups.length) throw new StatsInputError('pairwise tests need distinct group keys')
  const base = opts.against
  if (base !== undefined && !byKey.has(base)) throw new StatsInputError(`no group '${base}' to test against`)
  const tests =
    base === undefined
      ? pairwiseMannWhitney(groups, opts.method ?? 'auto')
      : groups
          .filter((g) => g.key !== base)
          .map((g) => ({
            a: g.key,
            b: base,
            ...mannWhitneyU(g.values as number[], byKey.get(base) as number[], opts.method ?? 'auto')
          }))
  const adjusted = holm(tests.map((t) => t.p))
  return tests.map((t, i) => {
    const x = byKey.get(t.a)!
    const y = byKey.get(t.b)!
    return {
      a: t.a,
      b: t.b,
      n1: x.length,
      n2: y.length,
      u: t.u,
      p: t.p,
      method: t.method,
      pHolm: adjusted[i],
      delta: cliffsDelta(x, y)
    }
  })
}
