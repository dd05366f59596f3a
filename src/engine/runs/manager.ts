import { EventEmitter } from 'node:events'
import { z } from 'zod'
import type { Connectome } from '../../core/connectome/connectome'
import { ALGORITHM_NAMES, parseAlgorithmConfig } from '../../core/training/config'
import { createAlgorithm, restoreAlgorithm } from '../../core/training/registry'
import type { AlgorithmName, GenerationReport, TrainingAlgorithm } from '../../core/training/types'
import { taskByName } from '../../core/tasks/tasks'
import { PoolEvaluator } from '../pool/pool-evaluator'
import type { WorkerPool } from '../pool/pool'
import { readConnectome } from '../resources'
import { codeVersion } from '../version'
import { StoreError, type Budget, type RunRow, type Store } from '../store/store'

/** A run request, validated with zod before anything is written. */
export const runSpecSchema = z
  .object({
    algorithm: z.enum(ALGORITHM_NAMES as [AlgorithmName, ...AlgorithmName[]]),
    task: z.string().default('pentagon'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    config: z.record(z.string(), z.unknown()).default({}),
    budget: z
      .object({
        generations: z.number().int().positive().optional(),
        evaluations: z.number().int().positive().optional(),
        seconds: z.number().positive().optional()
      })
      .refine(
        (b) => b.generations || b.evaluations || b.seconds,
        'give a budget: generations, evaluations or seconds'
      ),
    name: z.string().min(1).optional(),
    sweepId: z.string().optional(),
    tags: z.array(z.string()).optional(),
    notes: z.string().optional()
  })
  .strict()
export type RunSpec = z.input<typeof runSpecSchema>

export interface ProgressEvent {
  runId: string
  generation: number
  evaluations: number
  bestFitness: number
  bestFoodEaten: number
  elapsedSeconds: number
  /** Estimated seconds left for the budget, or null when it cannot be told yet. */
  etaSeconds: number | null
  /** Fraction of the budget used, 0..1. */
  fraction: number
  report: GenerationReport
  transportMs: number
}

interface Active {
  stop: 'pause' | 'cancel' | null
  done: Promise<RunRow>
}

export class RunError extends Error {
  override name = 'RunError'
}

/**
 * Starts, pauses, resumes, cancels and deletes runs. Each generation is stored in one transaction
 * (metrics, best genome, population, checkpoint), so a run killed at any moment resumes from its last
 * checkpoint and ends bit-identical to an uninterrupted run. Concurrent runs share one pool fairly.
 */
export class RunManager extends EventEmitter<{ progress: [ProgressEvent]; status: [RunRow] }> {
  private readonly active = new Map<string, Active>()
  private readonly connectome: Connectome

  constructor(
    readonly store: Store,
    readonly pool: WorkerPool,
    opts: { connectome?: Connectome } = {}
  ) {
    super()
    this.connectome = opts.connectome ?? readConnectome()
  }

  /** Validates a spec (config with zod, task name) and records a queued run. */
  create(spec: RunSpec): RunRow {
    const parsed = runSpecSchema.safeParse(spec)
    if (!parsed.success) {
      throw new RunError(
        `invalid run: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'run'}: ${i.message}`).join('; ')}`
      )
    }
    const s = parsed.data
    taskByName(s.task)
    const config = parseAlgorithmConfig(s.algorithm, { ...s.config, task: s.task })
    return this.store.createRun({
      name: s.name,
      algorithm: s.algorithm,
      task: s.task,
      config: config as Record<string, unknown>,
      seed: s.seed,
      connectome: this.connectome.id,
      pairsHash: this.connectome.pairsHash,
      codeVersion: codeVersion(),
      budget: s.budget,
      sweepId: s.sweepId,
      tags: s.tags,
      notes: s.notes
    })
  }

  isActive(id: string): boolean {
    return this.active.has(id)
  }

  /** Runs (or resumes) a run until its budget is used or it is paused or cancelled. */
  start(idOrPrefix: string): Promise<RunRow> {
    const run = this.store.getRun(idOrPrefix)
    const existing = this.active.get(run.id)
    if (existing) return existing.done
    if (run.status === 'completed' || run.status === 'cancelled') {
      throw new RunError(`run ${run.id} is ${run.status}; it cannot be resumed`)
    }
    if (
      run.status === 'running' &&
      run.ownerPid !== null &&
      run.ownerPid !== process.pid &&
      processAlive(run.ownerPid)
    ) {
      throw new RunError(`run ${run.id} is being run by process ${run.ownerPid}`)
    }
    if (run.connectome !== this.connectome.id || run.pairsHash !== this.connectome.pairsHash) {
      throw new RunError(
        `run ${run.id} was made for connectome ${run.connectome} (${run.pairsHash}); this is ${this.connectome.pairsHash}`
      )
    }
    const entry: Active = { stop: null, done: Promise.resolve(run) }
    entry.done = this.loop(run, entry).finally(() => this.active.delete(run.id))
    this.active.set(run.id, entry)
    return entry.done
  }

  /** Asks a running run to stop after its current generation; resolves when it has stopped. */
  async pause(id: string): Promise<RunRow> {
    return this.requestStop(id, 'pause')
  }

  async cancel(id: string): Promise<RunRow> {
    const run = this.store.getRun(id)
    if (!this.active.has(run.id)) {
      if (run.status === 'completed' || run.status === 'cancelled') return run
      this.store.setStatus(run.id, 'cancelled')
      return this.emitStatus(run.id)
    }
    return this.requestStop(run.id, 'cancel')
  }

  async delete(id: string): Promise<void> {
    const run = this.store.getRun(id)
    if (this.active.has(run.id)) await this.requestStop(run.id, 'cancel')
    this.store.deleteRun(run.id)
  }

  private async requestStop(id: string, how: 'pause' | 'cancel'): Promise<RunRow> {
    const run = this.store.getRun(id)
    const a = this.active.get(run.id)
    if (!a) {
      if (how === 'pause' && run.status === 'running')
        throw new RunError(`run ${run.id} is not running in this process`)
      return run
    }
    a.stop = how
    return a.done
  }

  private emitStatus(id: string): RunRow {
    const row = this.store.getRun(id)
    this.emit('status', row)
    return row
  }

  private async loop(run: RunRow, entry: Active): Promise<RunRow> {
    const w0 = this.connectome.w0
    const task = taskByName(run.task)
    const model = (run.config.model ?? {}) as Record<string, number>
    const evaluator = new PoolEvaluator(
      this.pool,
      { connectome: this.connectome.id, taskName: task.name, food: task.food, params: model },
      run.id
    )
    const checkpoint = this.store.lastCheckpoint(run.id)
    let algo: TrainingAlgorithm
    try {
      algo = checkpoint
        ? restoreAlgorithm(checkpoint.snapshot, run.config, w0)
        : createAlgorithm(run.algorithm as AlgorithmName, run.config, w0, run.seed)
    } catch (e) {
      this.store.setStatus(run.id, 'failed', (e as Error).message)
      throw e
    }
    // Metrics and checkpoint are written in one transaction, so the last metric row is the checkpoint's.
    const previous = this.store.metrics(run.id)
    const last = previous.at(-1)
    const priorSeconds = last?.wallSeconds ?? 0
    let evaluations = last?.evaluations ?? 0
    this.store.setStatus(run.id, 'running')
    this.emitStatus(run.id)
    const t0 = performance.now()
    const budget = run.budget
    try {
      while (
        !budgetUsed(budget, algo.generation(), evaluations, priorSeconds + (performance.now() - t0) / 1000)
      ) {
        if (entry.stop) break
        evaluator.transportMs = 0
        const report = await algo.step(evaluator)
        evaluations = report.totalEvaluations
        const elapsed = priorSeconds + (performance.now() - t0) / 1000
        const best = algo.best()
        if (!best) throw new RunError('algorithm produced no best genome')
        this.store.recordGeneration(run.id, {
          report,
          wallSeconds: elapsed,
          transportMs: evaluator.transportMs,
          workers: this.pool.size,
          best: best.genome,
          snapshot: algo.snapshot(),
          population: algo.population()
        })
        const fraction = budgetFraction(budget, algo.generation(), evaluations, elapsed)
        const rate = elapsed / Math.max(fraction, 1e-9)
        this.emit('progress', {
          runId: run.id,
          generation: report.generation,
          evaluations,
          bestFitness: best.evaluation.fitness,
          bestFoodEaten: best.evaluation.foodEaten,
          elapsedSeconds: elapsed,
          etaSeconds: fraction > 0 ? Math.max(0, rate - elapsed) : null,
          fraction: Math.min(1, fraction),
          report,
          transportMs: evaluator.transportMs
        })
      }
    } catch (e) {
      if ((e as Error).name === 'PoolError') {
        // The pool was closed under us (shutdown, Ctrl-C): leave the run resumable.
        this.store.setStatus(run.id, 'paused', (e as Error).message)
      } else this.store.setStatus(run.id, 'failed', (e as Error).message)
      this.emitStatus(run.id)
      throw e
    }
    const status = entry.stop === 'cancel' ? 'cancelled' : entry.stop === 'pause' ? 'paused' : 'completed'
    this.store.setStatus(run.id, status)
    return this.emitStatus(run.id)
  }
}

/** True when a process with this id exists (also when it belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function budgetUsed(b: Budget, generation: number, evaluations: number, seconds: number): boolean {
  return (
    (b.generations !== undefined && generation >= b.generations) ||
    (b.evaluations !== undefined && evaluations >= b.evaluations) ||
    (b.seconds !== undefined && seconds >= b.seconds)
  )
}

/** How much of the budget is used (the largest fraction over its limits). */
export function budgetFraction(b: Budget, generation: number, evaluations: number, seconds: number): number {
  return Math.max(
    b.generations ? generation / b.generations : 0,
    b.evaluations ? evaluations / b.evaluations : 0,
    b.seconds ? seconds / b.seconds : 0
  )
}

export { StoreError }
