/**
 * The work units of the analyses: a few episodes of one genome on one morphology each, so that the engine
 * can spread an analysis over its worker pool (a unit crosses as JSON plus the genome) and report progress
 * as units finish. runAnalysisUnit is pure apart from the simulator it drives.
 */
import { z } from 'zod'
import { QuadrupedEnvironment, type EpisodeHooks } from '../../env/quadruped/env'
import { MORPHOLOGIES, type Morphology } from '../../env/quadruped/mjcf'
import { mixSeed } from '../../training/noise'
import { Rng } from '../../util/rng'
import { composeHooks, freezeHooks, NO_EARLY_STOP, pruneHooks, pruneIndices, saturateHooks } from './hooks'
import { weightPca } from './pca'

const morphology = z.enum(MORPHOLOGIES as unknown as [Morphology, ...Morphology[]])
const index = z.number().int().min(0).max(1_000_000)
const episodeList = z.array(index).min(1).max(1000)
const uint32 = z.number().int().min(0).max(0xffffffff)

const perturbationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('saturate'),
    start: index,
    duration: z.number().int().min(1).max(1_000_000),
    value: z.number().min(-1).max(1)
  }),
  z.strictObject({ type: z.literal('prune'), at: index, fraction: z.number().gt(0).lt(1), seed: uint32 })
])
export type Perturbation = z.infer<typeof perturbationSchema>

export const analysisUnitSchema = z.discriminatedUnion('kind', [
  /** Each episode once per freeze point. */
  z.strictObject({
    kind: z.literal('freeze'),
    morphology,
    episodes: episodeList,
    freezeAt: z.array(index).min(1).max(1000)
  }),
  /** Each episode unperturbed and perturbed, whole lifetimes, with the progress of every step. */
  z.strictObject({
    kind: z.literal('perturb'),
    morphology,
    episodes: episodeList,
    perturbation: perturbationSchema
  }),
  /** One lifetime's weights, projected on their first 3 principal components. */
  z.strictObject({
    kind: z.literal('pca'),
    morphology,
    episode: index,
    coefficients: z.enum(['evolved', 'random']),
    seed: uint32,
    every: z.number().int().min(1).max(1000)
  }),
  /** Plain evaluation episodes (the authors' episode, early stop included). */
  z.strictObject({ kind: z.literal('episodes'), morphology, episodes: episodeList })
])
export type AnalysisUnit = z.infer<typeof analysisUnitSchema>

export type AnalysisUnitOutput =
  | { kind: 'freeze'; /** fitness[e][k]: episode e frozen at freezeAt[k]. */ fitness: number[][] }
  | { kind: 'perturb'; /** progress[e][t] of every step. */ baseline: number[][]; perturbed: number[][] }
  | {
      kind: 'pca'
      /** The recorded steps and their 3 component scores. */
      steps: number[]
      scores: number[][]
      explained: number[]
      fitness: number
      distance: number
    }
  | { kind: 'episodes'; fitness: number[]; distance: number[]; steps: number[] }

/** Relative cost of a unit (policy steps simulated), for progress and ETA. */
export function unitCost(unit: AnalysisUnit, steps: number): number {
  switch (unit.kind) {
    case 'freeze':
      return unit.episodes.length * unit.freezeAt.length * steps
    case 'perturb':
      return unit.episodes.length * 2 * steps
    case 'pca':
      // The Gram matrix of ~1,000 × 12,288 weights costs about as much as a hundred episodes.
      return 100 * steps
    case 'episodes':
      return unit.episodes.length * steps
  }
}

/** The random coefficients of the PCA's control: N(0, 1), as the Hebbian ES's initial centre. */
export function randomCoefficients(length: number, seed: number): Float64Array {
  const rng = new Rng(seed)
  return Float64Array.from({ length }, () => rng.normal())
}

/** The progress of every step of one whole lifetime (the early stop off). */
function progressOf(
  env: QuadrupedEnvironment,
  genome: Float64Array,
  m: Morphology,
  episode: number,
  extra?: EpisodeHooks
): number[] {
  const progress = new Array<number>(env.spec.steps).fill(0)
  const record: EpisodeHooks = { step: (t, sim) => void (progress[t] = sim.rewards.progress) }
  env.episode(genome, m, episode, composeHooks(NO_EARLY_STOP, record, ...(extra ? [extra] : [])))
  return progress
}

function perturbationHooks(p: Perturbation, synapses: number, episode: number): EpisodeHooks {
  if (p.type === 'saturate') return saturateHooks(p.start, p.duration, p.value)
  return pruneHooks(p.at, pruneIndices(synapses, p.fraction, mixSeed(p.seed, episode)))
}

/** Runs one unit on the environment of its run with that run's genome. */
export function runAnalysisUnit(
  env: QuadrupedEnvironment,
  genome: Float64Array,
  unit: AnalysisUnit
): AnalysisUnitOutput {
  if (!(env instanceof QuadrupedEnvironment))
    throw new Error(
      `the Hebbian analyses run on the quadruped, not on a ${(env as { id?: string }).id} environment`
    )
  switch (unit.kind) {
    case 'freeze':
      return {
        kind: 'freeze',
        fitness: unit.episodes.map((e) =>
          unit.freezeAt.map((t) => env.episode(genome, unit.morphology, e, freezeHooks(t)).fitness)
        )
      }
    case 'perturb': {
      const baseline: number[][] = []
      const perturbed: number[][] = []
      for (const e of unit.episodes) {
        baseline.push(progressOf(env, genome, unit.morphology, e))
        const hooks = perturbationHooks(unit.perturbation, env.net.synapses, e)
        perturbed.push(progressOf(env, genome, unit.morphology, e, hooks))
      }
      return { kind: 'perturb', baseline, perturbed }
    }
    case 'pca': {
      const g = unit.coefficients === 'evolved' ? genome : randomCoefficients(env.layout.length, unit.seed)
      const rows: Float64Array[] = []
      const steps: number[] = []
      // The weights each step acts with (before its update); the first is the initial random draw.
      const record: EpisodeHooks = {
        step: (t, _sim, net) => {
          if (t % unit.every !== 0) return
          rows.push(Float64Array.from(net.weights))
          steps.push(t)
        }
      }
      const r = env.episode(g, unit.morphology, unit.episode, composeHooks(NO_EARLY_STOP, record))
      const { scores, explained } = weightPca(rows)
      return { kind: 'pca', steps, scores, explained, fitness: r.fitness, distance: r.distance }
    }
    case 'episodes': {
      const rs = unit.episodes.map((e) => env.episode(genome, unit.morphology, e))
      return {
        kind: 'episodes',
        fitness: rs.map((r) => r.fitness),
        distance: rs.map((r) => r.distance),
        steps: rs.map((r) => r.steps)
      }
    }
  }
}
