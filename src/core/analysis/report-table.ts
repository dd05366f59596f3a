/**
 * The Fig. 4 reproduction's statistics table (issue 10): per method and metric the final values'
 * n, mean ± std, median [IQR] with the paper's number beside ours; per metric every pair's two-sided
 * Mann–Whitney U, its p-value (the tie-corrected normal approximation with the continuity correction,
 * SciPy's method='asymptotic'), the Holm-adjusted p over all the pairs of that metric, and Cliff's δ;
 * and the paper's claims checked against our data (report-claims.ts). Pure: the model and its CSV and
 * Markdown renderings; `lab report fig4` gathers the runs and writes the files.
 */
import { pairwiseTests } from './effect'
import { checkClaims, PAPER_FIG4, type ClaimCheck } from './report-claims'
import { formatDelta, formatMetric, formatP, type ReportMetric } from './report-format'
import { mannWhitneyU, StatsInputError, summarize, type SampleSummary } from './stats'
import { csvRecord } from '../util/csv'

export const REPORT_METRICS: readonly ReportMetric[] = ['foodEaten', 'l0', 'l2']

export const METRIC_TITLES: Record<ReportMetric, string> = {
  foodEaten: 'Food eaten',
  l0: 'L0 (weights changed)',
  l2: 'L2 (distance from the original connectome)'
}

/** The lab's connectome genome (gopigo2014): 3,689 synaptic weights. A lab number, not the paper's. */
export const DEFAULT_WEIGHTS = 3689

export interface ReportMethodInput {
  /** The algorithm's name (renomad, menomad, ea, es, cfnomad, renomad-random). */
  key: string
  label: string
  /** Each seed's final value per metric; the three arrays have one value per seed. */
  finals: Record<ReportMetric, readonly number[]>
}

export interface ReportTableInput {
  methods: readonly ReportMethodInput[]
  /** Weights in the genome, for the "< 1 % of the weights" claim (default 3,689). */
  weights?: number
  /** Significance level for the Holm-adjusted p (default 0.05). */
  alpha?: number
  /**
   * A study of variants of one method instead of the paper's figure: each method ("arm") is tested
   * against this one only (the Holm family), and the paper's numbers and claims are left out.
   */
  baseline?: string
}

export interface SummaryRow extends SampleSummary {
  metric: ReportMetric
  method: string
  label: string
  /** The paper's number for this method and metric, as text, or null. */
  paper: string | null
}

export interface TestRow {
  metric: ReportMetric
  a: string
  b: string
  n1: number
  n2: number
  /** U of a (SciPy's U1). */
  u: number
  p: number
  /** Holm-adjusted over the metric's pairs. */
  pHolm: number
  /** Cliff's δ of a against b: positive when a tends to be larger. */
  delta: number
  significant: boolean
}

export interface ReportTable {
  methods: { key: string; label: string }[]
  summary: SummaryRow[]
  tests: TestRow[]
  claims: ClaimCheck[]
  alpha: number
  weights: number
  /** A study's baseline (every test is against it; no paper column or claims), or null. */
  baseline: string | null
  /** How the tests were made, for the table's footnote. */
  note: string
}

export function buildReportTable(input: ReportTableInput): ReportTable {
  const alpha = input.alpha ?? 0.05
  const weights = input.weights ?? DEFAULT_WEIGHTS
  const methods = input.methods
  const study = input.baseline !== undefined
  if (new Set(methods.map((m) => m.key)).size !== methods.length)
    throw new StatsInputError('report: each method must appear once')
  for (const m of methods) {
    const ns = REPORT_METRICS.map((k) => m.finals[k]?.length ?? 0)
    if (ns.some((n) => n !== ns[0]))
      throw new StatsInputError(
        `report: ${m.key} has ${ns.join('/')} values of food/L0/L2; one per seed each`
      )
  }
  const summary: SummaryRow[] = []
  const tests: TestRow[] = []
  for (const metric of REPORT_METRICS) {
    for (const m of methods) {
      const s = summarize(m.finals[metric], `${metric} of ${m.key}`)
      summary.push({
        metric,
        method: m.key,
        label: m.label,
        ...s,
        paper: study ? null : (PAPER_FIG4.cells[m.key]?.[metric] ?? null)
      })
    }
    const groups = methods.map((m) => ({ key: m.key, values: m.finals[metric] }))
    for (const t of pairwiseTests(groups, { method: 'asymptotic', against: input.baseline }))
      tests.push({
        metric,
        a: t.a,
        b: t.b,
        n1: t.n1,
        n2: t.n2,
        u: t.u,
        p: t.p,
        pHolm: t.pHolm,
        delta: t.delta,
        significant: t.pHolm < alpha
      })
  }
  const labels = new Map(methods.map((m) => [m.key, m.label]))
  const claims = study
    ? []
    : checkClaims({
        summary: (metric, method) => summary.find((r) => r.metric === metric && r.method === method),
        test: (metric, a, b) => {
          const t = tests.find(
            (r) => r.metric === metric && ((r.a === a && r.b === b) || (r.a === b && r.b === a))
          )
          return t && { pHolm: t.pHolm, delta: t.a === a ? t.delta : -t.delta }
        },
        label: (m) => labels.get(m) ?? PAPER_FIG4.labels[m] ?? m,
        weights,
        alpha
      })
  const pairs = study ? methods.length - 1 : (methods.length * (methods.length - 1)) / 2
  const floor = study ? null : holmFloor(methods.map((m) => m.finals.foodEaten.length))
  const power =
    floor === null
      ? ''
      : ` With these seed counts, two completely separated methods reach p_Holm = ${formatP(floor.untied)} ` +
        `without ties (ties lower it, down to ${formatP(floor.tied)})` +
        (floor.tied >= alpha ? ', so no pair can be significant: run more seeds.' : '.')
  const note =
    'Two-sided Mann–Whitney U on the final values (U of the first method; tie-corrected normal ' +
    "approximation with continuity correction, SciPy's method='asymptotic'). Holm's correction over " +
    (study
      ? `the ${pairs} comparison${pairs === 1 ? '' : 's'} of each metric with the baseline, ${labels.get(input.baseline!) ?? input.baseline} (one family per metric). `
      : `the ${pairs} pairs of each metric (one family per metric). `) +
    "δ: Cliff's delta of the first method " +
    `against the second (positive: the first tends to be larger). Significant: p_Holm < ${alpha}.` +
    (study ? '' : ` Paper: ${PAPER_FIG4.source}.`) +
    power
  return {
    methods: methods.map((m) => ({ key: m.key, label: m.label })),
    summary,
    tests,
    claims,
    alpha,
    weights,
    baseline: input.baseline ?? null,
    note
  }
}

/**
 * How small a Holm-adjusted p the seed counts allow: the family's size times the p of the two
 * largest groups completely separated, `untied` with distinct values (the usual case for real-valued
 * L2) and `tied` with each group's values all equal, the true floor (the tie correction shrinks the
 * variance, so ties within groups lower p). With 6 methods (15 pairs) at 6 seeds: 0.076 untied,
 * 0.019 tied; at 5 seeds: 0.18 and 0.060, so nothing can be significant. Null for fewer than two groups.
 */
export function holmFloor(sizes: readonly number[]): { untied: number; tied: number } | null {
  if (sizes.length < 2) return null
  const [n1, n2] = [...sizes].sort((a, b) => b - a)
  const pairs = (sizes.length * (sizes.length - 1)) / 2
  const p = (x: number[], y: number[]): number => Math.min(1, pairs * mannWhitneyU(x, y, 'asymptotic').p)
  const range = (n: number, from: number): number[] => Array.from({ length: n }, (_, i) => from + i)
  return {
    untied: p(range(n1, 0), range(n2, n1)),
    tied: p(Array<number>(n1).fill(0), Array<number>(n2).fill(1))
  }
}

/**
 * The CSV's columns: one tidy table of summary, test and claim rows (`section` tells which). A claim
 * row has its id in `claim`, the paper's claim and where it is made in `paper`, and our numbers in
 * `evidence`.
 */
export const REPORT_CSV_COLUMNS = [
  'section',
  'metric',
  'method',
  'method_b',
  'n',
  'n_b',
  'mean',
  'std',
  'median',
  'q1',
  'q3',
  'u',
  'p',
  'p_holm',
  'delta',
  'significant',
  'paper',
  'claim',
  'status',
  'evidence'
] as const
type CsvColumn = (typeof REPORT_CSV_COLUMNS)[number]

/** The table as one CSV (full precision; empty cells where a column does not apply; RFC 4180 quoting). */
export function tableToCsv(t: ReportTable): string {
  const row = (cells: Partial<Record<CsvColumn, string | number | null>>): string =>
    csvRecord(REPORT_CSV_COLUMNS.map((c) => cells[c] ?? null))
  const lines = [csvRecord(REPORT_CSV_COLUMNS)]
  for (const r of t.summary)
    lines.push(
      row({
        section: 'summary',
        metric: r.metric,
        method: r.method,
        n: r.n,
        mean: r.mean,
        std: r.std,
        median: r.median,
        q1: r.q1,
        q3: r.q3,
        paper: r.paper
      })
    )
  for (const r of t.tests)
    lines.push(
      row({
        section: 'test',
        metric: r.metric,
        method: r.a,
        method_b: r.b,
        n: r.n1,
        n_b: r.n2,
        u: r.u,
        p: r.p,
        p_holm: r.pHolm,
        delta: r.delta,
        significant: String(r.significant)
      })
    )
  for (const c of t.claims)
    lines.push(
      row({
        section: 'claim',
        claim: c.id,
        paper: `${c.claim} (${c.where})`,
        status: c.status,
        evidence: c.evidence
      })
    )
  return lines.join('\n') + '\n'
}

/** A Markdown table cell: pipes escaped, line breaks as spaces. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
const mdRow = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`

const STATUS_MARK: Record<ClaimCheck['status'], string> = {
  holds: '✓ holds',
  fails: '✗ fails',
  'not run': '– not run'
}

/** GitHub Markdown: a summary table per metric, the pairwise tests, then the paper's claims vs ours. */
export function tableToMarkdown(t: ReportTable): string {
  const label = new Map(t.methods.map((m) => [m.key, m.label]))
  const paper = t.baseline === null
  const out: string[] = []
  for (const metric of REPORT_METRICS) {
    const f = (v: number | null): string => formatMetric(metric, v)
    const head = ['method', 'n', 'mean ± std', 'median [IQR]']
    out.push(`### ${METRIC_TITLES[metric]}`, '', mdRow(paper ? [...head, 'paper'] : head))
    out.push(mdRow(paper ? ['---', '---:', '---:', '---:', '---'] : ['---', '---:', '---:', '---:']))
    for (const r of t.summary.filter((s) => s.metric === metric)) {
      const cells = [
        r.label,
        String(r.n),
        `${f(r.mean)} ± ${f(r.std)}`,
        `${f(r.median)} [${f(r.q1)}, ${f(r.q3)}]`
      ]
      out.push(mdRow(paper ? [...cells, r.paper ?? ''] : cells))
    }
    out.push('')
  }
  out.push(
    '### Pairwise tests',
    '',
    mdRow(['metric', 'a', 'b', 'U', 'p', 'p (Holm)', 'δ', `p_Holm < ${t.alpha}`])
  )
  out.push(mdRow(['---', '---', '---', '---:', '---:', '---:', '---:', ':---:']))
  for (const r of t.tests)
    out.push(
      mdRow([
        METRIC_TITLES[r.metric].split(' (')[0],
        label.get(r.a) ?? r.a,
        label.get(r.b) ?? r.b,
        String(r.u),
        formatP(r.p),
        formatP(r.pHolm),
        formatDelta(r.delta),
        r.significant ? 'yes' : 'no'
      ])
    )
  out.push('', `_${t.note}_`)
  if (!paper) return out.join('\n') + '\n'
  out.push('', "### Paper's claims vs ours", '', mdRow(['', 'claim', 'where', 'ours']))
  out.push(mdRow(['---', '---', '---', '---']))
  for (const c of t.claims) out.push(mdRow([STATUS_MARK[c.status], c.claim, c.where, c.evidence]))
  return out.join('\n') + '\n'
}
