import type { Command } from 'commander'
import { genomeExport, runEnvironment, type GenomeFormat } from '../../engine/genome-export'
import { metricsCsv } from '../../engine/metrics-csv'
import { checkOutputPath, writeFileAtomic } from '../../engine/fs-util'
import { defaultDbPath } from '../../engine/paths'
import { checkIdSyntax } from '../../engine/store/errors'
import type { Store } from '../../engine/store/store'
import { intArg, LIMITS } from '../args'
import { openStore } from '../context'

export { genomeExport, runEnvironment, type GenomeFormat }

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
