import type { Command } from 'commander'
import { genomeToCsv, genomeToJson } from '../../core/connectome/genome'
import { WormEnvironment } from '../../core/env/worm'
import { loadEnvironment } from '../../engine/environments'
import { encodeNpyFloat64 } from '../../engine/formats/npy'
import { metricsCsv } from '../../engine/metrics-csv'
import { checkOutputPath, writeFileAtomic } from '../../engine/fs-util'
import { defaultDbPath } from '../../engine/paths'
import { checkIdSyntax } from '../../engine/store/errors'
import type { RunRow, Store } from '../../engine/store/store'
import { intArg, LIMITS } from '../args'
import { openStore } from '../context'

export type GenomeFormat = 'json' | 'csv' | 'npy'

/** A run's environment, refusing one whose genome layout is no longer the run's. */
export function runEnvironment(run: RunRow) {
  const env = loadEnvironment(run.envSpec)
  if (env.layout.hash !== run.layoutHash)
    throw new Error(
      `run ${run.id} was trained on genome layout ${run.layoutHash}; ${env.layout.description} is ${env.layout.hash}`
    )
  return env
}

/**
 * The bytes of a run's best genome (as of a generation, default the latest) in one export format. Worm
 * genomes are written in the connectome's formats (JSON with connectome id and pair hash; CSV
 * pre,post,w0,w,delta); other environments as JSON with their spec and layout hash, or CSV
 * index,prior,w,delta. npy is float64 in genome order for every environment.
 */
export function genomeExport(
  store: Store,
  runId: string,
  format: GenomeFormat,
  generation?: number
): string | Buffer {
  const run = store.getRun(runId)
  const env = runEnvironment(run)
  const g = store.bestGenome(run.id, env.prior, generation)
  if (format === 'npy') return encodeNpyFloat64(g.weights)
  const meta = {
    run: run.id,
    name: run.name,
    algorithm: run.algorithm,
    environment: run.environment,
    task: run.task,
    seed: run.seed,
    generation: g.generation,
    fitness: g.fitness,
    codeVersion: run.codeVersion
  }
  if (env instanceof WormEnvironment) {
    if (format === 'csv') return genomeToCsv(env.connectome, g.weights)
    return JSON.stringify(genomeToJson(env.connectome, g.weights, meta)) + '\n'
  }
  if (format === 'csv') {
    const lines = ['index,prior,w,delta']
    g.weights.forEach((w, k) => lines.push(`${k},${env.prior[k]},${w},${w - env.prior[k]}`))
    return lines.join('\n') + '\n'
  }
  return (
    JSON.stringify({
      environment: env.spec,
      layoutHash: env.layout.hash,
      weights: Array.from(g.weights),
      meta
    }) + '\n'
  )
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

// The per-generation metrics CSV has one owner, the engine (the app's export channel uses it too).
export { metricsCsv }

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("export a run's best genome (json, csv, npy) or its metrics (csv)")
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--format <f>', 'json | csv | npy', 'json')
    .option(
      '--generation <n>',
      'the best genome as of this generation (default: the latest)',
      intArg(1, LIMITS.generations)
    )
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
        if (opts.out !== undefined)
          checkOutputPath(opts.out, '--out', { avoid: [opts.db ?? defaultDbPath()] })
        if (opts.format === 'npy' && opts.out === undefined && !opts.metrics)
          throw new Error('--format npy needs --out FILE')
        checkIdSyntax(runId)
        const store = openStore(opts, 'read')
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
