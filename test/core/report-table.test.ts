/**
 * The Fig. 4 report's table: the model from small synthetic finals (expectations computed here, by
 * counting and arithmetic, or from the SciPy-checked mannWhitneyU), the CSV read back with the csv
 * helper, the Markdown's rows, and each claim check flipping with the data.
 */
import { describe, expect, it } from 'vitest'
import { holm } from '../../src/core/analysis/effect'
import { PAPER_FIG4 } from '../../src/core/analysis/report-claims'
import { formatDelta, formatMetric, formatP } from '../../src/core/analysis/report-format'
import {
  buildReportTable,
  holmFloor,
  REPORT_CSV_COLUMNS,
  REPORT_METRICS,
  tableToCsv,
  tableToMarkdown,
  type ReportMethodInput,
  type ReportTable
} from '../../src/core/analysis/report-table'
import { mannWhitneyU, StatsInputError } from '../../src/core/analysis/stats'
import { csvRecords } from '../../src/core/util/csv'

type Finals = ReportMethodInput['finals']
const method = (key: string, label: string, finals: Finals): ReportMethodInput => ({ key, label, finals })

/**
 * Eight seeds per method, food / L0 / L2 shaped like the paper's picture (with ties in food). Eight,
 * because six cannot reach p_Holm < 0.05 over the 15 pairs of six methods (see holmFloor).
 */
const FIVE: ReportMethodInput[] = [
  method('renomad', 'rENOMAD', {
    foodEaten: [33, 31, 34, 32, 33, 35, 32, 34],
    l0: [800, 790, 810, 805, 799, 820, 795, 812],
    l2: [1.1, 1.2, 1.0, 1.3, 1.1, 1.2, 1.0, 1.2]
  }),
  method('menomad', 'mENOMAD', {
    foodEaten: [30, 29, 31, 30, 28, 30, 29, 31],
    l0: [20, 25, 30, 22, 21, 24, 23, 26],
    l2: [5, 6, 5.5, 6.2, 5.1, 5.9, 5.4, 6.0]
  }),
  method('ea', 'EA', {
    foodEaten: [24, 25, 26, 24, 25, 23, 24, 25],
    l0: [2000, 2100, 2050, 1990, 2010, 2020, 2030, 1980],
    l2: [20, 21, 22, 19, 20, 21, 20.5, 21.5]
  }),
  method('es', 'OpenAI-ES', {
    foodEaten: [20, 22, 21, 19, 20, 23, 21, 22],
    l0: Array<number>(8).fill(3689),
    l2: [30, 31, 29, 33, 30, 32, 31, 30.5]
  }),
  method('cfnomad', 'cfNOMAD', {
    foodEaten: [15, 17, 16, 18, 14, 16, 17, 15],
    l0: [1500, 1490, 1510, 1520, 1480, 1505, 1495, 1515],
    l2: [9, 10, 11, 9.5, 10.5, 9.8, 10.2, 9.7]
  })
]
const RANDOM = method('renomad-random', 'rENOMAD, random init', {
  foodEaten: [8, 9, 7, 10, 8, 9, 8, 10],
  l0: Array<number>(8).fill(3689),
  l2: [300, 310, 305, 299, 301, 303, 302, 304]
})

const meanOf = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length
/** U of x by counting pairs, ties half. */
const uByCounting = (x: readonly number[], y: readonly number[]): number => {
  let u = 0
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0
  return u
}
const claim = (t: ReportTable, id: string) => t.claims.find((c) => c.id === id)!
/** A copy of `methods` with one method's metric replaced. */
const withValues = (methods: ReportMethodInput[], key: string, metric: keyof Finals, v: number[]) =>
  methods.map((m) => (m.key === key ? { ...m, finals: { ...m.finals, [metric]: v } } : m))

describe('the model', () => {
  const t = buildReportTable({ methods: [FIVE[0], FIVE[1], FIVE[2]] })
  it('has a summary row per metric and method, with n, mean, std, median and the IQR', () => {
    expect(t.summary.length).toBe(9)
    const food = t.summary.find((r) => r.metric === 'foodEaten' && r.method === 'ea')!
    expect(food.n).toBe(8)
    expect(food.mean).toBeCloseTo(196 / 8, 12)
    // sorted 23 24 24 24 25 25 25 26: median (24 + 25)/2; q1 at position 7·0.25 = 1.75 → 24, q3 at 5.25 → 25
    expect([food.median, food.q1, food.q3]).toEqual([24.5, 24, 25])
    const dev = FIVE[2].finals.foodEaten.map((v) => (v - 24.5) ** 2)
    expect(food.std).toBeCloseTo(Math.sqrt(dev.reduce((s, v) => s + v) / 7), 12)
  })
  it("puts the paper's numbers beside ours where the paper gives one", () => {
    const paper = (metric: string, m: string) =>
      t.summary.find((r) => r.metric === metric && r.method === m)!.paper
    expect(paper('foodEaten', 'renomad')).toContain('32.73 ± 1.66')
    expect(paper('l0', 'menomad')).toContain('1 %')
    expect(paper('l2', 'ea')).toBeNull()
  })
  it('tests every pair per metric: U by counting, asymptotic p, Holm over the metric, Cliff δ', () => {
    expect(t.tests.length).toBe(9)
    for (const metric of REPORT_METRICS) {
      const rows = t.tests.filter((r) => r.metric === metric)
      expect(rows.map((r) => `${r.a}/${r.b}`)).toEqual(['renomad/menomad', 'renomad/ea', 'menomad/ea'])
      const p = rows.map((r) => {
        const x = t.methods.findIndex((m) => m.key === r.a)
        const y = t.methods.findIndex((m) => m.key === r.b)
        return [FIVE[x].finals[metric], FIVE[y].finals[metric]] as const
      })
      rows.forEach((r, i) => {
        const [x, y] = p[i]
        expect(r.u).toBe(uByCounting(x, y))
        expect(r.p).toBe(mannWhitneyU(x, y, 'asymptotic').p)
        expect(r.delta).toBeCloseTo((2 * uByCounting(x, y)) / (x.length * y.length) - 1, 12)
        expect(r.significant).toBe(r.pHolm < 0.05)
      })
      // Holm by hand over the three p of this metric: sorted ×3, ×2, ×1, running max
      const raw = rows.map((r) => r.p)
      const order = [0, 1, 2].sort((a, b) => raw[a] - raw[b])
      const adj = [3, 2, 1].map((k, i) => Math.min(1, k * raw[order[i]]))
      for (let i = 1; i < 3; i++) adj[i] = Math.max(adj[i], adj[i - 1])
      order.forEach((idx, i) => expect(rows[idx].pHolm).toBeCloseTo(adj[i], 15))
    }
  })
  it("keeps each metric's family apart", () => {
    const changed = buildReportTable({
      methods: withValues([FIVE[0], FIVE[1], FIVE[2]], 'ea', 'l0', [0, 0, 1, 1, 2, 2, 3, 3])
    })
    const food = (x: ReportTable) => x.tests.filter((r) => r.metric === 'foodEaten').map((r) => r.pHolm)
    expect(food(changed)).toEqual(food(t))
    expect(changed.tests.filter((r) => r.metric === 'l0').map((r) => r.pHolm)).toEqual(
      holm(changed.tests.filter((r) => r.metric === 'l0').map((r) => r.p))
    )
  })
  it('refuses unequal seed counts across metrics and duplicated methods', () => {
    const bad = method('ea', 'EA', { foodEaten: [1, 2], l0: [1], l2: [1, 2] })
    expect(() => buildReportTable({ methods: [bad] })).toThrow(StatsInputError)
    expect(() => buildReportTable({ methods: [FIVE[0], FIVE[0]] })).toThrow(/once/)
    expect(() =>
      buildReportTable({ methods: [method('ea', 'EA', { foodEaten: [], l0: [], l2: [] })] })
    ).toThrow(/foodEaten of ea must have at least one value/)
  })
})

describe('the CSV', () => {
  const odd = { ...FIVE[2], label: 'EA, "pure" | v2' }
  const t = buildReportTable({ methods: [FIVE[0], FIVE[1], odd, RANDOM] })
  const records = csvRecords(tableToCsv(t))
  it('reads back with the csv helper: header, one row per summary, test and claim', () => {
    expect(records[0]).toEqual([...REPORT_CSV_COLUMNS])
    const rows = records.slice(1)
    expect(rows.every((r) => r.length === REPORT_CSV_COLUMNS.length)).toBe(true)
    const col = (name: string) => REPORT_CSV_COLUMNS.indexOf(name as never)
    const sections = rows.map((r) => r[col('section')])
    expect(sections.filter((s) => s === 'summary').length).toBe(t.summary.length)
    expect(sections.filter((s) => s === 'test').length).toBe(t.tests.length)
    expect(sections.filter((s) => s === 'claim').length).toBe(PAPER_FIG4.claims.length)
    // numbers at full precision, text (with commas and quotes) intact
    const s = rows.filter((r) => r[col('section')] === 'summary')
    t.summary.forEach((want, i) => {
      expect(Number(s[i][col('mean')])).toBe(want.mean)
      expect(Number(s[i][col('q3')])).toBe(want.q3)
      expect(s[i][col('paper')]).toBe(want.paper ?? '')
    })
    const tests = rows.filter((r) => r[col('section')] === 'test')
    t.tests.forEach((want, i) => {
      expect(Number(tests[i][col('p_holm')])).toBe(want.pHolm)
      expect(tests[i][col('method_b')]).toBe(want.b)
    })
    const claims = rows.filter((r) => r[col('section')] === 'claim')
    t.claims.forEach((want, i) => {
      expect(claims[i][col('claim')]).toBe(want.id)
      expect(claims[i][col('evidence')]).toBe(want.evidence)
    })
    expect(claims.some((r) => r[col('evidence')].includes('EA, "pure"'))).toBe(true)
  })
})

describe('the Markdown', () => {
  const odd = { ...FIVE[2], label: 'EA | pure' }
  const t = buildReportTable({ methods: [FIVE[0], FIVE[1], odd, FIVE[3], FIVE[4], RANDOM] })
  const md = tableToMarkdown(t)
  it('has a row per method and metric with mean ± std and median [IQR]', () => {
    for (const r of t.summary) {
      const f = (v: number | null) => formatMetric(r.metric, v)
      const label = r.label.replace('|', '\\|')
      expect(md).toContain(
        `| ${label} | ${r.n} | ${f(r.mean)} ± ${f(r.std)} | ${f(r.median)} [${f(r.q1)}, ${f(r.q3)}] |`
      )
    }
  })
  it('has every test and every claim with its verdict', () => {
    for (const r of t.tests)
      expect(md).toContain(`| ${formatP(r.p)} | ${formatP(r.pHolm)} | ${formatDelta(r.delta)} |`)
    for (const c of PAPER_FIG4.claims) expect(md).toContain(c.text)
    expect(md).toContain("Holm's correction over the 15 pairs of each metric")
    // a table row has as many unescaped pipes as the header: the pipe in the label is escaped
    const row = md.split('\n').find((l) => l.includes('EA \\| pure'))!
    expect(row.replace(/\\\|/g, '').split('|').length).toBe(7)
  })
})

describe('the claims', () => {
  const all = buildReportTable({ methods: [...FIVE, RANDOM] })
  it('hold on data shaped like the paper', () => {
    for (const c of all.claims) expect([c.id, c.status]).toEqual([c.id, 'holds'])
  })
  it('are "not run" when a method they need is absent, never failed', () => {
    const t = buildReportTable({ methods: [FIVE[0], FIVE[1]] })
    expect(claim(t, 'menomad-vs-ea').status).toBe('not run')
    expect(claim(t, 'random-init-worse').status).toBe('not run')
    expect(claim(t, 'random-init-worse').evidence).toContain('rENOMAD, random init not run')
    expect(claim(t, 'renomad-highest').status).toBe('not run')
    expect(claim(t, 'renomad-food').status).toBe('holds')
    expect(claim(t, 'menomad-l0').status).toBe('holds')
  })
  it('fail on a comparison that could be checked, even with methods missing', () => {
    const t = buildReportTable({
      methods: withValues([FIVE[0], FIVE[1]], 'menomad', 'foodEaten', [40, 41, 39, 40, 42, 40, 41, 39])
    })
    expect(claim(t, 'renomad-highest').status).toBe('fails')
    expect(claim(t, 'renomad-highest').evidence).toMatch(/✗/)
  })
  it('flip when the data flips', () => {
    const flip = (key: string, metric: keyof Finals, v: number[], id: string) => {
      expect(
        claim(buildReportTable({ methods: withValues([...FIVE, RANDOM], key, metric, v) }), id).status
      ).toBe('fails')
    }
    // rENOMAD's mean beyond the paper's 1 std (32.73 − 1.66 = 31.07)
    flip('renomad', 'foodEaten', [30, 31, 30, 31, 30, 31, 30, 31], 'renomad-food')
    // EA at 27: mENOMAD's 29.67 is only 9.9 % more
    flip('ea', 'foodEaten', [27, 27, 26, 28, 27, 27, 27, 27], 'menomad-vs-ea')
    flip('menomad', 'l0', [40, 41, 38, 39, 40, 37, 40, 40], 'menomad-l0')
    const high = [36, 37, 38, 36, 37, 39, 38, 37]
    flip('cfnomad', 'foodEaten', high, 'enomad-beat-baselines')
    flip('menomad', 'foodEaten', high, 'renomad-highest')
    flip('ea', 'l2', [0.5, 0.6, 0.4, 0.5, 0.7, 0.5, 0.6, 0.4], 'renomad-smallest-l2')
    flip('cfnomad', 'l0', [10, 12, 9, 11, 10, 10, 11, 12], 'menomad-smallest-l0')
    flip('renomad-random', 'foodEaten', high, 'random-init-worse')
  })
  it('"beats" needs the Holm-corrected test, not only a higher mean', () => {
    // cfNOMAD's mean is below both ENOMADs but its spread overlaps them: not significant
    const t = buildReportTable({
      methods: withValues([...FIVE, RANDOM], 'cfnomad', 'foodEaten', [10, 36, 12, 34, 11, 35, 10, 36])
    })
    const food = (m: string) => t.summary.find((r) => r.metric === 'foodEaten' && r.method === m)!.mean
    expect(food('cfnomad')).toBeLessThan(food('menomad'))
    expect(claim(t, 'enomad-beat-baselines').status).toBe('fails')
    expect(claim(t, 'enomad-beat-baselines').evidence).toMatch(/cfNOMAD 23\.00, p_Holm = [0-9.]+ ✗/)
  })
  it('use the genome size given for "% of the weights"', () => {
    // mENOMAD's mean L0 is 23.875: under 1 % of 3,689, over 1 % of 2,000
    const t = buildReportTable({ methods: [...FIVE], weights: 2000 })
    expect(claim(t, 'menomad-l0').status).toBe('fails')
    expect(claim(all, 'menomad-l0').evidence).toContain('3,689 weights')
    expect(meanOf(FIVE[1].finals.l0)).toBe(23.875)
  })
})

describe('the power note', () => {
  const first = (n: number) =>
    [...FIVE, RANDOM].map((m) => ({
      ...m,
      finals: {
        foodEaten: m.finals.foodEaten.slice(0, n),
        l0: m.finals.l0.slice(0, n),
        l2: m.finals.l2.slice(0, n)
      }
    }))
  it('gives the smallest p_Holm the seed counts allow, with and without ties', () => {
    // 15 pairs × the p of two separated groups of 6
    const untied = mannWhitneyU([0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11], 'asymptotic').p
    const tied = mannWhitneyU([2, 2, 2, 2, 2, 2], [3, 3, 3, 3, 3, 3], 'asymptotic').p
    const f = holmFloor([6, 6, 6, 6, 6, 6])!
    expect(f.untied).toBeCloseTo(15 * untied, 15)
    expect(f.tied).toBeCloseTo(15 * tied, 15)
    expect(f.tied).toBeLessThan(f.untied)
    const t6 = buildReportTable({ methods: first(6) })
    expect(t6.note).toContain(`reach p_Holm = ${formatP(f.untied)} without ties`)
    expect(t6.note).not.toMatch(/no pair can be significant/)
    // no test of the family goes below the tied floor
    expect(Math.min(...t6.tests.map((r) => r.pHolm))).toBeGreaterThanOrEqual(f.tied - 1e-15)
  })
  it('says when no pair can be significant, and then none is', () => {
    const t5 = buildReportTable({ methods: first(5) })
    expect(holmFloor([5, 5, 5, 5, 5, 5])!.tied).toBeGreaterThanOrEqual(0.05)
    expect(t5.note).toMatch(/no pair can be significant: run more seeds/)
    expect(t5.tests.some((r) => r.significant)).toBe(false)
    expect(claim(t5, 'random-init-worse').status).toBe('fails')
  })
})

describe('number formats', () => {
  it('food to 2 decimals, L0 to 1, L2 to 2; p scientific below 1e-3', () => {
    expect(formatMetric('foodEaten', 32.7345)).toBe('32.73')
    expect(formatMetric('l0', 23.666)).toBe('23.7')
    expect(formatMetric('l2', 1.005e1)).toBe('10.05')
    expect(formatMetric('l2', null)).toBe('–')
    expect(formatP(0.0123)).toBe('0.012')
    expect(formatP(0.001)).toBe('0.001')
    expect(formatP(0.00042)).toBe('4.2e−4')
    expect(formatP(1.2e-12)).toBe('1.2e−12')
    expect(formatDelta(-0.5)).toBe('−0.50')
    expect(formatDelta(1)).toBe('+1.00')
  })
})

describe('a study (arms against a baseline)', () => {
  const arm = (key: string, food: number[]) => ({
    key,
    label: key,
    finals: { foodEaten: food, l0: food.map((f) => f * 2), l2: food.map((f) => f / 3) }
  })
  const input = {
    methods: [arm('base', [20, 21, 22, 23]), arm('a', [24, 25, 26, 27]), arm('b', [19, 20, 22, 24])],
    baseline: 'base'
  }
  it('tests each arm against the baseline only, Holm over those comparisons', () => {
    const t = buildReportTable(input)
    expect(t.baseline).toBe('base')
    const food = t.tests.filter((r) => r.metric === 'foodEaten')
    expect(food.map((r) => `${r.a}-${r.b}`)).toEqual(['a-base', 'b-base'])
    const raw = ['a', 'b'].map((k) =>
      mannWhitneyU(input.methods.find((m) => m.key === k)!.finals.foodEaten, [20, 21, 22, 23], 'asymptotic')
    )
    expect(food.map((r) => r.p)).toEqual(raw.map((r) => r.p))
    expect(food.map((r) => r.pHolm)).toEqual(holm(raw.map((r) => r.p)))
    expect(t.tests.length).toBe(2 * 3)
  })
  it('leaves the paper out: no claims, no paper column', () => {
    const t = buildReportTable(input)
    expect(t.claims).toEqual([])
    expect(t.summary.every((r) => r.paper === null)).toBe(true)
    const md = tableToMarkdown(t)
    expect(md).not.toMatch(/paper|claims/i)
    expect(md).toContain('with the baseline, base')
  })
  it('refuses a baseline that is not one of the arms', () => {
    expect(() => buildReportTable({ ...input, baseline: 'none' })).toThrow(/no group 'none'/)
  })
})
