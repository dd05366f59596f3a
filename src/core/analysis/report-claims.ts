/**
 * The ENOMAD paper's Fig. 4 numbers and claims, and their checks against our runs (issue 10's report;
 * the table itself is report-table.ts).
 *
 * Each check is a small function of the final values' means and, where the paper says one method
 * "beats" or is "worse" than another, of the Holm-corrected Mann–Whitney test of that pair (the
 * metric's family). A claim is made of parts (one per method or pair): it fails when a part that could
 * be checked fails, is "not run" when a method it needs is absent (and nothing failed), else holds.
 */
import type { SampleSummary } from './stats'
import { formatMetric, formatP, formatPercent, type ReportMetric } from './report-format'

/**
 * Everything the report quotes from the paper, in one place. Source: the ENOMAD paper, seed 000
 * (/work/shared/seeds/000_5c757e7ae231aaa7.txt): section 3 ("We next compared the performance of
 * ENOMAD with other optimization methods…"), the Fig. 4 caption and Suppl. Fig. S1's caption. Nothing
 * else is quoted as the paper's numbers.
 */
export const PAPER_FIG4 = {
  source: 'the ENOMAD paper (seed 000_5c757e7ae231aaa7), section 3, the Fig. 4 caption and Suppl. Fig. S1',
  /** The five methods of Fig. 4, and the random-init control of Suppl. Fig. S1. */
  methods: ['renomad', 'menomad', 'ea', 'es', 'cfnomad'],
  baselines: ['ea', 'es', 'cfnomad'],
  /** The paper's names of the methods, for a method that is not in our data. */
  labels: {
    renomad: 'rENOMAD',
    menomad: 'mENOMAD',
    ea: 'EA',
    es: 'OpenAI-ES',
    cfnomad: 'cfNOMAD',
    'renomad-random': 'rENOMAD, random init'
  } as Partial<Record<string, string>>,
  control: 'renomad-random',
  /** Section 3: "rENOMAD achieves the highest performance at the end of training, with 32.73 ± 1.66". */
  renomadFood: { mean: 32.73, std: 1.66, runs: 30 },
  /** Section 3: mENOMAD worms eat "on average, over 13.6% percent more food" than the pure EA's. */
  menomadOverEa: 0.136,
  /** Section 3: mENOMAD changes "less than 1% of the original connectome". */
  menomadL0Fraction: 0.01,
  /** The paper's numbers beside ours in the summary table, per method and metric. */
  cells: {
    renomad: { foodEaten: '32.73 ± 1.66 (30 runs)' },
    menomad: { foodEaten: '> 13.6 % more than the EA (means)', l0: '< 1 % of the weights' }
  } as Partial<Record<string, Partial<Record<ReportMetric, string>>>>,
  claims: [
    { id: 'renomad-food', where: '§3', text: 'rENOMAD eats 32.73 ± 1.66 food sources at the end (30 runs)' },
    { id: 'menomad-vs-ea', where: '§3', text: 'mENOMAD eats over 13.6 % more food than the pure EA (means)' },
    { id: 'menomad-l0', where: '§3', text: 'mENOMAD changes less than 1 % of the weights' },
    {
      id: 'enomad-beat-baselines',
      where: '§3, Fig. 4 caption',
      text: 'both rENOMAD and mENOMAD beat OpenAI-ES, the EA and cfNOMAD on food'
    },
    { id: 'renomad-highest', where: '§3, Fig. 4 caption', text: 'rENOMAD ends highest on food of the five' },
    { id: 'renomad-smallest-l2', where: 'Fig. 4 caption', text: 'rENOMAD has the smallest L2 of the five' },
    { id: 'menomad-smallest-l0', where: 'Fig. 4 caption', text: 'mENOMAD has the smallest L0 of the five' },
    {
      id: 'random-init-worse',
      where: '§3, Suppl. Fig. S1',
      text: 'rENOMAD from random weights ends clearly worse on food than rENOMAD'
    }
  ]
} as const

export type ClaimId = (typeof PAPER_FIG4.claims)[number]['id']
export type ClaimStatus = 'holds' | 'fails' | 'not run'

export interface ClaimCheck {
  id: ClaimId
  /** Where in the paper. */
  where: string
  /** The claim, as the paper makes it (paraphrased). */
  claim: string
  status: ClaimStatus
  /** Our numbers behind the verdict, one clause per part. */
  evidence: string
}

/** What the checks may read: our summaries and the Holm-corrected tests of the report. */
export interface ClaimContext {
  summary(metric: ReportMetric, method: string): SampleSummary | undefined
  /** The test of a against b in the metric's family; delta is oriented a against b. */
  test(metric: ReportMetric, a: string, b: string): { pHolm: number; delta: number } | undefined
  label(method: string): string
  /** Weights in the genome (the lab's connectome), for "% of the weights". */
  weights: number
  /** Significance level for the Holm-corrected p. */
  alpha: number
}

interface Part {
  ok: boolean | null
  text: string
}

const missing = (ctx: ClaimContext, method: string): Part => ({
  ok: null,
  text: `${ctx.label(method)} not run`
})

function combine(parts: Part[]): { status: ClaimStatus; evidence: string } {
  const status: ClaimStatus = parts.some((p) => p.ok === false)
    ? 'fails'
    : parts.some((p) => p.ok === null)
      ? 'not run'
      : 'holds'
  // a failing part is marked, so that the reader sees which comparison broke the claim
  const texts = parts.map((p) => (p.ok === false ? `${p.text} ✗` : p.text))
  return { status, evidence: [...new Set(texts)].join('; ') }
}

const mean = (ctx: ClaimContext, metric: ReportMetric, m: string): number | undefined =>
  ctx.summary(metric, m)?.mean

/** a's mean above b's and the Holm-corrected test significant ("a beats b"; "b is worse"). */
function beats(ctx: ClaimContext, metric: ReportMetric, a: string, b: string): Part {
  const ma = mean(ctx, metric, a)
  const mb = mean(ctx, metric, b)
  if (ma === undefined) return missing(ctx, a)
  if (mb === undefined) return missing(ctx, b)
  const t = ctx.test(metric, a, b)!
  const ok = ma > mb && t.pHolm < ctx.alpha
  const f = (v: number): string => formatMetric(metric, v)
  return {
    ok,
    text: `${ctx.label(a)} ${f(ma)} vs ${ctx.label(b)} ${f(mb)}, p_Holm = ${formatP(t.pHolm)}`
  }
}

/** `m`'s mean is the extreme (`sign` +1: highest, −1: lowest) among the five of Fig. 4. */
function extreme(ctx: ClaimContext, metric: ReportMetric, m: string, sign: 1 | -1): Part[] {
  const own = mean(ctx, metric, m)
  if (own === undefined) return [missing(ctx, m)]
  const f = (v: number): string => formatMetric(metric, v)
  return PAPER_FIG4.methods
    .filter((o) => o !== m)
    .map((o) => {
      const other = mean(ctx, metric, o)
      if (other === undefined) return missing(ctx, o)
      return {
        ok: sign * (own - other) > 0,
        text: `${ctx.label(m)} ${f(own)} ${sign > 0 ? '>' : '<'} ${ctx.label(o)} ${f(other)}`
      }
    })
}

const CHECKS: Record<ClaimId, (ctx: ClaimContext) => Part[]> = {
  // within one of the paper's standard deviations of its mean
  'renomad-food': (ctx) => {
    const s = ctx.summary('foodEaten', 'renomad')
    if (!s) return [missing(ctx, 'renomad')]
    const p = PAPER_FIG4.renomadFood
    const d = s.mean - p.mean
    return [
      {
        ok: Math.abs(d) <= p.std,
        text:
          `ours ${formatMetric('foodEaten', s.mean)} ± ${formatMetric('foodEaten', s.std)} (n = ${s.n}), ` +
          `paper ${p.mean} ± ${p.std} (${p.runs} runs): difference ${formatMetric('foodEaten', d)}, ` +
          `${Math.abs(d) <= p.std ? 'within' : 'beyond'} the paper's 1 std`
      }
    ]
  },
  'menomad-vs-ea': (ctx) => {
    const m = mean(ctx, 'foodEaten', 'menomad')
    const e = mean(ctx, 'foodEaten', 'ea')
    if (m === undefined) return [missing(ctx, 'menomad')]
    if (e === undefined) return [missing(ctx, 'ea')]
    const f = (v: number): string => formatMetric('foodEaten', v)
    const ratio = e > 0 ? ` (${formatPercent(m / e)})` : ''
    return [
      {
        ok: m > (1 + PAPER_FIG4.menomadOverEa) * e,
        text: `${ctx.label('menomad')} ${f(m)} vs ${ctx.label('ea')} ${f(e)}${ratio}`
      }
    ]
  },
  'menomad-l0': (ctx) => {
    const s = ctx.summary('l0', 'menomad')
    if (!s) return [missing(ctx, 'menomad')]
    const limit = PAPER_FIG4.menomadL0Fraction * ctx.weights
    const pct = ((100 * s.mean) / ctx.weights).toFixed(2)
    return [
      {
        ok: s.mean < limit,
        text: `mean L0 ${formatMetric('l0', s.mean)} of ${ctx.weights.toLocaleString('en-US')} weights (${pct} %; limit ${formatMetric('l0', limit)})`
      }
    ]
  },
  'enomad-beat-baselines': (ctx) =>
    ['renomad', 'menomad'].flatMap((a) => PAPER_FIG4.baselines.map((b) => beats(ctx, 'foodEaten', a, b))),
  'renomad-highest': (ctx) => extreme(ctx, 'foodEaten', 'renomad', 1),
  'renomad-smallest-l2': (ctx) => extreme(ctx, 'l2', 'renomad', -1),
  'menomad-smallest-l0': (ctx) => extreme(ctx, 'l0', 'menomad', -1),
  'random-init-worse': (ctx) => [beats(ctx, 'foodEaten', 'renomad', PAPER_FIG4.control)]
}

/** Every claim of PAPER_FIG4, checked against `ctx`, in the paper's order. */
export function checkClaims(ctx: ClaimContext): ClaimCheck[] {
  return PAPER_FIG4.claims.map((c) => ({
    id: c.id,
    where: c.where,
    claim: c.text,
    ...combine(CHECKS[c.id](ctx))
  }))
}
