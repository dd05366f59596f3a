/**
 * A run's best genome as a file: JSON, CSV or NumPy .npy. The one implementation behind `lab export`
 * (src/cli/commands/export.ts) and the app's `runs:export-genome` channel.
 *
 * Worm genomes are written in the connectome's formats (JSON with connectome id and pair hash; CSV
 * pre,post,w0,w,delta); other environments as JSON with their spec and layout hash, or CSV
 * index,prior,w,delta. npy is float64 ('<f8') in genome order for every environment.
 */
import { genomeToCsv, genomeToJson } from '../core/connectome/genome'
import type { Environment } from '../core/env/types'
import { WormEnvironment } from '../core/env/worm'
import { LabError } from '../shared/errors'
import { loadEnvironment } from './environments'
import { encodeNpyFloat64 } from './formats/npy'
import type { RunRow, Store } from './store/store'

export const GENOME_FORMATS = ['json', 'csv', 'npy'] as const
export type GenomeFormat = (typeof GENOME_FORMATS)[number]

export const GENOME_MIME: Record<GenomeFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  npy: 'application/octet-stream'
}

/** A run's environment, refusing one whose genome layout is no longer the run's. */
export function runEnvironment(run: RunRow): Environment {
  const env = loadEnvironment(run.envSpec)
  if (env.layout.hash !== run.layoutHash)
    throw new LabError(
      'not-allowed',
      `run ${run.id} was trained on genome layout ${run.layoutHash}; ${env.layout.description} is ${env.layout.hash}`
    )
  return env
}

/** The stored genome of a run in one format (the bytes of the file). */
export function encodeGenome(
  run: RunRow,
  env: Environment,
  g: { generation: number; weights: Float64Array; fitness: number },
  format: GenomeFormat
): string | Buffer {
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

/** The bytes of a run's best genome (as of a generation, default the latest) in one export format. */
export function genomeExport(
  store: Store,
  runId: string,
  format: GenomeFormat,
  generation?: number
): string | Buffer {
  return genomeExportFile(store, runId, format, generation).data
}

/** The genome file with a file name: `<run name>-<run id>-gen<N>.<format>`, safe on every platform. */
export function genomeExportFile(
  store: Store,
  runId: string,
  format: GenomeFormat,
  generation?: number
): { fileName: string; mime: string; generation: number; data: string | Buffer } {
  const run = store.getRun(runId)
  const env = runEnvironment(run)
  const g = store.bestGenome(run.id, env.prior, generation)
  const data = encodeGenome(run, env, g, format)
  return {
    fileName: genomeFileName(run, g.generation, format),
    mime: GENOME_MIME[format],
    generation: g.generation,
    data
  }
}

export function genomeFileName(
  run: Pick<RunRow, 'id' | 'name'>,
  generation: number,
  format: GenomeFormat
): string {
  const base = run.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
  const id = run.id.slice(0, 12)
  return `${base && !base.includes(id) ? `${base}-${id}` : id}-gen${generation}.${format}`
}
