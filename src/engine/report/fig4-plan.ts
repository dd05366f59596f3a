/**
 * The runs behind `lab report fig4` (the ENOMAD paper's Fig. 4 and Suppl. Fig. S1): methods × seeds on
 * one task at an equal rollout budget. A cell (method, seed) is the same experiment as a stored run when
 * the algorithm, seed, environment spec, full config (defaults filled) and budget are equal; the code
 * version is not part of it, since a change of behaviour shows up as a new config key or default. So the
 * report adopts runs from any sweep or `lab train`, continues interrupted ones, and creates only what is
 * missing: run the same command again and it resumes.
 */
import type { AlgorithmName } from '../../core/training/types'
import { LabError } from '../../shared/errors'
import { liveness } from '../runs/lifecycle'
import { sweepRuns, type SweepDesign } from '../runs/sweeps'
import type { NewRun, RunRow, Store } from '../store/store'

/**
 * The paper's budget in rollouts: rENOMAD's 14 generations of 64 MADS calls × 200 evaluations in the
 * 20 minutes of Fig. 4 (seed 000, Fig. 4 caption; docs/optimizers.md).
 */
export const PAPER_ROLLOUTS = 179_200
/** The paper's seed count (Fig. 4: "30 independent runs"). */
export const PAPER_SEEDS = 30

export interface Fig4Design {
  task: string
  seeds: number[]
  evaluations: number
  methods: AlgorithmName[]
  /** Hyperparameter overrides per method (none: the defaults, which are the paper's). */
  config: Partial<Record<AlgorithmName, Record<string, unknown>>>
}

export type CellAction = 'done' | 'resume' | 'create' | 'busy'

export interface Fig4Cell {
  algorithm: AlgorithmName
  seed: number
  /** done: a completed run; resume: an interrupted one to continue; create: none yet; busy: another live process trains it. */
  action: CellAction
  run: RunRow | null
  /** The run to create, for `create`. */
  row: NewRun
}

/** JSON with sorted keys: two equal objects give the same text whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(v)
}

const cellKey = (r: {
  algorithm: string
  seed: number
  envSpec: unknown
  config: unknown
  budget: unknown
}): string => canonicalJson([r.algorithm, r.seed, r.envSpec, r.config, r.budget])

export function sweepDesignOf(d: Fig4Design): SweepDesign {
  return {
    algorithms: d.methods,
    tasks: [d.task],
    seeds: d.seeds,
    budget: { evaluations: d.evaluations },
    config: d.config
  }
}

/** Rank of a stored run for a cell: a completed run first, then the most advanced unfinished one. */
const STATUS_RANK: Record<string, number> = { completed: 0, running: 1, paused: 2, failed: 3, queued: 4 }

/**
 * What each cell of the design needs, from what the store holds (validates the whole design first: a
 * bad method or config writes nothing). Cancelled runs are never adopted: cancelling means "discard".
 */
export function planFig4(store: Store, design: Fig4Design): Fig4Cell[] {
  if (design.methods.length === 0) throw new LabError('invalid-config', 'report: give at least one method')
  const rows = sweepRuns(sweepDesignOf(design)) // ordered seed, then method: partial progress stays balanced
  const byKey = new Map<string, RunRow[]>()
  for (const r of store.listRuns()) {
    if (r.status === 'cancelled') continue
    const k = cellKey(r)
    byKey.set(k, [...(byKey.get(k) ?? []), r])
  }
  return rows.map((row) => {
    const candidates = (byKey.get(cellKey(row)) ?? []).sort(
      (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.evaluations - a.evaluations
    )
    const run = candidates[0] ?? null
    const cell = { algorithm: row.algorithm as AlgorithmName, seed: row.seed, run, row }
    if (!run) return { ...cell, action: 'create' as const }
    if (run.status === 'completed') return { ...cell, action: 'done' as const }
    if (run.status === 'running' && liveness(run, false) !== 'interrupted')
      return { ...cell, action: 'busy' as const }
    return { ...cell, action: 'resume' as const }
  })
}

/** Creates the missing cells' runs under one new sweep (nothing when none is missing). */
export function createMissing(store: Store, cells: Fig4Cell[], design: Fig4Design): RunRow[] {
  const missing = cells.filter((c) => c.action === 'create')
  if (missing.length === 0) return []
  const name = `Fig. 4 report: ${design.task}, ${design.evaluations.toLocaleString('en-US')} rollouts`
  const { runs } = store.createSweep(
    name,
    sweepDesignOf(design),
    missing.map((c) => c.row)
  )
  missing.forEach((c, i) => {
    c.run = runs[i]
    c.action = 'resume'
  })
  return runs
}

/** One line on the state of the design: "42 of 60 runs done, 2 to continue, 16 to create". */
export function planSummary(cells: Fig4Cell[]): string {
  const n = (a: CellAction) => cells.filter((c) => c.action === a).length
  const parts = [`${n('done')} of ${cells.length} runs done`]
  if (n('resume')) parts.push(`${n('resume')} to continue`)
  if (n('create')) parts.push(`${n('create')} to create`)
  if (n('busy')) parts.push(`${n('busy')} being trained by another process`)
  return parts.join(', ')
}
