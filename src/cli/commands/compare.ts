/**
 * `lab compare <ids...> [--sweep ID] [--group-by KEY] [--metric M] [--x AXIS] [--json]`: groups of runs
 * compared as in the Compare view (the engine's src/engine/analysis/compare.ts): per group n, the final
 * value's mean ± std (ddof = 1) and median, then the pairwise Mann–Whitney U p-values.
 */
import type { Command } from 'commander'
import { buildComparison } from '../../engine/analysis/compare'
import { COMPARE_X_AXES, runsCompareRequestSchema, type RunsCompareResponse } from '../../shared/api-compare'
import { openStore } from '../context'
import { table } from '../format'

const num = (v: number | null): string =>
  v === null ? '-' : Math.abs(v) >= 1e5 ? v.toExponential(3) : v.toFixed(3)
export const formatP = (p: number): string => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4))

/** The text report: the groups' final values, then the p-value matrix (upper and lower triangle). */
export function formatComparison(c: RunsCompareResponse): string {
  const keys = c.groups.map((g) => g.key)
  let out = `${c.runs.length} runs grouped by ${c.groupBy}; final ${c.metric} (x: ${c.x}; std with ddof=1)\n\n`
  out += table([
    [c.groupBy.toUpperCase(), 'N', 'FINAL MEAN ± STD', 'MEDIAN', 'MIN', 'MAX'],
    ...c.groups.map((g) => [
      g.key,
      String(g.summary.n),
      `${num(g.summary.mean)} ± ${num(g.summary.std)}`,
      num(g.summary.median),
      num(g.summary.min),
      num(g.summary.max)
    ])
  ])
  if (keys.length < 2) return out + '\n(one group: no Mann–Whitney tests)\n'
  const p = (a: string, b: string): string => {
    if (a === b) return '-'
    const t = c.tests.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a))
    return t ? formatP(t.p) : '?'
  }
  out += `\nMann–Whitney U, two-sided p-values of the final values:\n`
  out += table([['', ...keys], ...keys.map((a) => [a, ...keys.map((b) => p(a, b))])])
  if (c.configDiff.length) out += `\nconfig keys that differ: ${c.configDiff.map((d) => d.key).join(', ')}\n`
  return out
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('compare groups of runs: final values per group and pairwise Mann–Whitney U tests')
    .argument('[ids...]', 'run ids or unique prefixes')
    .option('--sweep <id>', 'every run of a sweep (with or without ids)')
    .option(
      '--group-by <key>',
      'a config or summary key: algorithm, task, seed, sweep, a hyperparameter…',
      'algorithm'
    )
    .option(
      '--metric <m>',
      'bestFitness, meanFitness, worstFitness or an environment metric (foodEaten, l0, l2…)',
      'bestFitness'
    )
    .option('--x <axis>', `x axis of the aligned curves: ${COMPARE_X_AXES.join(', ')}`, 'evaluations')
    .option('--json', 'print the whole comparison as JSON')
    .option('--db <path>', 'workspace database')
    .action(
      (
        ids: string[],
        opts: { sweep?: string; groupBy: string; metric: string; x: string; json?: boolean; db?: string }
      ) => {
        const parsed = runsCompareRequestSchema.safeParse({
          ids: ids.length ? ids : undefined,
          sweepId: opts.sweep,
          groupBy: opts.groupBy,
          metric: opts.metric,
          x: opts.x
        })
        if (!parsed.success) {
          const flag: Record<string, string> = {
            ids: 'run ids',
            sweepId: '--sweep',
            groupBy: '--group-by',
            metric: '--metric',
            x: '--x'
          }
          const i = parsed.error.issues[0]
          const field = String(i.path[0] ?? 'ids')
          const detail = field === 'ids' && ids.length === 0 ? 'give run ids or --sweep ID' : i.message
          throw new Error(`${flag[field] ?? field}: ${detail}`)
        }
        const store = openStore(opts, 'read')
        try {
          const c = buildComparison(store, parsed.data)
          process.stdout.write(opts.json ? JSON.stringify(c) + '\n' : formatComparison(c))
        } finally {
          store.close()
        }
      }
    )
}
