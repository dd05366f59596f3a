import { EventEmitter } from 'node:events'
import type { Environment } from '../../core/env/types'
import { createAlgorithm, restoreAlgorithm } from '../../core/training/registry'
import type { AlgorithmName, GenerationReport, TrainingAlgorithm } from '../../core/training/types'
import { LabError } from '../../shared/errors'
import { loadEnvironment } from '../environments'
import { PoolEvaluator } from '../pool/pool-evaluator'
import type { WorkBackend } from '../pool/backend'
import { StoreError } from '../store/errors'
import type { GenerationRecord, RunRow, Store } from '../store/store'
import { budgetFraction, budgetUsed } from './budget'
import { testFlushMs, testDelay } from '../test-hooks'
import { HEARTBEAT_MS, liveness, requireAction, type Liveness, type TrainerOutcome } from './lifecycle'
import { resolveRunSpec, type RunSpec } from './spec'

export interface ProgressEvent {
  runId: string
  generation: number
  evaluations: number
  bestFitness: number
  /** The environment's named metrics of the reported solution. */
  bestMetrics: Record<string, number>
  elapsedSeconds: number
  /** Estimated seconds left for the budget, or null when it cannot be told yet. */
  etaSeconds: number | null
  /** Fraction of the budget used, 0..1. */
  fraction: number
  report: GenerationReport
  transportMs: number
  workers: number
}

interface Active {
  stop: 'pause' | 'cancel' | null
  done: Promise<RunRow>
  /** Writes the generations not yet stored (the trainer batches them). */
  flush: () => void
}

export interface ManagerOptions {
  /** Shortest time between two batched writes of a run's generations (default 1 s; a generation that
   * takes longer is written on its own). */
  flushMs?: number
}

/**
 * Starts, pauses, resumes, cancels and deletes runs, in this process or (through the store's stop
 * requests) in another one. Generations are stored in batches, each one transaction (metrics, changed best
 * genomes, the checkpoint and population of its last generation), once `flushMs` has passed since the last
 * write and whenever the run stops: a run killed at any moment resumes from its last checkpoint and ends bit-identical to an
 * uninterrupted run. Concurrent runs share one pool fairly. Every action is checked by lifecycle.ts.
 */
export class RunManager extends EventEmitter<{ progress: [ProgressEvent]; status: [RunRow] }> {
  private readonly active = new Map<string, Active>()
  private readonly flushMs: number

  constructor(
    readonly store: Store,
    /** The workers runs train on; null for a manager that only pauses, cancels and deletes. */
    private readonly workers: WorkBackend | null,
    opts: ManagerOptions = {}
  ) {
    super()
    this.flushMs = opts.flushMs ?? testFlushMs() ?? 1000
  }

  /** Validates a request (shape, environment, config against the genome) and records a queued run. */
  create(spec: RunSpec): RunRow {
    return this.store.createRun(resolveRunSpec(spec).row)
  }

  get pool(): WorkBackend {
    if (!this.workers) throw new Error('this run manager has no worker pool: it cannot train')
    return this.workers
  }

  isActive(id: string): boolean {
    return this.active.has(id)
  }

  /** Who trains a run right now. */
  liveness(row: RunRow): Liveness {
    return liveness(row, this.active.has(row.id))
  }

  /** The stop asked for a run, here or (through the store) by any process. */
  stopping(row: RunRow): 'pause' | 'cancel' | null {
    return this.active.get(row.id)?.stop ?? row.stopRequest
  }

  /** A run by id or unique prefix, with typed errors. */
  get(idOrPrefix: string): RunRow {
    try {
      return this.store.getRun(idOrPrefix)
    } catch (e) {
      if (
        e instanceof StoreError &&
        (e.code === 'unknown-run' || e.code === 'ambiguous-id' || e.code === 'invalid-id')
      )
        throw new LabError(e.code, e.message)
      throw e
    }
  }

  /**
   * Runs (or resumes) a run until its budget is used or it is paused or cancelled. The run is claimed
   * atomically (Store.claimRun): of several processes starting one run at once, exactly one trains it, the
   * others get `busy`. A damaged newest checkpoint is refused first (`corrupt-checkpoint`, nothing
   * written); `fromPreviousCheckpoint` then goes back to the previous one (Store.rollbackToPreviousCheckpoint).
   */
  start(idOrPrefix: string, opts: { fromPreviousCheckpoint?: boolean } = {}): Promise<RunRow> {
    const run = this.get(idOrPrefix)
    const existing = this.active.get(run.id)
    if (existing) return existing.done
    // Refuses early, before the environment is loaded; the claim below decides again, atomically.
    requireAction(run, this.liveness(run), null, 'resume')
    let env: Environment
    try {
      env = loadEnvironment(run.envSpec)
    } catch (e) {
      throw new LabError('unsupported', `run ${run.id}: ${(e as Error).message}`)
    }
    // A run upgraded from schema v2 before it stored any genome has no recorded length (0) yet.
    if (run.genomeLength === 0 && env.layout.hash === run.layoutHash)
      this.store.fillGenomeLength(run.id, env.layout.length)
    else if (env.layout.hash !== run.layoutHash || env.layout.length !== run.genomeLength) {
      throw new LabError(
        'not-allowed',
        `run ${run.id} was made for genome layout ${run.layoutHash} (${run.genomeLength} values); ${env.layout.description} is ${env.layout.hash}`
      )
    }
    if (opts.fromPreviousCheckpoint) this.store.rollbackToPreviousCheckpoint(run.id)
    this.store.lastCheckpoint(run.id) // a damaged checkpoint is refused before the run is claimed
    const claimed = this.store.claimRun(run.id)
    // Read again once the run is ours: another process may have trained it in between.
    const checkpoint = this.store.lastCheckpoint(run.id)
    const entry: Active = { stop: null, done: Promise.resolve(claimed), flush: () => {} }
    entry.done = this.loop(claimed, env, entry, checkpoint).finally(() => this.active.delete(run.id))
    this.active.set(run.id, entry)
    return entry.done
  }

  /** Asks a run to stop after its current generation: here, or in the process that trains it. */
  async pause(id: string): Promise<RunRow> {
    return this.requestStop(id, 'pause')
  }

  /** Cancels a run: stops it after its current generation (wherever it trains), or marks it cancelled. */
  async cancel(id: string): Promise<RunRow> {
    const run = this.get(id)
    requireAction(run, this.liveness(run), this.stopping(run), 'cancel')
    return this.requestStop(run.id, 'cancel')
  }

  /**
   * Deletes a run with all its data. One trained here is cancelled first; one trained by another process
   * is refused (`busy`) unless `force`, which cancels it there and waits for that trainer to stop.
   */
  async delete(id: string, opts: { force?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const run = this.get(id)
    const live = this.liveness(run)
    if (live === 'elsewhere' && opts.force) {
      this.store.requestStop(run.id, 'cancel')
      await this.waitUntilStopped(run.id, opts.timeoutMs ?? 120_000)
    } else {
      requireAction(run, live, this.stopping(run), 'delete')
      if (live === 'here') await this.requestStop(run.id, 'cancel')
    }
    this.store.deleteRun(run.id)
  }

  /** Writes every run's pending generations now (before a hard exit, e.g. Ctrl-C). */
  flushAll(): void {
    for (const a of this.active.values()) a.flush()
  }

  private async waitUntilStopped(id: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const row = this.store.getRun(id)
      if (this.liveness(row) !== 'elsewhere') return
      if (Date.now() > end)
        throw new LabError(
          'busy',
          `run ${id}: its trainer (process ${row.ownerPid}) did not stop within ${timeoutMs} ms`
        )
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  private async requestStop(id: string, how: 'pause' | 'cancel'): Promise<RunRow> {
    const run = this.get(id)
    const a = this.active.get(run.id)
    if (!a) {
      // Trained elsewhere: a stop request there; trained by nobody: cancelled at once (atomically).
      const { run: row, requested } = this.store.stopRun(run.id, how)
      if (!requested) this.emit('status', row)
      return row
    }
    if (a.stop !== 'cancel') a.stop = how
    return a.done
  }

  private async loop(
    run: RunRow,
    env: Environment,
    entry: Active,
    checkpoint: ReturnType<Store['lastCheckpoint']>
  ): Promise<RunRow> {
    const evaluator = new PoolEvaluator(this.pool, env, run.id)
    let algo: TrainingAlgorithm
    try {
      algo = checkpoint
        ? restoreAlgorithm(checkpoint.snapshot, run.config, env.prior)
        : createAlgorithm(run.algorithm as AlgorithmName, run.config, env.prior, run.seed)
    } catch (e) {
      this.finish(run.id, 'failed', (e as Error).message)
      throw new LabError('not-allowed', `run ${run.id}: ${(e as Error).message}`)
    }
    // The last stored metric row is the checkpoint's generation (they are written together).
    const last = this.store.metrics(run.id).at(-1)
    const priorSeconds = last?.wallSeconds ?? 0
    let evaluations = last?.evaluations ?? 0
    let lastBest: Float64Array | null = checkpoint ? this.store.bestGenome(run.id, env.prior).weights : null
    let pending: GenerationRecord[] = []
    let lastFlush = performance.now()
    /** The generation whose stored genome is the current best (null: that genome was not kept). */
    let genomeRef: number | null = last?.genomeGeneration ?? null
    const flush = (): void => {
      if (pending.length === 0) return
      // Of the best genomes that changed within this batch, the first and the newest are kept: an ES's θ
      // changes every generation and would otherwise cost a dense genome per generation. Every row names
      // the generation whose stored genome is its best, or null.
      const changed = pending.filter((r) => r.best)
      for (const r of pending) {
        if (r.best) {
          if (r === changed[0] || r === changed.at(-1)) genomeRef = r.metric.generation
          else {
            r.best = null
            genomeRef = null
          }
        }
        r.metric.genomeGeneration = genomeRef
      }
      this.store.recordGenerations(run.id, {
        records: pending,
        checkpoint: {
          generation: algo.generation(),
          snapshot: algo.snapshot(),
          population: algo.population()
        },
        prior: env.prior
      })
      pending = []
      lastFlush = performance.now()
    }
    entry.flush = flush
    // start() claimed the run: it is running, owned by this process.
    this.emit('status', run)
    const beat = setInterval(() => this.store.heartbeat(run.id), HEARTBEAT_MS)
    beat.unref()
    const t0 = performance.now()
    const budget = run.budget
    try {
      while (
        !budgetUsed(budget, algo.generation(), evaluations, priorSeconds + (performance.now() - t0) / 1000)
      ) {
        if (!entry.stop) entry.stop = this.store.stopRequest(run.id)
        if (entry.stop) break
        evaluator.transportMs = 0
        // A rollout budget is exact: the last generation spends only what is left, and a generation whose
        // fixed evaluations do not fit ends the run.
        const left = budget.evaluations !== undefined ? budget.evaluations - evaluations : Infinity
        const report = await algo.step(evaluator, left)
        if (!report) break
        evaluations = report.totalEvaluations
        const elapsed = priorSeconds + (performance.now() - t0) / 1000
        const best = algo.best()
        if (!best) throw new Error('algorithm produced no best genome')
        const changed = !lastBest || !sameGenome(lastBest, best.genome)
        if (changed) lastBest = best.genome
        pending.push({
          metric: {
            generation: report.generation,
            evaluations: report.totalEvaluations,
            wallSeconds: elapsed,
            bestFitness: report.best.fitness,
            meanFitness: report.meanFitness,
            worstFitness: report.worstFitness,
            metrics: report.best.metrics,
            rolloutMs: report.rolloutMs,
            madsMs: report.madsMs,
            algorithmMs: report.algorithmMs,
            transportMs: evaluator.transportMs,
            workers: this.pool.size
          },
          best: changed ? best.genome : null
        })
        if (performance.now() - lastFlush >= this.flushMs) flush()
        const fraction = budgetFraction(budget, algo.generation(), evaluations, elapsed)
        const rate = elapsed / Math.max(fraction, 1e-9)
        this.emit('progress', {
          runId: run.id,
          generation: report.generation,
          evaluations,
          bestFitness: best.evaluation.fitness,
          bestMetrics: best.evaluation.metrics,
          elapsedSeconds: elapsed,
          etaSeconds: fraction > 0 ? Math.max(0, rate - elapsed) : null,
          fraction: Math.min(1, fraction),
          report,
          transportMs: evaluator.transportMs,
          workers: this.pool.size
        })
      }
      flush()
    } catch (e) {
      clearInterval(beat)
      try {
        flush()
      } catch {
        /* the original error is the one to report */
      }
      // The pool was closed under us (shutdown, Ctrl-C): leave the run resumable.
      this.finish(run.id, (e as Error).name === 'PoolError' ? 'paused' : 'failed', (e as Error).message)
      throw e
    }
    clearInterval(beat)
    testDelay('CONNECTOME_LAB_TEST_FINISH_DELAY_MS')
    // A stop asked for during the last generation still counts (finishRun reads it in the transaction that
    // writes the final status): a cancelled run never ends `completed`.
    const row = this.store.finishRun(
      run.id,
      entry.stop === 'cancel' ? 'cancelled' : entry.stop === 'pause' ? 'paused' : 'completed'
    )
    this.emit('status', row)
    return row
  }

  /** Ends a run after an error; a run taken from this process meanwhile is left to its new owner. */
  private finish(id: string, outcome: TrainerOutcome, error: string): void {
    try {
      this.emit('status', this.store.finishRun(id, outcome, error))
    } catch {
      /* the original error is the one to report */
    }
  }
}

function sameGenome(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false
  return true
}

export { budgetFraction, budgetUsed } from './budget'
export { processAlive } from './lifecycle'
export { StoreError }
