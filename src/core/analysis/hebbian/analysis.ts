/**
 * The paper's analyses of a quadruped run (seed 002 = /work/shared/seeds/002_764ebf28a93029f6.txt §4.1):
 * Fig. 3 left (freeze the Hebbian updates at step t), Fig. 3 right (saturated actuators), Fig. 4 (a third
 * of the weights zeroed), Fig. 5 (PCA of the weight trajectory) and Table 1 (seen and unseen damage).
 *
 * An analysis is planned as work units (./units.ts), run (here in-process by runAnalysis, or by the
 * engine on its worker pool) and combined into one AnalysisOutput. Episodes are the environment's draws
 * 1..N: 0 is the draw training evaluates, the others are independent (the paper's 100 rollouts).
 */
import type { QuadrupedSpec } from '../../env/quadruped/env'
import { columnStats, num } from './format'
import { damageTableOutput, type DamageArm } from './damage'
import {
  ANALYSES_WITH_AGAINST,
  AnalysisParamError,
  checkAnalysisFits,
  parseAnalysisParams,
  type AnalysisParams,
  type AnalysisParamsInput
} from './params'
import { perturbOutput, type PerturbArm } from './perturb'
import type { AnalysisKind, AnalysisOutput, AnalysisSubject } from './types'
import { runAnalysisUnit, unitCost, type AnalysisUnit, type AnalysisUnitOutput } from './units'

/** What planning needs of a run: its spec and its legend label. */
export interface AnalysisArmInfo {
  spec: QuadrupedSpec
  label: string
}

export type AnalysisArm = 'run' | 'against'

export interface PlannedUnit {
  arm: AnalysisArm
  unit: AnalysisUnit
}

export interface PreparedAnalysis<K extends AnalysisKind = AnalysisKind> {
  kind: K
  params: AnalysisParams[K]
  units: PlannedUnit[]
  /** Each unit's cost in simulated policy steps (for progress and ETA). */
  costs: number[]
  /** The outputs of `units`, in their order, as one result. */
  combine(outputs: AnalysisUnitOutput[]): AnalysisOutput
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
const chunks = <T>(xs: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size))

/** The freeze points within a lifetime of `steps`: sorted, unique, and the lifetime itself (never frozen). */
export function freezePoints(freezeAt: readonly number[], steps: number): number[] {
  return [...new Set([...freezeAt.map((t) => Math.min(t, steps)), steps])].sort((a, b) => a - b)
}

/** Validates the parameters against the runs, and plans the units. */
export function prepareAnalysis<K extends AnalysisKind>(
  kind: K,
  rawParams: unknown,
  run: AnalysisArmInfo,
  against?: AnalysisArmInfo
): PreparedAnalysis<K> {
  const params = parseAnalysisParams(kind, rawParams)
  if (against && !ANALYSES_WITH_AGAINST.includes(kind))
    throw new AnalysisParamError(
      `${kind}: takes no second run (against is for ${ANALYSES_WITH_AGAINST.join(', ')})`
    )
  checkAnalysisFits(kind, params, run.spec, 'run')
  if (against) checkAnalysisFits(kind, params, against.spec, 'against')
  const arms: [AnalysisArm, AnalysisArmInfo][] = [
    ['run', run],
    ...(against ? [['against', against] as [AnalysisArm, AnalysisArmInfo]] : [])
  ]
  const units: PlannedUnit[] = []
  const k = kind as AnalysisKind
  if (k === 'freeze') {
    const p = params as AnalysisParams['freeze']
    const at = freezePoints(p.freezeAt, run.spec.steps)
    for (const e of range(p.episodes))
      units.push({
        arm: 'run',
        unit: { kind: 'freeze', morphology: p.morphology, episodes: [e], freezeAt: at }
      })
  } else if (k === 'saturate' || k === 'prune') {
    const p = params as AnalysisParams['saturate'] | AnalysisParams['prune']
    const perturbation =
      k === 'saturate'
        ? { type: 'saturate' as const, ...pick(params as AnalysisParams['saturate']) }
        : { type: 'prune' as const, ...pickPrune(params as AnalysisParams['prune']) }
    for (const [arm] of arms)
      for (const es of chunks(range(p.episodes), 2))
        units.push({ arm, unit: { kind: 'perturb', morphology: p.morphology, episodes: es, perturbation } })
  } else if (k === 'pca') {
    const p = params as AnalysisParams['pca']
    for (const coefficients of ['evolved', 'random'] as const)
      units.push({
        arm: 'run',
        unit: {
          kind: 'pca',
          morphology: p.morphology,
          episode: p.episode,
          coefficients,
          seed: p.seed,
          every: p.every
        }
      })
  } else {
    const p = params as AnalysisParams['damage-table']
    for (const [arm] of arms)
      for (const m of p.morphologies)
        for (const es of chunks(range(p.episodes), 10))
          units.push({ arm, unit: { kind: 'episodes', morphology: m, episodes: es } })
  }
  const info = (a: AnalysisArm): AnalysisArmInfo => (a === 'run' ? run : against!)
  return {
    kind,
    params,
    units,
    costs: units.map((u) => unitCost(u.unit, info(u.arm).spec.steps)),
    combine: (outputs) => combine(k, params, units, outputs, info)
  }
}

const pick = ({ start, duration, value }: AnalysisParams['saturate']) => ({ start, duration, value })
const pickPrune = ({ at, fraction, seed }: AnalysisParams['prune']) => ({ at, fraction, seed })

function combine(
  kind: AnalysisKind,
  params: AnalysisParams[AnalysisKind],
  units: PlannedUnit[],
  outputs: AnalysisUnitOutput[],
  info: (a: AnalysisArm) => AnalysisArmInfo
): AnalysisOutput {
  if (outputs.length !== units.length)
    throw new Error(`analysis: ${outputs.length} unit results for ${units.length} units`)
  const of = <T extends AnalysisUnitOutput['kind']>(t: T) =>
    outputs.map((o) => {
      if (o.kind !== t) throw new Error(`analysis: a ${o.kind} result where a ${t} result was expected`)
      return o as Extract<AnalysisUnitOutput, { kind: T }>
    })
  const armsUsed = [...new Set(units.map((u) => u.arm))]
  switch (kind) {
    case 'freeze':
      return freezeOutput(params as AnalysisParams['freeze'], info('run'), units, of('freeze'))
    case 'saturate':
    case 'prune': {
      const outs = of('perturb')
      const arms: PerturbArm[] = armsUsed.map((a) => {
        const mine = outs.filter((_, i) => units[i].arm === a)
        return {
          label: info(a).label,
          baseline: mine.flatMap((o) => o.baseline),
          perturbed: mine.flatMap((o) => o.perturbed)
        }
      })
      return perturbOutput(kind, params as AnalysisParams['saturate' | 'prune'], arms)
    }
    case 'pca':
      return pcaOutput(params as AnalysisParams['pca'], info('run'), of('pca'))
    case 'damage-table': {
      const outs = of('episodes')
      const arms: DamageArm[] = armsUsed.map((a) => {
        const rollouts: DamageArm['rollouts'] = {}
        outs.forEach((o, i) => {
          const u = units[i]
          if (u.arm !== a || u.unit.kind !== 'episodes') return
          const r = (rollouts[u.unit.morphology] ??= { fitness: [], distance: [] })
          r.fitness.push(...o.fitness)
          r.distance.push(...o.distance)
        })
        const spec = info(a).spec
        return { label: info(a).label, controller: spec.controller.kind, seen: spec.morphologies, rollouts }
      })
      return damageTableOutput(params as AnalysisParams['damage-table'], arms)
    }
  }
}

function freezeOutput(
  params: AnalysisParams['freeze'],
  run: AnalysisArmInfo,
  units: PlannedUnit[],
  outs: Extract<AnalysisUnitOutput, { kind: 'freeze' }>[]
): AnalysisOutput {
  const first = units[0].unit
  const at = first.kind === 'freeze' ? first.freezeAt : []
  const st = columnStats(outs.flatMap((o) => o.fitness))
  const never = st.mean[st.mean.length - 1]
  const reach = never > 0 ? at.find((_, k) => st.mean[k] >= 0.9 * never) : undefined
  const steps = run.spec.steps
  return {
    kind: 'freeze',
    title: 'Freeze the Hebbian updates at step t',
    params: { ...params, freezeAt: at },
    xLabel: 'Hebbian updates before the freeze (t)',
    yLabel: 'episode reward (Σ progress)',
    series: [{ name: run.label, x: at, y: st.mean, band: { lo: st.lo, hi: st.hi } }],
    notes: [
      `The weights stop changing after t updates (t = 0: the initial random weights throughout; t = ${steps}: never frozen, the run's lifetime).`,
      `${params.episodes} episodes (draws 1–${params.episodes}) on the ${params.morphology} body, the authors' episode with its early stop; mean ± sample std.`,
      reach === undefined
        ? `The never-frozen episodes do not move forward on average (${num(never)}): no convergence step.`
        : `90% of the never-frozen reward (${num(never)}) from t = ${reach} on average (the paper: 30–80 updates).`
    ]
  }
}

function pcaOutput(
  params: AnalysisParams['pca'],
  run: AnalysisArmInfo,
  outs: Extract<AnalysisUnitOutput, { kind: 'pca' }>[]
): AnalysisOutput {
  const names = [`${run.label}, evolved coefficients`, 'random N(0, 1) coefficients']
  const pct = (v: number) => `${num(100 * v)}%`
  return {
    kind: 'pca',
    title: 'The weight trajectory of one lifetime, first 3 principal components',
    params,
    xLabel: 'PC1',
    yLabel: 'PC2',
    zLabel: 'PC3',
    series: outs.map((o, i) => ({ name: names[i], x: o.scores[0], y: o.scores[1], z: o.scores[2] })),
    table: {
      header: ['coefficients', 'PC1', 'PC2', 'PC3', 'PC1–3', 'steps', 'Σ progress', 'distance (m)'],
      rows: outs.map((o, i) => [
        names[i],
        ...o.explained.map(pct),
        pct(o.explained.reduce((a, b) => a + b, 0)),
        String(o.steps.length),
        num(o.fitness),
        num(o.distance)
      ])
    },
    notes: [
      `All ${run.spec.steps} steps of episode ${params.episode} on the ${params.morphology} body (early stop off), the weights recorded every ${params.every === 1 ? 'step' : `${params.every} steps`} before that step's update; point i is recorded step ${params.every === 1 ? 'i' : `i × ${params.every}`}, the first is the initial random draw.`,
      `Each trajectory has its own PCA (ml-pca, dual form on the steps' Gram matrix); explained variance in the table. Random coefficients: N(0, 1), seed ${params.seed}, as the Hebbian ES's initial centre.`
    ]
  }
}

/** Runs an analysis in this process (`onUnit` after each unit, with the cost done and the total). */
export function runAnalysis<K extends AnalysisKind>(
  kind: K,
  params: unknown,
  run: AnalysisSubject,
  against?: AnalysisSubject,
  onUnit?: (done: number, total: number) => void
): AnalysisOutput {
  const plan = prepareAnalysis(kind, params, armInfo(run), against && armInfo(against))
  const total = plan.costs.reduce((a, b) => a + b, 0)
  let done = 0
  const outputs = plan.units.map((u, i) => {
    const s = u.arm === 'run' ? run : against!
    const out = runAnalysisUnit(s.env, s.genome, u.unit)
    done += plan.costs[i]
    onUnit?.(done, total)
    return out
  })
  return plan.combine(outputs)
}

const armInfo = (s: AnalysisSubject): AnalysisArmInfo => ({ spec: s.env.spec, label: s.label })

export const freezeAnalysis = (run: AnalysisSubject, params: AnalysisParamsInput['freeze'] = {}) =>
  runAnalysis('freeze', params, run)
export const saturateAnalysis = (
  run: AnalysisSubject,
  params: AnalysisParamsInput['saturate'] = {},
  against?: AnalysisSubject
) => runAnalysis('saturate', params, run, against)
export const pruneAnalysis = (
  run: AnalysisSubject,
  params: AnalysisParamsInput['prune'] = {},
  against?: AnalysisSubject
) => runAnalysis('prune', params, run, against)
export const pcaAnalysis = (run: AnalysisSubject, params: AnalysisParamsInput['pca'] = {}) =>
  runAnalysis('pca', params, run)
export const damageTableAnalysis = (
  run: AnalysisSubject,
  params: AnalysisParamsInput['damage-table'] = {},
  against?: AnalysisSubject
) => runAnalysis('damage-table', params, run, against)
