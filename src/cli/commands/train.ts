import { readFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { ALGORITHM_NAMES, describeConfig } from '../../core/training/config'
import type { AlgorithmName, GenerationReport } from '../../core/training/types'
import type { Budget, RunRow } from '../../engine/store/store'
import type { RunManager } from '../../engine/runs/manager'
import { withEngine } from '../context'
import { Progress } from '../progress'
import { writeGenomeExport } from './export'

export const intArg =
  (min: number) =>
  (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`)
    return n
  }

export const positiveArg = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got '${value}'`)
  return n
}

export function algorithmArg(value: string): AlgorithmName {
  if (!(ALGORITHM_NAMES as string[]).includes(value)) {
    throw new InvalidArgumentError(
      `unknown algorithm '${value}': expected one of ${ALGORITHM_NAMES.join(', ')}`
    )
  }
  return value as AlgorithmName
}

/** `--config` takes inline JSON or a path to a JSON file. */
export function readConfigOption(value: string | undefined): Record<string, unknown> {
  if (!value) return {}
  let text = value
  if (!value.trim().startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8')
    } catch (e) {
      throw new Error(
        `cannot read --config file '${value}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`
      )
    }
  }
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch (e) {
    throw new Error(`--config is not valid JSON: ${(e as Error).message}`)
  }
}

export function formatGeneration(r: GenerationReport): string {
  const secs = (ms: number) => (ms / 1000).toFixed(2)
  return (
    `gen ${String(r.generation).padStart(4)}  best ${r.best.fitness.toFixed(3).padStart(9)}  food ${String(r.best.foodEaten).padStart(2)}` +
    `  L0 ${String(r.best.l0).padStart(4)}  L2 ${r.best.l2.toFixed(2).padStart(7)}` +
    `  pop ${r.bestFitness.toFixed(1)}/${r.meanFitness.toFixed(1)}/${r.worstFitness.toFixed(1)}` +
    `  evals ${r.totalEvaluations}  ${secs(r.wallMs)}s (rollouts ${secs(r.rolloutMs)}s, mads ${secs(r.madsMs)}s)`
  )
}

export interface BudgetOptions {
  generations?: number
  evaluations?: number
  seconds?: number
}

export function budgetOf(o: BudgetOptions, fallback: Budget): Budget {
  const b: Budget = {}
  if (o.generations) b.generations = o.generations
  if (o.evaluations) b.evaluations = o.evaluations
  if (o.seconds) b.seconds = o.seconds
  return Object.keys(b).length ? b : fallback
}

export const addBudgetOptions = (c: Command): Command =>
  c
    .option(
      '--generations <n>',
      'budget: generations (train defaults to 10 when no budget is given)',
      intArg(1)
    )
    .option('--evaluations <n>', 'budget: rollouts', intArg(1))
    .option('--seconds <s>', 'budget: wall-clock seconds', positiveArg)

export const addEngineOptions = (c: Command): Command =>
  c
    .option('--db <path>', 'workspace database (default: the per-user file shared with the desktop app)')
    .option('--workers <n>', 'worker processes (default: CPU count − 1)', intArg(1))

/** Runs one run to its end with a progress bar and a line per generation; returns the final row. */
export async function driveRun(manager: RunManager, run: RunRow, json: boolean): Promise<RunRow> {
  const progress = new Progress()
  const onProgress = (e: Parameters<Progress['update']>[1]) => {
    if (e.runId !== run.id) return
    progress.log(
      json
        ? JSON.stringify({ runId: e.runId, ...e.report, transportMs: e.transportMs })
        : formatGeneration(e.report)
    )
    progress.update(`${run.algorithm} ${run.id}`, e)
  }
  manager.on('progress', onProgress)
  try {
    return await manager.start(run.id)
  } finally {
    manager.off('progress', onProgress)
    progress.stop()
  }
}

export function registerTrainCommand(program: Command): void {
  const cmd = program
    .command('train')
    .description('train the connectome with one algorithm; the run is stored and can be resumed')
    .requiredOption('--algo <name>', `algorithm: ${ALGORITHM_NAMES.join(' | ')}`, algorithmArg)
    .option('--task <name>', 'food layout: triangle … octagon, or random:SEED', 'pentagon')
    .option('--seed <s>', 'random seed', intArg(0), 1)
    .option('--config <json|file>', 'hyperparameters as JSON (see --list-config)')
    .option('--list-config', 'print every hyperparameter of --algo with its default and exit')
    .option('--name <name>', 'a name for the run')
    .option('--out <file>', 'write the best genome as JSON (readable by `lab rollout --genome`)')
    .option('--json', 'print one JSON report per generation')
  addBudgetOptions(cmd)
  addEngineOptions(cmd)
  cmd.action(
    async (
      opts: BudgetOptions & {
        algo: AlgorithmName
        task: string
        seed: number
        config?: string
        listConfig?: boolean
        name?: string
        out?: string
        json?: boolean
        db?: string
        workers?: number
      }
    ) => {
      if (opts.listConfig) {
        for (const { key, default: d, doc } of describeConfig(opts.algo)) {
          process.stdout.write(`${key.padEnd(18)} ${JSON.stringify(d).padEnd(12)} ${doc}\n`)
        }
        return
      }
      const config = readConfigOption(opts.config)
      await withEngine(opts, async ({ store, manager }) => {
        const run = manager.create({
          algorithm: opts.algo,
          task: opts.task,
          seed: opts.seed,
          config,
          budget: budgetOf(opts, { generations: 10 }),
          name: opts.name
        })
        if (!opts.json)
          process.stdout.write(`run ${run.id}: ${run.algorithm} on ${run.task}, seed ${run.seed}\n`)
        const done = await driveRun(manager, run, Boolean(opts.json))
        if (opts.out) writeGenomeExport(store, done.id, 'json', opts.out)
        if (!opts.json) {
          process.stdout.write(
            `run ${done.id} ${done.status}: ${done.generation} generations, best food ${done.bestFoodEaten}\n`
          )
          if (opts.out) process.stdout.write(`best genome written to ${opts.out}\n`)
        }
      })
    }
  )
}
