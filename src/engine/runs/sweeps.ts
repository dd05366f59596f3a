/**
 * Sweeps: algorithms × tasks × seeds with an equal budget per run (the paper's Fig. 4 design), grouped
 * under one sweep id. One implementation for the CLI (`lab sweep`) and the app (`sweeps:start`).
 */
import type { AlgorithmName } from '../../core/training/types'
import { LabError } from '../../shared/errors'
import type { Budget, NewRun, RunRow, Store } from '../store/store'
import { liveness } from './lifecycle'
import type { RunManager } from './manager'
import { resolveRunSpec } from './spec'

/** The most runs one sweep creates (algorithms × tasks × seeds). */
export const MAX_SWEEP_RUNS = 10_000

export interface SweepDesign {
  algorithms: AlgorithmName[]
  tasks: string[]
  seeds: number[]
  budget: Budget
  /** Hyperparameters per algorithm. */
  config: Partial<Record<AlgorithmName, Record<string, unknown>>>
  /** One environment for every run instead of `tasks` (e.g. the worm on a custom food layout). */
  environment?: { id: string; [key: string]: unknown }
}

/**
 * Validates every run of the design first (sweepRuns), then writes the sweep and all its runs in one
 * transaction: a bad config anywhere writes nothing.
 */
export function createSweep(
  store: Store,
  design: SweepDesign,
  name?: string
): { id: string; runs: RunRow[] } {
  const rows = sweepRuns(design)
  const label =
    name ??
    `${design.algorithms.join('/')} × ${design.environment ? String(design.environment.task ?? design.environment.id) : design.tasks.join('/')} × ${design.seeds.length} seeds`
  return store.createSweep(label, design, rows)
}

/** Validates every run of a design, writing nothing; the rows to store, ordered task, seed, algorithm. */
export function sweepRuns(design: SweepDesign): NewRun[] {
  for (const key of Object.keys(design.config))
    if (!(design.algorithms as string[]).includes(key))
      throw new LabError(
        'invalid-config',
        `invalid sweep: config.${key}: '${key}' is not one of the sweep's algorithms (give hyperparameters per algorithm: {"ea": {...}})`
      )
  const total =
    design.algorithms.length * (design.environment ? 1 : design.tasks.length) * design.seeds.length
  if (total > MAX_SWEEP_RUNS)
    throw new LabError(
      'invalid-config',
      `invalid sweep: ${total} runs; a sweep has at most ${MAX_SWEEP_RUNS}`
    )
  const rows: NewRun[] = []
  const tasks: (string | null)[] = design.environment ? [null] : design.tasks
  for (const task of tasks)
    for (const seed of design.seeds)
      for (const algorithm of design.algorithms)
        rows.push(
          resolveRunSpec({
            algorithm,
            ...(task === null ? { environment: design.environment } : { task }),
            seed,
            config: design.config[algorithm] ?? {},
            budget: design.budget
          }).row
        )
  return rows
}

/** The runs of a sweep still to train: queued, paused, failed, or running with a dead trainer. */
export function unfinishedRuns(store: Store, sweepId: string): RunRow[] {
  if (!store.listSweeps().some((s) => s.id === sweepId))
    throw new LabError('unknown-run', `unknown sweep '${sweepId}'`)
  return store
    .listRuns({ sweepId })
    .filter(
      (r) =>
        r.status === 'queued' ||
        r.status === 'paused' ||
        r.status === 'failed' ||
        (r.status === 'running' && liveness(r, false) === 'interrupted')
    )
}

/**
 * Trains `runs` with `concurrency` at a time on the manager's pool; `onRunDone` hears each finished run
 * with the sweep's ETA (runs have equal budgets, so: mean run time × runs left / concurrency).
 */
export async function runSweep(
  manager: RunManager,
  runs: RunRow[],
  opts: { concurrency?: number; onRunDone?: (run: RunRow, done: number, etaSeconds: number) => void } = {}
): Promise<void> {
  const k = Math.max(1, Math.min(opts.concurrency ?? 1, runs.length))
  let next = 0
  let finished = 0
  const t0 = performance.now()
  const worker = async (): Promise<void> => {
    while (next < runs.length) {
      const run = runs[next++]
      const done = await manager.start(run.id)
      finished++
      const elapsed = (performance.now() - t0) / 1000
      opts.onRunDone?.(done, finished, ((elapsed / finished) * (runs.length - finished)) / k)
    }
  }
  await Promise.all(Array.from({ length: k }, worker))
}
