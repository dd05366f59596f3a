/**
 * The lab's statistics against SciPy (test/fixtures/stats/*.json, written by
 * scripts/fixtures/stats_fixtures.py from scipy.stats.mannwhitneyu and numpy).
 *
 * Tolerances: exact p-values (our U distribution, float64 sums) to 1e-12 relative; asymptotic p-values
 * to 1e-6 absolute and, above 1e-6, 1e-5 relative: the normal tail comes from simple-statistics'
 * errorFunction, whose fractional error is < 1.2e-7 (Numerical Recipes' erfc), where SciPy uses ndtr.
 * Summaries (with the quartiles, numpy's default linear percentiles) to 1e-12 relative. Holm and the
 * effect sizes: test/core/effect.test.ts (fixtures in test/fixtures/stats/effect/).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  exactUDistribution,
  mannWhitneyU,
  pairwiseMannWhitney,
  quartiles,
  StatsInputError,
  summarize,
  type SampleSummary
} from '../../src/core/analysis/stats'

interface Case {
  name: string
  x: number[]
  y: number[]
  u: number
  p: number
  method: 'exact' | 'asymptotic'
  summaryX: SampleSummary
  summaryY: SampleSummary
}

const dir = join(__dirname, '..', 'fixtures', 'stats')
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
const suites = files.map((f) => ({
  file: f,
  ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { scipy: string; cases: Case[] })
}))

const close = (a: number, b: number, rel: number, abs = 0): boolean =>
  Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)))

describe('the fixtures', () => {
  it('cover every kind of case, from SciPy', () => {
    expect(files.sort()).toEqual(['edge.json', 'exact.json', 'large.json', 'ties.json'])
    const all = suites.flatMap((s) => s.cases)
    expect(all.length).toBeGreaterThan(150)
    expect(all.some((c) => c.method === 'exact')).toBe(true)
    expect(all.some((c) => c.method === 'asymptotic')).toBe(true)
    for (const s of suites) expect(s.scipy).toMatch(/^1\.\d+/)
  })
})

for (const suite of suites) {
  describe(`Mann–Whitney U vs SciPy ${suite.scipy}: ${suite.file}`, () => {
    it.each(suite.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const r = mannWhitneyU(c.x, c.y)
      expect(r.method).toBe(c.method)
      expect(r.u).toBeCloseTo(c.u, 9)
      if (c.method === 'exact') expect(close(r.p, c.p, 1e-12)).toBe(true)
      else {
        expect(Math.abs(r.p - c.p)).toBeLessThanOrEqual(1e-6)
        if (c.p > 1e-6) expect(close(r.p, c.p, 1e-5)).toBe(true)
      }
    })
  })
  describe(`summaries vs numpy: ${suite.file}`, () => {
    it('n, mean, std (ddof=1), median, q1, q3, min, max', () => {
      for (const c of suite.cases)
        for (const [v, want] of [
          [c.x, c.summaryX],
          [c.y, c.summaryY]
        ] as const) {
          const got = summarize(v)
          expect(got.n).toBe(want.n)
          for (const k of ['mean', 'median', 'q1', 'q3', 'min', 'max'] as const)
            expect(close(got[k], want[k], 1e-12, 1e-12)).toBe(true)
          if (want.std === null) expect(got.std).toBeNull()
          else expect(close(got.std!, want.std, 1e-12, 1e-12)).toBe(true)
        }
    })
  })
}

describe('the exact U distribution', () => {
  it('is a symmetric probability distribution over 0..m·n', () => {
    for (const [m, n] of [
      [1, 1],
      [3, 5],
      [8, 8],
      [8, 40]
    ]) {
      const pmf = exactUDistribution(m, n)
      expect(pmf.length).toBe(m * n + 1)
      expect(pmf.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
      for (let k = 0; k <= m * n; k++) expect(pmf[k]).toBeCloseTo(pmf[m * n - k], 14)
      // P(U = 0) = 1 / C(m+n, m)
      let c = 1
      for (let i = 1; i <= m; i++) c = (c * (n + i)) / i
      expect(pmf[0]).toBeCloseTo(1 / c, 14)
    }
  })
  it('is fast in the auto range', () => {
    const t0 = performance.now()
    mannWhitneyU(
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
      Array.from({ length: 500 }, (_, i) => i + 0.05)
    )
    const ms = performance.now() - t0
    console.log(`exact Mann–Whitney, 8 vs 500 values: ${ms.toFixed(1)} ms`)
    expect(ms).toBeLessThan(2000)
  })
})

describe('bad input', () => {
  it('names the sample and the rule', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(StatsInputError)
    expect(() => mannWhitneyU([], [1])).toThrow(/x must have at least one value/)
    expect(() => mannWhitneyU([1], [2, Number.NaN])).toThrow(/y\[1\] must be a finite number/)
    expect(() => summarize([], 'final values of ea')).toThrow(/final values of ea must have at least one/)
  })
})

describe('quartiles', () => {
  it('interpolate linearly between order statistics, whatever the input order', () => {
    // positions (n − 1)·p = 0.75 and 2.25 of the sorted [1, 2, 4, 8]: 1 + 0.75·1 and 4 + 0.25·4
    expect(quartiles([8, 1, 4, 2])).toEqual({ q1: 1.75, q3: 5 })
    expect(quartiles([3])).toEqual({ q1: 3, q3: 3 })
    expect(() => quartiles([], 'food of ea')).toThrow(/food of ea must have at least one value/)
  })
})

describe('pairwise tests', () => {
  it('test every pair once, in order', () => {
    const t = pairwiseMannWhitney([
      { key: 'a', values: [1, 2, 3] },
      { key: 'b', values: [4, 5, 6] },
      { key: 'c', values: [7, 8, 9] }
    ])
    expect(t.map((r) => `${r.a}-${r.b}`)).toEqual(['a-b', 'a-c', 'b-c'])
    expect(t[0].p).toBeCloseTo(mannWhitneyU([1, 2, 3], [4, 5, 6]).p, 15)
  })
  it('use the method asked for', () => {
    const groups = [
      { key: 'a', values: [1, 2, 3] },
      { key: 'b', values: [4, 5, 6] }
    ]
    expect(pairwiseMannWhitney(groups)[0].method).toBe('exact')
    const asym = pairwiseMannWhitney(groups, 'asymptotic')[0]
    expect(asym.method).toBe('asymptotic')
    expect(asym.p).toBe(mannWhitneyU([1, 2, 3], [4, 5, 6], 'asymptotic').p)
  })
})
