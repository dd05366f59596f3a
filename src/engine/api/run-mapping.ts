/** Store rows and manager events → the API contract's shapes (src/shared/api.ts). */
import type { RunDetail, RunEvent, RunSummary } from '../../shared/api'
import { environmentMetrics } from '../../core/env/registry'
import { budgetFraction } from '../runs/budget'
import { allowedActions, type Liveness } from '../runs/lifecycle'
import type { ProgressEvent } from '../runs/manager'
import type { RunRow } from '../store/store'

export function toSummary(row: RunRow, live: Liveness, stopping: 'pause' | 'cancel' | null): RunSummary {
  const b = row.budget
  return {
    id: row.id,
    name: row.name,
    algorithm: row.algorithm,
    task: row.task,
    environment: row.environment,
    genomeLength: row.genomeLength,
    layoutHash: row.layoutHash,
    seed: row.seed,
    status: row.status,
    budget: {
      ...(b.generations !== undefined ? { generations: b.generations } : {}),
      ...(b.evaluations !== undefined ? { evaluations: b.evaluations } : {}),
      ...(b.seconds !== undefined ? { seconds: b.seconds } : {})
    },
    generation: row.generation,
    evaluations: row.evaluations,
    bestFitness: row.bestFitness,
    bestMetrics: row.bestMetrics,
    wallSeconds: row.wallSeconds,
    fraction: Math.min(1, budgetFraction(b, row.generation, row.evaluations, row.wallSeconds)),
    live,
    ownerPid: row.ownerPid,
    stopping: row.status === 'running' ? stopping : null,
    actions: allowedActions(row.status, live, row.status === 'running' ? stopping : null),
    sweepId: row.sweepId,
    tags: row.tags,
    notes: row.notes,
    error: row.error,
    codeVersion: row.codeVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt
  }
}

export function toDetail(summary: RunSummary, row: RunRow): RunDetail {
  const { metrics, headline } = environmentMetrics(row.environment)
  return { ...summary, config: row.config, envSpec: row.envSpec, metrics: [...metrics], headline }
}

export function toProgressEvent(e: ProgressEvent): RunEvent {
  const r = e.report
  return {
    type: 'progress',
    runId: e.runId,
    generation: e.generation,
    evaluations: e.evaluations,
    bestFitness: e.bestFitness,
    bestMetrics: e.bestMetrics,
    elapsedSeconds: e.elapsedSeconds,
    etaSeconds: e.etaSeconds,
    fraction: e.fraction,
    // Exactly the row the store writes for this generation.
    metric: {
      generation: r.generation,
      evaluations: r.totalEvaluations,
      wallSeconds: e.elapsedSeconds,
      bestFitness: r.best.fitness,
      meanFitness: r.meanFitness,
      worstFitness: r.worstFitness,
      metrics: r.best.metrics,
      rolloutMs: r.rolloutMs,
      madsMs: r.madsMs,
      algorithmMs: r.algorithmMs,
      transportMs: e.transportMs,
      workers: e.workers
    }
  }
}
