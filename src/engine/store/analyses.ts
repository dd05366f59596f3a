/**
 * The `analyses` table (migration 4, docs/store.md): the paper's analyses of a run (src/core/analysis/hebbian),
 * one row each, deleted with the run. Kept beside store.ts, which it reaches through `store.db`.
 */
import { randomBytes } from 'node:crypto'
import type { AnalysisKind, AnalysisOutput } from '../../core/analysis/hebbian/types'
import { StoreError } from './errors'
import type { Store } from './store'

/** A stored analysis: core's output with the row's id, run and time (the contract's AnalysisResult). */
export type StoredAnalysis = AnalysisOutput & { id: string; runId: string; createdAt: string }

interface RawAnalysis {
  id: string
  run_id: string
  kind: string
  params: string
  result: string
  created_at: string
}

const toStored = (r: RawAnalysis): StoredAnalysis => ({
  id: r.id,
  runId: r.run_id,
  kind: r.kind as AnalysisKind,
  createdAt: r.created_at,
  params: JSON.parse(r.params) as Record<string, unknown>,
  ...(JSON.parse(r.result) as Omit<AnalysisOutput, 'kind' | 'params'>)
})

/**
 * Stores an analysis of a run (`againstId`: the run it compared with, if any). The run must exist (its
 * full id); the id is made here: `a`, base-36 time, hex.
 */
export function insertAnalysis(
  store: Store,
  runId: string,
  output: AnalysisOutput,
  againstId: string | null = null
): StoredAnalysis {
  const id = `a${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`
  const createdAt = new Date().toISOString()
  const { kind, params, ...result } = output
  try {
    store.db
      .prepare(
        `INSERT INTO analyses (id, run_id, kind, against_id, params, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
      )
      .run(id, runId, kind, againstId, JSON.stringify(params), JSON.stringify(result), createdAt)
  } catch (e) {
    if (/FOREIGN KEY/i.test((e as Error).message))
      throw new StoreError(
        `unknown run '${againstId && runId ? `${runId}' or '${againstId}` : runId}'`,
        'unknown-run'
      )
    throw e
  }
  return { id, runId, createdAt, ...output }
}

/** A run's analyses (its full id), newest first. */
export function listAnalyses(store: Store, runId: string, kind?: AnalysisKind): StoredAnalysis[] {
  const rows = store.db
    .prepare(
      `SELECT id, run_id, kind, params, result, created_at FROM analyses WHERE run_id = ?
       ${kind ? 'AND kind = ?' : ''} ORDER BY created_at DESC, rowid DESC`
    )
    .all(...(kind ? [runId, kind] : [runId])) as RawAnalysis[]
  return rows.map(toStored)
}

/** One analysis by id. */
export function getAnalysis(store: Store, id: string): StoredAnalysis {
  const row = store.db
    .prepare(`SELECT id, run_id, kind, params, result, created_at FROM analyses WHERE id = ?`)
    .get(id) as RawAnalysis | undefined
  if (!row) throw new StoreError(`unknown analysis '${id}'`, 'unusable')
  return toStored(row)
}
