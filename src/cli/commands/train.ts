import { readFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { genomeToJson } from '../../core/connectome/genome'
import { ALGORITHM_NAMES, describeConfig } from '../../core/optimizers/config'
import { InProcessEvaluator } from '../../core/optimizers/evaluator'
import { createAlgorithm } from '../../core/optimizers/registry'
import type { AlgorithmName, GenerationReport } from '../../core/optimizers/types'
import { taskByName } from '../../core/tasks/tasks'
import { writeFileAtomic } from '../../engine/fs-util'
import { readConnectome } from '../../engine/resources'

export const intArg =
  (min: number) =>
  (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'`)
    return n
  }

export function algorithmArg(value: string): AlgorithmName {
  if (!(ALGORITHM_NAMES as string[]).includes(value)) {
    throw new InvalidArgumentError(`unknown algorithm '${value}': expected one of ${ALGORITHM_NAMES.join(', ')}`)
  }
  return value as AlgorithmName
}

/** `--config` takes inline JSON or a path to a JSON file. */
export function readConfigOption(value: string | undefined): Record<string, unknown> {
  if (!value) return {}
  const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8')
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

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the connectome with one algorithm, printing one line per generation')
    .requiredOption('--algo <name>', `algorithm: ${ALGORITHM_NAMES.join(' | ')}`, algorithmArg)
    .option('--task <name>', 'food layout: triangle … octagon, or random:SEED', 'pentagon')
    .option('--generations <n>', 'generations to run', intArg(1), 10)
    .option('--seed <s>', 'random seed', intArg(0), 1)
    .option('--config <json|file>', 'hyperparameters as JSON (see --list-config)')
    .option('--list-config', 'print every hyperparameter of --algo with its default and exit')
    .option('--out <file>', 'write the best genome (JSON, readable by `lab rollout --genome`)')
    .option('--json', 'print one JSON report per generation')
    .action(
      async (opts: {
        algo: AlgorithmName
        task: string
        generations: number
        seed: number
        config?: string
        listConfig?: boolean
        out?: string
        json?: boolean
      }) => {
        if (opts.listConfig) {
          for (const { key, default: d, doc } of describeConfig(opts.algo)) {
            process.stdout.write(`${key.padEnd(18)} ${JSON.stringify(d).padEnd(12)} ${doc}\n`)
          }
          return
        }
        const connectome = readConnectome()
        const config = { ...readConfigOption(opts.config), task: opts.task }
        const algo = createAlgorithm(opts.algo, config, connectome.w0, opts.seed)
        const task = taskByName(opts.task)
        const evaluator = new InProcessEvaluator(connectome, task, (config as { model?: object }).model ?? {})
        for (let g = 0; g < opts.generations; g++) {
          const report = await algo.step(evaluator)
          process.stdout.write((opts.json ? JSON.stringify(report) : formatGeneration(report)) + '\n')
        }
        const best = algo.best()
        if (opts.out && best) {
          const meta = { algorithm: opts.algo, task: opts.task, seed: opts.seed, generations: opts.generations, ...best.evaluation }
          writeFileAtomic(opts.out, JSON.stringify(genomeToJson(connectome, best.genome, meta)) + '\n')
          if (!opts.json) process.stdout.write(`best genome written to ${opts.out}\n`)
        }
      }
    )
}
