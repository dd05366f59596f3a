import type { Command } from 'commander'
import { ALGORITHM_NAMES, describeConfig } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import {
  addBudgetOptions,
  addEngineOptions,
  addEnvOptions,
  algorithmArg,
  budgetOf,
  environmentOf,
  intArg,
  LIMITS,
  readJsonOption,
  type BudgetOptions,
  type EnvOptions
} from '../args'
import { resolveRunSpec } from '../../engine/runs/spec'
import { checkOutputPath } from '../../engine/fs-util'
import { defaultDbPath } from '../../engine/paths'
import { withEngine } from '../context'
import { driveRun } from '../drive'
import { formatMetrics } from '../format'
import { writeGenomeExport } from './export'

export function registerTrainCommand(program: Command): void {
  const cmd = program
    .command('train')
    .description(
      'train one environment (default: the worm connectome) with one algorithm; the run is stored and can be resumed'
    )
    .requiredOption('--algo <name>', `algorithm: ${ALGORITHM_NAMES.join(' | ')}`, algorithmArg)
    .option('--seed <s>', 'random seed, 0 to 2³² − 1', intArg(0, LIMITS.seed), 1)
    .option('--config <json|file>', 'hyperparameters as JSON (see --list-config)')
    .option('--list-config', 'print every hyperparameter of --algo with its default and exit')
    .option('--name <name>', 'a name for the run')
    .option('--out <file>', 'write the best genome as JSON (readable by `lab rollout --genome`)')
    .option('--json', 'print one JSON report per generation')
  addEnvOptions(cmd)
  addBudgetOptions(cmd)
  addEngineOptions(cmd)
  cmd.action(
    async (
      opts: BudgetOptions &
        EnvOptions & {
          algo: AlgorithmName
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
        for (const { key, default: d, doc, min, max } of describeConfig(opts.algo)) {
          const range = `${min ?? '−∞'} … ${max ?? '∞'}`
          process.stdout.write(
            `${key.padEnd(18)} ${JSON.stringify(d).padEnd(8)} ${range.padEnd(18)} ${doc}\n`
          )
        }
        return
      }
      // Checked before anything is trained or stored: a bad --out must not waste a whole run.
      if (opts.out !== undefined) checkOutputPath(opts.out, '--out', { avoid: [opts.db ?? defaultDbPath()] })
      const request = {
        algorithm: opts.algo,
        ...environmentOf(opts),
        seed: opts.seed,
        config: readJsonOption(opts.config, '--config'),
        budget: budgetOf(opts, { generations: 10 }),
        name: opts.name
      }
      resolveRunSpec(request) // the whole request is valid before anything is opened or written
      await withEngine(opts, 'write', async ({ store, manager }) => {
        const run = manager.create(request)
        if (!opts.json)
          process.stdout.write(
            `run ${run.id}: ${run.algorithm} on ${run.environment} ${run.task}, seed ${run.seed}\n`
          )
        const done = await driveRun(manager, run, Boolean(opts.json))
        if (opts.out) writeGenomeExport(store, done.id, 'json', opts.out)
        if (!opts.json) {
          process.stdout.write(
            `run ${done.id} ${done.status}: ${done.generation} generations, best ${formatMetrics(done.environment, done.bestMetrics)}\n`
          )
          if (opts.out) process.stdout.write(`best genome written to ${opts.out}\n`)
        }
      })
    }
  )
}
