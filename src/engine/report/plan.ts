/**
 * The runs behind `lab report fig4` (the ENOMAD paper's Fig. 4 and Suppl. Fig. S1): methods × seeds on
 * one task at an equal rollout budget. A cell (method, seed) is the same experiment as a stored run when
 * the algorithm, seed, environment spec, full config (defaults filled) and budget are equal; the code
 * version is not part of it, since a change of behaviour shows up as a new config key or default. So the
 * report adopts runs from any sweep or `lab train`, continues interrupted ones, and creates only what is
 * missing: run the same command again and it resumes.
 */
import { ALGORITHM_LABELS } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { LabError } from '../../shared/errors'
import { liveness } from '../runs/lifecycle'
import { resolveRunSpec } from '../runs/spec'
import type { NewRun, RunRow, Store } from '../store/store'

/**
 * One arm of a report: a method with its hyperparameters. In Fig. 4 each arm is one algorithm (its key
 * the algorithm's name); in a study each arm is a variant of one algorithm (its key a label).
 */
export interface ReportArm {
  key: string
  label: string
  algorithm: AlgorithmName
  /** Hyperparameter overrides (none: the defaults, which are the paper's). */
  config: Record<string, unknown>
}

export interface ReportDesign {
  task: string
  seeds: number[]
  evaluations: number
  arms: ReportArm[]
}

export type CellAction = 'done' | 'resume' | 'create' | 'busy'

export interface ReportCell {
  arm: string
  algorithm: AlgorithmName
  seed: number
  /** done: a completed run; resume: an interrupted one to continue; create: none yet; busy: another live process trains it. */
  action: CellAction
  run: RunRow | null
  /** The run to create, for `create`. */
  row: NewRun
}

/** Fig. 4's arms: each method with its overrides, labelled by its display name. */
export function methodArms(
  methods: AlgorithmName[],
  config: Partial<Record<AlgorithmName, Record<string, unknown>>>
): ReportArm[] {
  for (const key of Object.keys(config))
    if (!(methods as string[]).includes(key))
      throw new LabError('invalid-config', `report: config.${key}: '${key}' is not one of the methods`)
  return methods.map((m) => ({ key: m, label: ALGORITHM_LABELS[m], algorithm: m, config: config[m] ?? {} }))
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

/** Rank of a stored run for a cell: a completed run first, then the most advanced unfinished one. */
const STATUS_RANK: Record<string, number> = { completed: 0, running: 1, paused: 2, failed: 3, queued: 4 }

/** Every run of the design, validated (nothing written), ordered seed, then arm: partial progress stays balanced. */
function designRows(design: ReportDesign): { arm: ReportArm; row: NewRun }[] {
  if (design.arms.length === 0) throw new LabError('invalid-config', 'report: give at least one method')
  if (new Set(design.arms.map((a) => a.key)).size !== design.arms.length)
    throw new LabError('invalid-config', 'report: two arms have the same name')
  const out: { arm: ReportArm; row: NewRun }[] = []
  for (const seed of design.seeds)
    for (const arm of design.arms)
      out.push({
        arm,
        row: resolveRunSpec({
          algorithm: arm.algorithm,
          task: design.task,
          seed,
          config: arm.config,
          budget: { evaluations: design.evaluations }
        }).row
      })
  const keys = new Set(out.map((o) => cellKey(o.row)))
  if (keys.size !== out.length)
    throw new LabError(
      'invalid-config',
      'report: two arms are the same experiment (same method and settings)'
    )
  return out
}

/**
 * What each cell of the design needs, from what the store holds (validates the whole design first: a
 * bad method or config writes nothing). Cancelled runs are never adopted: cancelling means "discard".
 */
export function planReport(store: Store, design: ReportDesign): ReportCell[] {
  const rows = designRows(design)
  const byKey = new Map<string, RunRow[]>()
  for (const r of store.listRuns()) {
    if (r.status === 'cancelled') continue
    const k = cellKey(r)
    byKey.set(k, [...(byKey.get(k) ?? []), r])
  }
  return rows.map(({ arm, row }) => {
    const candidates = (byKey.get(cellKey(row)) ?? []).sort(
      (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.evaluations - a.evaluations
    )
    const run = candidates[0] ?? null
    const cell = { arm: arm.key, algorithm: arm.algorithm, seed: row.seed, run, row }
    if (!run) return { ...cell, action: 'create' as const }
    if (run.status === 'completed') return { ...cell, action: 'done' as const }
    if (run.status === 'running' && liveness(run, false) !== 'interrupted')
      return { ...cell, action: 'busy' as const }
    return { ...cell, action: 'resume' as const }
  })
}

/** Creates the missing cells' runs under one new sweep (nothing when none is missing). */
export function createMissing(
  store: Store,
  cells: ReportCell[],
  design: ReportDesign,
  title: string
): RunRow[] {
  const missing = cells.filter((c) => c.action === 'create')
  if (missing.length === 0) return []
  const name = `${title}: ${design.task}, ${design.evaluations.toLocaleString('en-US')} rollouts`
  const { runs } = store.createSweep(
    name,
    design,
    missing.map((c) => c.row)
  )
  missing.forEach((c, i) => {
    c.run = runs[i]
    c.action = 'resume'
  })
  return runs
}

/** One line on the state of the design: "42 of 60 runs done, 2 to continue, 16 to create". */
export function planSummary(cells: ReportCell[]): string {
  const n = (a: CellAction) => cells.filter((c) => c.action === a).length
  const parts = [`${n('done')} of ${cells.length} runs done`]
  if (n('resume')) parts.push(`${n('resume')} to continue`)
  if (n('create')) parts.push(`${n('create')} to create`)
  if (n('busy')) parts.push(`${n('busy')} being trained by another process`)
  return parts.join(', ')
}
