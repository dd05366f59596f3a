import type { Command } from 'commander'
import { genomeToCsv, genomeToJson } from '../../core/connectome/genome'
import { encodeNpyFloat64 } from '../../engine/formats/npy'
import { writeFileAtomic } from '../../engine/fs-util'
import { readConnectome } from '../../engine/resources'
import type { Store } from '../../engine/store/store'
import { openStore } from '../context'
import { intArg } from './train'

export type GenomeFormat = 'json' | 'csv' | 'npy'

/** The bytes of a run's best genome (of a generation, default the latest) in one export format. */
export function genomeExport(
  store: Store,
  runId: string,
  format: GenomeFormat,
  generation?: number
): string | Buffer {
  const run = store.getRun(runId)
  const c = readConnectome(run.connectome)
  if (c.pairsHash !== run.pairsHash) {
    throw new Error(
      `run ${run.id} was trained on pair list ${run.pairsHash}; the shipped connectome has ${c.pairsHash}`
    )
  }
  const g = store.bestGenome(run.id, generation)
  if (format === 'npy') return encodeNpyFloat64(g.weights)
  if (format === 'csv') return genomeToCsv(c, g.weights)
  const meta = {
    run: run.id,
    name: run.name,
    algorithm: run.algorithm,
    task: run.task,
    seed: run.seed,
    generation: g.generation,
    fitness: g.fitness,
    codeVersion: run.codeVersion
  }
  return JSON.stringify(genomeToJson(c, g.weights, meta)) + '\n'
}

export function writeGenomeExport(
  store: Store,
  runId: string,
  format: GenomeFormat,
  out: string,
  generation?: number
): void {
  writeFileAtomic(out, genomeExport(store, runId, format, generation))
}

export function metricsCsv(store: Store, runId: string): string {
  const run = store.getRun(runId)
  const rows = store.metrics(run.id)
  const cols = [
    'generation',
    'evaluations',
    'wallSeconds',
    'bestFitness',
    'meanFitness',
    'worstFitness',
    'bestFood',
    'bestReward',
    'bestL0',
    'bestL2',
    'rolloutMs',
    'madsMs',
    'algorithmMs',
    'transportMs'
  ] as const
  return [cols.join(','), ...rows.map((r) => cols.map((k) => r[k]).join(','))].join('\n') + '\n'
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("export a run's best genome (json, csv, npy) or its metrics (csv)")
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--format <f>', 'json | csv | npy', 'json')
    .option('--generation <n>', 'the best genome of this generation (default: the latest)', intArg(1))
    .option('--metrics', 'export the per-generation metrics as CSV instead of a genome')
    .option('--out <file>', 'write to a file (required for npy); default: standard output')
    .option('--db <path>', 'workspace database')
    .action(
      (
        runId: string,
        opts: { format: string; generation?: number; metrics?: boolean; out?: string; db?: string }
      ) => {
        if (!['json', 'csv', 'npy'].includes(opts.format))
          throw new Error(`unknown format '${opts.format}': use json, csv or npy`)
        if (opts.format === 'npy' && !opts.out && !opts.metrics)
          throw new Error('--format npy needs --out FILE')
        const store = openStore(opts)
        try {
          const data = opts.metrics
            ? metricsCsv(store, runId)
            : genomeExport(store, runId, opts.format as GenomeFormat, opts.generation)
          if (opts.out) writeFileAtomic(opts.out, data)
          else process.stdout.write(data)
        } finally {
          store.close()
        }
      }
    )
}
