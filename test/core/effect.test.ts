/**
 * Holm's correction, Cliff's δ, the rank-biserial r and the report's pairwise tests against numpy and
 * SciPy (test/fixtures/stats/effect/*.json, written by scripts/fixtures/stats_fixtures.py).
 *
 * Tolerances: U exact; asymptotic p and Holm's p to 1e-7 absolute (the normal tail is
 * simple-statistics' errorFunction, fractional error < 1.2e-7, where SciPy uses ndtr; measured on these
 * fixtures: at most 7.5e-8); Holm on given p-values and the effect sizes (counts, one division) to 1e-12.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliffsDelta, holm, pairwiseTests, rankBiserial } from '../../src/core/analysis/effect'
import { StatsInputError, summarize, type SampleSummary } from '../../src/core/analysis/stats'

interface Pair {
  a: string
  b: string
  u: number
  p: number
  pHolm: number
  delta: number
  rankBiserial: number
}
interface Family {
  name: string
  groups: { key: string; values: number[]; summary: SampleSummary }[]
  pairs: Pair[]
}
interface HolmCase {
  name: string
  p: number[]
  holm: number[]
}

const dir = join(__dirname, '..', 'fixtures', 'stats', 'effect')
const load = <T>(f: string): { scipy: string; cases: T[] } =>
  JSON.parse(readFileSync(join(dir, f), 'utf8')) as { scipy: string; cases: T[] }
const families = load<Family>('families.json')
const holmCases = load<HolmCase>('holm.json')

const close = (a: number, b: number, rel: number, abs = 0): boolean =>
  Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)))

describe(`pairwise tests vs SciPy ${families.scipy} (asymptotic, tie-corrected)`, () => {
  it('the fixtures look like the report: 2 to 30 seeds, many ties, small and large p', () => {
    const all = families.cases.flatMap((c) => c.pairs)
    expect(families.cases.length).toBeGreaterThan(20)
    expect(all.some((q) => q.p < 1e-6)).toBe(true)
    expect(all.some((q) => q.p > 0.5)).toBe(true)
    const sizes = families.cases.flatMap((c) => c.groups.map((g) => g.values.length))
    expect(Math.min(...sizes)).toBe(2)
    expect(Math.max(...sizes)).toBe(30)
    const tied = families.cases.filter((c) => {
      const v = c.groups.flatMap((g) => g.values)
      return new Set(v).size < v.length
    })
    expect(tied.length).toBeGreaterThan(families.cases.length / 2)
  })
  it.each(families.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const got = pairwiseTests(c.groups, { method: 'asymptotic' })
    expect(got.map((t) => `${t.a}/${t.b}`)).toEqual(c.pairs.map((q) => `${q.a}/${q.b}`))
    got.forEach((t, i) => {
      const want = c.pairs[i]
      expect(t.method).toBe('asymptotic')
      expect(t.u).toBe(want.u)
      expect(Math.abs(t.p - want.p)).toBeLessThanOrEqual(1e-7)
      expect(Math.abs(t.pHolm - want.pHolm)).toBeLessThanOrEqual(1e-7)
      expect(t.delta).toBeCloseTo(want.delta, 12)
      expect(rankBiserial(t.u, t.n1, t.n2)).toBeCloseTo(want.rankBiserial, 12)
      // δ and r are the same number when U is SciPy's U1
      expect(rankBiserial(t.u, t.n1, t.n2)).toBeCloseTo(t.delta, 12)
      expect([t.n1, t.n2]).toEqual([
        c.groups.find((g) => g.key === t.a)!.values.length,
        c.groups.find((g) => g.key === t.b)!.values.length
      ])
    })
    for (const g of c.groups) {
      const s = summarize(g.values)
      for (const k of ['mean', 'median', 'q1', 'q3'] as const)
        expect(close(s[k], g.summary[k], 1e-12, 1e-12)).toBe(true)
    }
  })
})

describe('Holm vs numpy (the script computes it; no statsmodels)', () => {
  it.each(holmCases.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const got = holm(c.p)
    expect(got.length).toBe(c.holm.length)
    got.forEach((v, i) => expect(v).toBeCloseTo(c.holm[i], 12))
  })
  it('is monotone in the raw p, never below it, at most 1', () => {
    for (const c of holmCases.cases) {
      const got = holm(c.p)
      c.p.forEach((p, i) => {
        expect(got[i]).toBeGreaterThanOrEqual(p)
        expect(got[i]).toBeLessThanOrEqual(1)
        c.p.forEach((q, j) => {
          if (p < q) expect(got[i]).toBeLessThanOrEqual(got[j])
        })
      })
    }
  })
  it('refuses a p outside [0, 1]', () => {
    expect(() => holm([0.1, 1.5])).toThrow(StatsInputError)
    expect(() => holm([Number.NaN])).toThrow(/p-value 0 must be a number in \[0, 1\]/)
  })
})

describe("Cliff's delta", () => {
  it('counts pairs: +1 when x is always larger, −1 when smaller, 0 for ties', () => {
    expect(cliffsDelta([4, 5], [1, 2, 3])).toBe(1)
    expect(cliffsDelta([1, 2, 3], [4, 5])).toBe(-1)
    expect(cliffsDelta([2, 2], [2, 2, 2])).toBe(0)
    // x = [1, 3] vs y = [2, 2]: pairs 1<2, 1<2, 3>2, 3>2 → (2 − 2)/4
    expect(cliffsDelta([1, 3], [2, 2])).toBe(0)
    // x = [3, 3, 1] vs y = [2]: two larger, one smaller → 1/3
    expect(cliffsDelta([3, 3, 1], [2])).toBeCloseTo(1 / 3, 15)
    expect(() => cliffsDelta([], [1])).toThrow(StatsInputError)
  })
  it('flips sign when the samples swap', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6]
    const y = [2, 7, 1, 8, 2, 8]
    expect(cliffsDelta(y, x)).toBe(-cliffsDelta(x, y))
  })
})

describe('pairwise tests', () => {
  it('refuses duplicated keys', () => {
    expect(() =>
      pairwiseTests([
        { key: 'a', values: [1] },
        { key: 'a', values: [2] }
      ])
    ).toThrow(/distinct group keys/)
  })
})
