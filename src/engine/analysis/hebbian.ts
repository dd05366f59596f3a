/**
 * The paper's analyses of a stored quadruped run (seed 002 Figs. 3–5, Table 1; src/core/analysis/hebbian):
 * load the run's genome and environment spec from the store, check everything before any work, spread the
 * analysis's units over the worker pool (each a few episodes; ~minutes in all for the damage table), combine,
 * and store the result (the `analyses` table, src/engine/store/analyses.ts). The one implementation behind
 * `lab analyse` and the app's `runs:analyse` channel.
 */
import {
  AnalysisParamError,
  controllerLabel,
  prepareAnalysis,
  runAnalysisUnit,
  type AnalysisArmInfo,
  type AnalysisKind,
  type AnalysisUnitOutput,
  type PreparedAnalysis
} from '../../core/analysis/hebbian'
import { QuadrupedEnvironment, type QuadrupedSpec } from '../../core/env/quadruped/env'
import { LabError } from '../../shared/errors'
import { prepareEnvironment } from '../environments'
import { runEnvironment } from '../genome-export'
import type { WorkBackend } from '../pool/backend'
import { insertAnalysis, listAnalyses, type StoredAnalysis } from '../store/analyses'
import type { RunRow, Store } from '../store/store'

export interface AnalyseRequest {
  /** The run (id or unique prefix): a quadruped run. */
  runId: string
  kind: AnalysisKind
  /** The kind's parameters (core's schemas; defaults filled). */
  params?: unknown
  /** A second run to compare with (saturate, prune, damage-table): the static network of Table 1. */
  against?: string
}

export interface AnalyseProgress {
  /** Simulated policy steps done and planned (units weighted by their cost). */
  done: number
  total: number
  units: number
  unitsDone: number
}

export interface AnalyseOptions {
  /** Runs the units on this pool; without one they run here, one after another. */
  pool?: WorkBackend | null
  onProgress?: (p: AnalyseProgress) => void
}

interface LoadedRun {
  row: RunRow
  spec: QuadrupedSpec
  genome: Float64Array
  generation: number
  label: string
}

/** A quadruped run with its current solution, or a clear refusal. */
function loadRun(store: Store, id: string, what: 'run' | 'against'): LoadedRun {
  const row = store.getRun(id)
  const field = what === 'against' ? 'against: ' : ''
  if (row.environment !== 'quadruped')
    throw new LabError(
      'unsupported',
      `${field}run ${row.id} ('${row.name}') trains the ${row.environment} environment; the Hebbian analyses take quadruped runs`
    )
  const env = runEnvironment(row)
  if (!(env instanceof QuadrupedEnvironment))
    throw new LabError('unsupported', `${field}run ${row.id} is not a quadruped run`)
  const g = store.bestGenome(row.id, env.prior)
  return {
    row,
    spec: env.spec,
    genome: g.weights,
    generation: g.generation,
    label: controllerLabel(env)
  }
}

/** Everything an analysis needs, checked and planned; nothing is run or written. */
export function planRunAnalysis(
  store: Store,
  req: AnalyseRequest
): { plan: PreparedAnalysis; run: LoadedRun; against: LoadedRun | null } {
  const run = loadRun(store, req.runId, 'run')
  const against = req.against === undefined ? null : loadRun(store, req.against, 'against')
  if (against && against.row.id === run.row.id)
    throw new LabError('invalid-config', `against: run ${run.row.id} cannot be compared with itself`)
  // Two networks of the same kind: tell them apart by run.
  if (against && against.label === run.label) {
    run.label = `${run.label} ${run.row.id}`
    against.label = `${against.label} ${against.row.id}`
  }
  const info = (r: LoadedRun): AnalysisArmInfo => ({ spec: r.spec, label: r.label })
  try {
    const plan = prepareAnalysis(req.kind, req.params ?? {}, info(run), against ? info(against) : undefined)
    return { plan, run, against }
  } catch (e) {
    if (e instanceof AnalysisParamError) throw new LabError('invalid-config', e.message)
    throw e
  }
}

/** Runs an analysis of a stored run and stores its result. */
export async function analyseRun(
  store: Store,
  req: AnalyseRequest,
  opts: AnalyseOptions = {}
): Promise<StoredAnalysis> {
  const { plan, run, against } = planRunAnalysis(store, req)
  const total = plan.costs.reduce((a, b) => a + b, 0)
  const progress: AnalyseProgress = { done: 0, total, units: plan.units.length, unitsDone: 0 }
  opts.onProgress?.({ ...progress })
  const finished = (i: number) => {
    progress.done += plan.costs[i]
    progress.unitsDone++
    opts.onProgress?.({ ...progress })
  }
  const arm = (a: 'run' | 'against') => (a === 'run' ? run : against!)
  let outputs: AnalysisUnitOutput[]
  const pool = opts.pool
  if (pool) {
    const owner = `analysis:${run.row.id}:${Date.now()}`
    outputs = await Promise.all(
      plan.units.map(async (u, i) => {
        const r = arm(u.arm)
        const { response } = await pool.run(
          { kind: 'analysis', env: r.spec, genome: r.genome, unit: u.unit },
          owner
        )
        if (response.kind !== 'analysis') throw new Error(`analysis unit answered with ${response.kind}`)
        finished(i)
        return response.output
      })
    )
  } else {
    outputs = []
    for (const [i, u] of plan.units.entries()) {
      const r = arm(u.arm)
      const env = (await prepareEnvironment(r.spec)) as QuadrupedEnvironment
      outputs.push(runAnalysisUnit(env, r.genome, u.unit))
      finished(i)
    }
  }
  const output = plan.combine(outputs)
  output.params = {
    ...output.params,
    generation: run.generation,
    ...(against ? { against: against.row.id, againstGeneration: against.generation } : {})
  }
  return insertAnalysis(store, run.row.id, output, against?.row.id ?? null)
}

/** A run's stored analyses, newest first (the run by id or unique prefix). */
export function analysesOf(store: Store, runId: string): StoredAnalysis[] {
  return listAnalyses(store, store.getRun(runId).id)
}
