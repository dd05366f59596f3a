/**
 * The store's row types and their mapping from SQLite rows. The run and metric shapes are the API
 * contract's (src/shared/api.ts), checked with `satisfies`, so one definition owns each.
 */
import type { EnvironmentSpec } from '../../core/env/types'
import type { AlgorithmSnapshot } from '../../core/training/types'
import type { Budget, RunMetric, RunStatus, RunSummary } from '../../shared/api'

export type { Budget, RunStatus }
export type MetricRow = RunMetric

/** A run as stored; the API's summary adds what only the engine knows (liveness, allowed actions). */
export interface RunRow extends Pick<
  RunSummary,
  | 'id'
  | 'name'
  | 'algorithm'
  | 'task'
  | 'environment'
  | 'genomeLength'
  | 'layoutHash'
  | 'seed'
  | 'status'
  | 'sweepId'
  | 'tags'
  | 'notes'
  | 'error'
  | 'ownerPid'
  | 'codeVersion'
  | 'createdAt'
  | 'updatedAt'
  | 'finishedAt'
  | 'generation'
  | 'evaluations'
  | 'bestFitness'
  | 'bestMetrics'
  | 'wallSeconds'
> {
  budget: Budget
  config: Record<string, unknown>
  envSpec: EnvironmentSpec
  /** A pause or cancel asked for by any process; the trainer stops after its current generation. */
  stopRequest: 'pause' | 'cancel' | null
  /** Last sign of life of the owning trainer (ISO time), while running. */
  heartbeatAt: string | null
}

export interface NewRun {
  name?: string
  algorithm: string
  config: Record<string, unknown>
  seed: number
  envSpec: EnvironmentSpec
  task: string
  genomeLength: number
  layoutHash: string
  codeVersion: string
  budget: Budget
  sweepId?: string | null
  tags?: string[]
  notes?: string
}

/** One generation as the trainer hands it to the store (written in batches, see Store.recordGenerations). */
export interface GenerationRecord {
  metric: MetricRow
  /** The reported solution's genome, when it differs from the last one written. */
  best: Float64Array | null
}

export interface Checkpoint {
  generation: number
  snapshot: AlgorithmSnapshot
  population: Float64Array[]
}

export interface RawRun {
  id: string
  name: string
  algorithm: string
  task: string
  config: string
  seed: number
  environment: string
  env_spec: string
  genome_length: number
  layout_hash: string
  code_version: string
  status: RunStatus
  budget: string
  sweep_id: string | null
  tags: string
  notes: string
  error: string | null
  owner_pid: number | null
  stop_request: 'pause' | 'cancel' | null
  heartbeat_at: string | null
  created_at: string
  updated_at: string
  finished_at: string | null
  generation: number | null
  evaluations: number | null
  best_metrics: string | null
  best_fitness: number | null
  wall_seconds: number | null
}

export const RUN_SELECT = `SELECT r.*, m.generation, m.evaluations, m.best_metrics, m.best_fitness, m.wall_seconds
  FROM runs r LEFT JOIN generations m ON m.run_id = r.id
    AND m.generation = (SELECT MAX(generation) FROM generations WHERE run_id = r.id)`

export const METRIC_SELECT = `SELECT generation, evaluations, wall_seconds AS wallSeconds, best_fitness AS bestFitness,
  mean_fitness AS meanFitness, worst_fitness AS worstFitness, best_metrics AS metrics, rollout_ms AS rolloutMs,
  mads_ms AS madsMs, algorithm_ms AS algorithmMs, transport_ms AS transportMs, workers,
  genome_generation AS genomeGeneration
  FROM generations WHERE run_id = ? ORDER BY generation`

export function toRun(r: RawRun): RunRow {
  return {
    id: r.id,
    name: r.name,
    algorithm: r.algorithm,
    task: r.task,
    environment: r.environment,
    envSpec: JSON.parse(r.env_spec) as EnvironmentSpec,
    genomeLength: r.genome_length,
    layoutHash: r.layout_hash,
    config: JSON.parse(r.config),
    seed: r.seed,
    codeVersion: r.code_version,
    status: r.status,
    budget: JSON.parse(r.budget),
    sweepId: r.sweep_id,
    tags: JSON.parse(r.tags),
    notes: r.notes,
    error: r.error,
    ownerPid: r.owner_pid ?? null,
    stopRequest: r.stop_request ?? null,
    heartbeatAt: r.heartbeat_at ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    generation: r.generation ?? 0,
    evaluations: r.evaluations ?? 0,
    bestMetrics: r.best_metrics ? (JSON.parse(r.best_metrics) as Record<string, number>) : null,
    bestFitness: r.best_fitness,
    wallSeconds: r.wall_seconds ?? 0
  } satisfies RunRow
}

export function toMetric(r: Omit<MetricRow, 'metrics'> & { metrics: string }): MetricRow {
  return { ...r, metrics: JSON.parse(r.metrics) as Record<string, number> }
}
