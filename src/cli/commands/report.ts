import { InvalidArgumentError, type Command } from 'commander'
import { FIGS1_METHODS, PAPER_ROLLOUTS, PAPER_SEEDS } from '../../core/analysis/fig4-figure'
import { ALGORITHM_NAMES } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { taskByName } from '../../core/tasks/tasks'
import {
  createMissing,
  methodArms,
  planReport,
  planSummary,
  type ReportArm,
  type ReportDesign
} from '../../engine/report/plan'
import { checkReportDir, writeReport, type ReportKind } from '../../engine/report/write'
import { runSweep } from '../../engine/runs/sweeps'
import { addEngineOptions, algorithmArg, intArg, LIMITS, readJsonOption } from '../args'
import { withEngine } from '../context'
import { formatMetrics } from '../format'
import { Progress } from '../progress'
import { seedsArg } from './sweep'

const methodsArg = (value: string): AlgorithmName[] => {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const m of list)
    if (!(ALGORITHM_NAMES as string[]).includes(m))
      throw new InvalidArgumentError(`unknown method '${m}' (expected ${ALGORITHM_NAMES.join(', ')})`)
  if (list.length === 0) throw new InvalidArgumentError('give at least one method')
  return [...new Set(list)] as AlgorithmName[]
}

const taskArg = (t: string): string => {
  try {
    taskByName(t)
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message)
  }
  return t
}

/** `NAME=JSON`: a study arm, the baseline's config with these overrides. */
const armArg = (value: string, previous: { label: string; json: string }[] = []) => {
  const at = value.indexOf('=')
  if (at <= 0)
    throw new InvalidArgumentError(`an arm is NAME=JSON, e.g. 'block 4={"madsBlockSize":4}' (got '${value}')`)
  return [...previous, { label: value.slice(0, at).trim(), json: value.slice(at + 1) }]
}

interface CommonOptions {
  seeds: number[]
  task: string
  evaluations: number
  out: string
  concurrency: number
  train: boolean
  db?: string
  workers?: number
}

/** The shell of every report: plan the cells, train what is missing (resumable), write the files. */
async function runReport(
  kind: ReportKind,
  design: ReportDesign,
  opts: CommonOptions,
  o: { title: string; command: string; baseline?: string }
): Promise<void> {
  checkReportDir(opts.out, kind) // a bad --out fails now, not after hours of training
  await withEngine(opts, opts.train ? 'write' : 'read', async ({ store, manager }) => {
    const cells = planReport(store, design) // validates every run before anything is written
    process.stdout.write(
      `${kind} (${design.task}, ${design.evaluations.toLocaleString('en-US')} rollouts): ${planSummary(cells)}\n`
    )
    if (opts.train) {
      createMissing(store, cells, design, o.title)
      const todo = cells.filter((c) => c.action === 'resume')
      if (todo.length > 0) {
        const progress = new Progress()
        manager.on('progress', (e) => {
          const cell = todo.find((c) => c.run!.id === e.runId)
          if (cell) progress.update(`${cell.arm} s${cell.seed}`, cell.run!.environment, e)
        })
        try {
          await runSweep(
            manager,
            todo.map((c) => c.run!),
            {
              concurrency: opts.concurrency,
              onRunDone: (done, finished, eta) =>
                progress.log(
                  `[${finished}/${todo.length}] ${done.id}  ${todo.find((c) => c.run!.id === done.id)!.arm.padEnd(14)} seed ${String(done.seed).padStart(3)}  ` +
                    `${done.status}  ${formatMetrics(done.environment, done.bestMetrics)}  report ETA ${Math.round(eta)} s`
                )
            }
          )
        } finally {
          progress.stop()
        }
      }
    }
    const final = planReport(store, design)
    const missing = final.filter((c) => c.action !== 'done').length
    const files = writeReport(store, kind, final, design, opts.out, { ...o, missing })
    process.stdout.write(
      `${missing === 0 ? 'complete' : `partial: ${missing} of ${final.length} runs not done`}; wrote ${files.join(', ')}\n`
    )
  })
}

const seedText = (seeds: number[]): string =>
  seeds.length > 1 && seeds.every((s, i) => s === seeds[0] + i)
    ? `${seeds[0]}-${seeds[seeds.length - 1]}`
    : seeds.join(',')
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** The command that regenerates a report (for its README). */
function commandOf(head: string, o: CommonOptions, extra: string[]): string {
  const parts = [
    head,
    `--seeds ${seedText(o.seeds)}`,
    `--task ${o.task}`,
    `--evaluations ${o.evaluations}`,
    ...extra
  ]
  if (o.db) parts.push(`--db ${o.db}`)
  parts.push(`--out ${o.out}`)
  return parts.join(' ')
}

function addCommonOptions(cmd: Command, out: string): Command {
  cmd
    .option(
      '--seeds <spec>',
      'seeds: a count (30), a range (1-30) or a list',
      seedsArg,
      seedsArg(String(PAPER_SEEDS))
    )
    .option('--task <task>', 'the food task', taskArg, 'pentagon')
    .option(
      '--evaluations <n>',
      'rollouts per run (default: the paper’s, rENOMAD’s 14 generations × 64 × 200)',
      intArg(1, LIMITS.evaluations),
      PAPER_ROLLOUTS
    )
    .option('--out <dir>', 'where the figures and tables go', out)
    .option('--concurrency <k>', 'runs at once, sharing the worker pool', intArg(1, LIMITS.concurrency), 2)
    .option('--no-train', 'draw from the completed runs only; train nothing')
  return addEngineOptions(cmd)
}

export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description(
      'reproduce a figure of the papers, or a study of variants, from stored runs, training what is missing'
    )
  const fig4 = report
    .command('fig4')
    .description(
      'the ENOMAD paper’s Fig. 4 and Suppl. Fig. S1: methods × seeds at an equal rollout budget, ' +
        'their figures (PNG, SVG) and statistics (CSV, Markdown); run it again to resume'
    )
    .option(
      '--methods <list>',
      'comma-separated methods; renomad-random is Suppl. Fig. S1’s control',
      methodsArg,
      [...FIGS1_METHODS]
    )
    .option('--config <json>', 'hyperparameter overrides per method as JSON: {"renomad": {...}}')
  addCommonOptions(fig4, 'fig4-report').action(
    async (opts: CommonOptions & { methods: AlgorithmName[]; config?: string }) => {
      const config = readJsonOption(opts.config, '--config') as Partial<
        Record<AlgorithmName, Record<string, unknown>>
      >
      const design: ReportDesign = { ...designOf(opts), arms: methodArms(opts.methods, config) }
      const extra =
        opts.methods.join(',') === FIGS1_METHODS.join(',') ? [] : [`--methods ${opts.methods.join(',')}`]
      if (opts.config) extra.push(`--config ${quote(opts.config)}`)
      await runReport('fig4', design, opts, {
        title: 'Fig. 4 reproduction',
        command: commandOf('npm run lab -- report fig4', opts, extra)
      })
    }
  )
  const study = report
    .command('study')
    .description(
      'variants of one method at an equal rollout budget: the baseline (its defaults, or --base) and ' +
        'each --arm, tested against the baseline; a figure (PNG, SVG) and statistics (CSV, Markdown)'
    )
    .requiredOption('--algo <name>', 'the method', algorithmArg)
    .requiredOption(
      '--arm <name=json>',
      'an arm: a name and its overrides of the baseline (repeat it)',
      armArg
    )
    .option('--base <json>', 'the baseline’s overrides of the defaults', '{}')
    .option('--base-name <name>', 'the baseline’s name', 'defaults')
    .option('--title <text>', 'the study’s title', 'Study')
  addCommonOptions(study, 'study-report').action(
    async (
      opts: CommonOptions & {
        algo: AlgorithmName
        arm: { label: string; json: string }[]
        base: string
        baseName: string
        title: string
      }
    ) => {
      const base = readJsonOption(opts.base, '--base')
      const arms: ReportArm[] = [
        { key: 'baseline', label: opts.baseName, algorithm: opts.algo, config: base },
        ...opts.arm.map((a, i) => ({
          key: `arm${i + 1}`,
          label: a.label,
          algorithm: opts.algo,
          config: { ...base, ...readJsonOption(a.json, `--arm ${a.label}`) }
        }))
      ]
      const extra = [`--algo ${opts.algo}`, ...opts.arm.map((a) => `--arm ${quote(`${a.label}=${a.json}`)}`)]
      if (opts.base !== '{}') extra.push(`--base ${quote(opts.base)}`)
      if (opts.baseName !== 'defaults') extra.push(`--base-name ${quote(opts.baseName)}`)
      if (opts.title !== 'Study') extra.push(`--title ${quote(opts.title)}`)
      await runReport('study', { ...designOf(opts), arms }, opts, {
        title: opts.title,
        command: commandOf('npm run lab -- report study', opts, extra),
        baseline: 'baseline'
      })
    }
  )
}

const designOf = (o: CommonOptions) => ({ task: o.task, seeds: o.seeds, evaluations: o.evaluations })
