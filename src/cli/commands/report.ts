import { InvalidArgumentError, type Command } from 'commander'
import { ALGORITHM_NAMES } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { taskByName } from '../../core/tasks/tasks'
import { FIGS1_METHODS } from '../../core/analysis/fig4-figure'
import {
  createMissing,
  PAPER_ROLLOUTS,
  PAPER_SEEDS,
  planFig4,
  planSummary,
  type Fig4Design
} from '../../engine/report/fig4-plan'
import { checkReportDir, writeFig4Report } from '../../engine/report/fig4-report'
import { runSweep } from '../../engine/runs/sweeps'
import { addEngineOptions, intArg, LIMITS, readJsonOption } from '../args'
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

interface ReportOptions {
  seeds: number[]
  task: string
  evaluations: number
  methods: AlgorithmName[]
  config?: string
  out: string
  concurrency: number
  train: boolean
  db?: string
  workers?: number
}

/** The command that regenerates this report (for its README). */
function reportCommand(o: ReportOptions): string {
  const seeds =
    o.seeds.length > 1 && o.seeds.every((s, i) => s === o.seeds[0] + i)
      ? `${o.seeds[0]}-${o.seeds[o.seeds.length - 1]}`
      : o.seeds.join(',')
  const parts = [
    'npm run lab -- report fig4',
    `--seeds ${seeds}`,
    `--task ${o.task}`,
    `--evaluations ${o.evaluations}`
  ]
  if (o.methods.join(',') !== FIGS1_METHODS.join(',')) parts.push(`--methods ${o.methods.join(',')}`)
  if (o.config) parts.push(`--config '${o.config}'`)
  if (o.db) parts.push(`--db ${o.db}`)
  parts.push(`--out ${o.out}`)
  return parts.join(' ')
}

export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description('reproduce a figure of the papers from stored runs, training what is missing')
  const cmd = report
    .command('fig4')
    .description(
      'the ENOMAD paper’s Fig. 4 and Suppl. Fig. S1: methods × seeds at an equal rollout budget, ' +
        'their figures (PNG, SVG) and statistics (CSV, Markdown); run it again to resume'
    )
    .option(
      '--seeds <spec>',
      'seeds: a count (30), a range (1-30) or a list',
      seedsArg,
      seedsArg(String(PAPER_SEEDS))
    )
    .option('--task <task>', 'the food task', taskArg, 'pentagon')
    .option(
      '--evaluations <n>',
      'rollouts per run (the paper: rENOMAD’s 14 generations × 64 × 200)',
      intArg(1, LIMITS.evaluations),
      PAPER_ROLLOUTS
    )
    .option(
      '--methods <list>',
      'comma-separated methods; renomad-random is Suppl. Fig. S1’s control',
      methodsArg,
      [...FIGS1_METHODS]
    )
    .option('--config <json>', 'hyperparameter overrides per method as JSON: {"renomad": {...}}')
    .option('--out <dir>', 'where the figures and tables go', 'fig4-report')
    .option('--concurrency <k>', 'runs at once, sharing the worker pool', intArg(1, LIMITS.concurrency), 2)
    .option('--no-train', 'draw from the completed runs only; train nothing')
  addEngineOptions(cmd)
  cmd.action(async (opts: ReportOptions) => {
    const design: Fig4Design = {
      task: opts.task,
      seeds: opts.seeds,
      evaluations: opts.evaluations,
      methods: opts.methods,
      config: readJsonOption(opts.config, '--config') as Fig4Design['config']
    }
    checkReportDir(opts.out) // a bad --out fails now, not after hours of training
    await withEngine(opts, opts.train ? 'write' : 'read', async ({ store, manager }) => {
      const cells = planFig4(store, design) // validates every run before anything is written
      process.stdout.write(
        `fig4 (${opts.task}, ${opts.evaluations.toLocaleString('en-US')} rollouts): ${planSummary(cells)}\n`
      )
      if (opts.train) {
        createMissing(store, cells, design)
        const todo = cells.filter((c) => c.action === 'resume').map((c) => c.run!)
        if (todo.length > 0) {
          const progress = new Progress()
          manager.on('progress', (e) => {
            const run = todo.find((r) => r.id === e.runId)
            if (run) progress.update(`${run.algorithm} s${run.seed}`, run.environment, e)
          })
          try {
            await runSweep(manager, todo, {
              concurrency: opts.concurrency,
              onRunDone: (done, finished, eta) =>
                progress.log(
                  `[${finished}/${todo.length}] ${done.id}  ${done.algorithm.padEnd(14)} seed ${String(done.seed).padStart(3)}  ` +
                    `${done.status}  ${formatMetrics(done.environment, done.bestMetrics)}  report ETA ${Math.round(eta)} s`
                )
            })
          } finally {
            progress.stop()
          }
        }
      }
      const final = planFig4(store, design)
      const done = final.filter((c) => c.action === 'done').map((c) => c.run!)
      const missing = final.length - done.length
      const files = writeFig4Report(store, done, design, opts.out, { command: reportCommand(opts), missing })
      process.stdout.write(
        `${missing === 0 ? 'complete' : `partial: ${missing} of ${final.length} runs not done`}; wrote ${files.join(', ')}\n`
      )
    })
  })
}
