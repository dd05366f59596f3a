import { InvalidArgumentError, type Command } from 'commander'
import { ALGORITHM_NAMES } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { taskByName } from '../../core/tasks/tasks'
import { createSweep, runSweep, sweepRuns, unfinishedRuns } from '../../engine/runs/sweeps'
import type { RunRow } from '../../engine/store/store'
import {
  addBudgetOptions,
  addEngineOptions,
  budgetOf,
  intArg,
  LIMITS,
  readJsonOption,
  type BudgetOptions
} from '../args'
import { checkIdSyntax } from '../../engine/store/errors'
import { withEngine } from '../context'
import { formatMetrics } from '../format'
import { Progress } from '../progress'
import { runJson } from './runs'

/** The most seeds a sweep takes (the app's limit too: src/shared/api-runs.ts). */
export const MAX_SWEEP_SEEDS = 1000

/** "1-30", "1,2,5" or "3" (a count: seeds 1..3); at most MAX_SWEEP_SEEDS seeds from 0 to 2³² − 1. */
export function seedsArg(value: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(value)
  const count = /^\d+$/.test(value) ? Number(value) : null
  const n = range ? Number(range[2]) - Number(range[1]) + 1 : count
  if (n !== null && (n < 1 || n > MAX_SWEEP_SEEDS))
    throw new InvalidArgumentError(
      `a sweep takes 1 to ${MAX_SWEEP_SEEDS} seeds, not ${range ? `${n} (${value})` : value}`
    )
  if (range) return Array.from({ length: n! }, (_, i) => Number(range[1]) + i)
  if (count !== null) return Array.from({ length: count }, (_, i) => i + 1)
  const list = value.split(',').map((s) => s.trim())
  if (list.length > MAX_SWEEP_SEEDS || list.some((s) => !/^\d+$/.test(s) || Number(s) > 2 ** 32 - 1))
    throw new InvalidArgumentError(
      `bad seed list '${value}': up to ${MAX_SWEEP_SEEDS} seeds from 0 to 4294967295`
    )
  return list.map(Number)
}

const listArg =
  (check: (s: string) => void) =>
  (value: string): string[] => {
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    items.forEach(check)
    return items
  }

export function registerSweepCommand(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('run algorithms × tasks × seeds with an equal budget per run (e.g. the paper’s Fig. 4)')
    .option(
      '--algos <list>',
      `comma-separated algorithms (${ALGORITHM_NAMES.join(', ')})`,
      listArg((a) => {
        if (!(ALGORITHM_NAMES as string[]).includes(a))
          throw new InvalidArgumentError(`unknown algorithm '${a}'`)
      }),
      ['renomad', 'menomad', 'ea', 'es', 'cfnomad']
    )
    .option(
      '--tasks <list>',
      'comma-separated tasks',
      listArg((t) => {
        try {
          taskByName(t)
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message)
        }
      }),
      ['pentagon']
    )
    .option(
      '--seeds <spec>',
      'seeds: a count (30), a range (1-30) or a list (1,2,5)',
      seedsArg,
      seedsArg('30')
    )
    .option('--config <json>', 'hyperparameters per algorithm as JSON: {"renomad": {...}, "es": {...}}')
    .option('--name <name>', 'a name for the sweep')
    .option(
      '--concurrency <k>',
      'runs at once, sharing the worker pool fairly',
      intArg(1, LIMITS.concurrency),
      1
    )
    .option('--continue <sweep>', 'continue an interrupted sweep: run its unfinished runs')
    .option('--json', 'print the sweep id and its runs as JSON at the end')
  addBudgetOptions(cmd)
  addEngineOptions(cmd)
  cmd.action(
    async (
      opts: BudgetOptions & {
        algos: AlgorithmName[]
        tasks: string[]
        seeds: number[]
        config?: string
        name?: string
        concurrency: number
        continue?: string
        json?: boolean
        db?: string
        workers?: number
      }
    ) => {
      const perAlgo = readJsonOption(opts.config, '--config') as Record<string, Record<string, unknown>>
      const budget = budgetOf(opts, { seconds: 60 })
      const design = { algorithms: opts.algos, tasks: opts.tasks, seeds: opts.seeds, budget, config: perAlgo }
      if (opts.continue !== undefined) checkIdSyntax(opts.continue, 'sweep id')
      else sweepRuns(design) // every run is valid before anything is opened or written
      // A new sweep may create the workspace; --continue needs the one that holds the sweep.
      await withEngine(opts, opts.continue !== undefined ? 'read' : 'write', async ({ store, manager }) => {
        let sweepId: string
        let runs: RunRow[]
        let budgetShown = budget
        if (opts.continue !== undefined) {
          sweepId = opts.continue
          runs = unfinishedRuns(store, sweepId)
          budgetShown = runs[0]?.budget ?? budget
        } else {
          ;({ id: sweepId, runs } = createSweep(store, design, opts.name))
        }
        if (!opts.json)
          process.stdout.write(
            `sweep ${sweepId}: ${runs.length} runs, budget ${JSON.stringify(budgetShown)} each\n`
          )
        const progress = new Progress()
        manager.on('progress', (e) => {
          const run = runs.find((r) => r.id === e.runId)
          if (run) progress.update(`${run.algorithm} ${run.task} s${run.seed}`, run.environment, e)
        })
        try {
          await runSweep(manager, runs, {
            concurrency: opts.concurrency,
            onRunDone: (done, finished, eta) => {
              if (opts.json) return
              progress.log(
                `[${finished}/${runs.length}] ${done.id}  ${done.algorithm.padEnd(14)} ${done.task} seed ${String(done.seed).padStart(3)}  ` +
                  `${done.status}  ${formatMetrics(done.environment, done.bestMetrics)}  fitness ${done.bestFitness?.toFixed(2)}  sweep ETA ${Math.round(eta)} s`
              )
            }
          })
        } finally {
          progress.stop()
        }
        const final = store.listRuns({ sweepId })
        if (opts.json) process.stdout.write(JSON.stringify({ sweepId, runs: final.map(runJson) }) + '\n')
        else process.stdout.write(`sweep ${sweepId} done: see \`lab runs --sweep ${sweepId}\`\n`)
      })
    }
  )
}
