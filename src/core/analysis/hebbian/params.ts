/**
 * The parameters of each analysis (zod, defaults filled), shared by the core functions, the engine and the
 * API contract (src/shared/api-analysis.ts). Defaults follow the paper (seed 002 §4.1, Figs. 3–5) where it
 * says something, and are explained where it does not.
 */
import { z } from 'zod'
import { MORPHOLOGIES, type Morphology } from '../../env/quadruped/mjcf'
import type { QuadrupedSpec } from '../../env/quadruped/env'
import type { AnalysisKind } from './types'

/**
 * Freeze points t (Hebbian updates before the weights stop changing). The paper finds convergence after
 * 30–80 updates (Fig. 3 left), so the grid is every 10 steps up to 80, then coarser to half the lifetime;
 * the run's own lifetime (never frozen) is always added as the last point.
 */
export const DEFAULT_FREEZE_AT: readonly number[] = [
  0, 10, 20, 30, 40, 50, 60, 70, 80, 100, 150, 200, 300, 500
]

const morphology = z.enum(MORPHOLOGIES as unknown as [Morphology, ...Morphology[]])
const step = z.number().int().min(0).max(100_000)
const episodes = (d: number) => z.number().int().min(1).max(1000).default(d)
const seed = z.number().int().min(0).max(0xffffffff).default(0)
/** Smoothing window of the per-step progress curves and of the recovery test (≈ a third of a second). */
const window = z.number().int().min(1).max(1000).default(20)
/** Recovered = the windowed progress back to this fraction of the unperturbed episode's. */
const threshold = z.number().gt(0).max(1).default(0.9)

export const freezeParamsSchema = z.strictObject({
  morphology: morphology.default('intact'),
  episodes: episodes(10),
  freezeAt: z
    .array(step)
    .min(1)
    .max(100)
    .default([...DEFAULT_FREEZE_AT])
})

/**
 * Fig. 3 right: "saturating all its outputs to 1.0 for 100 timesteps, effectively freezing the agent in
 * place" (§4.1), "actuators frozen … from t=300 to t=400" (caption): every network output is set to
 * `value` for `duration` steps from `start`, and the Hebbian rule sees those saturated outputs.
 */
export const saturateParamsSchema = z.strictObject({
  morphology: morphology.default('intact'),
  episodes: episodes(10),
  start: step.default(300),
  duration: z.number().int().min(1).max(100_000).default(100),
  value: z.number().min(-1).max(1).default(1),
  window,
  threshold
})

/** Fig. 4: a third of the synaptic weights zeroed at one step (a random subset per episode, seeded). */
export const pruneParamsSchema = z.strictObject({
  morphology: morphology.default('intact'),
  episodes: episodes(10),
  at: step.default(300),
  fraction: z
    .number()
    .gt(0)
    .lt(1)
    .default(1 / 3),
  seed,
  window,
  threshold
})

/** Fig. 5: the weights of one lifetime, evolved coefficients against random N(0, 1) ones (the ES's start). */
export const pcaParamsSchema = z.strictObject({
  morphology: morphology.default('intact'),
  /** The episode's draw (initial weights and reset); 0 is the one training evaluates. */
  episode: z.number().int().min(0).max(1_000_000).default(1),
  /** Seed of the random coefficients. */
  seed,
  /** Record the weights every `every` steps (1: every step, as the paper's figure). */
  every: z.number().int().min(1).max(1000).default(1)
})

/** Table 1: 100 rollouts per morphology; solved = ≥ 100 units (Σ progress, the paper's unit). */
export const damageTableParamsSchema = z.strictObject({
  episodes: episodes(100),
  morphologies: z
    .array(morphology)
    .min(1)
    .refine((ms) => new Set(ms).size === ms.length, 'each morphology at most once')
    .default([...MORPHOLOGIES]),
  solvedAt: z.number().min(0).max(1e9).default(100)
})

export const ANALYSIS_PARAM_SCHEMAS = {
  freeze: freezeParamsSchema,
  saturate: saturateParamsSchema,
  prune: pruneParamsSchema,
  pca: pcaParamsSchema,
  'damage-table': damageTableParamsSchema
} as const satisfies Record<AnalysisKind, z.ZodType>

export type AnalysisParams = { [K in AnalysisKind]: z.output<(typeof ANALYSIS_PARAM_SCHEMAS)[K]> }
export type AnalysisParamsInput = { [K in AnalysisKind]: z.input<(typeof ANALYSIS_PARAM_SCHEMAS)[K]> }

/** The analyses with an `against` arm (the static run of the comparison). */
export const ANALYSES_WITH_AGAINST: readonly AnalysisKind[] = ['saturate', 'prune', 'damage-table']
/** The analyses that need a plastic network (a static one has no updates to freeze, no weight trajectory). */
export const HEBBIAN_ONLY: readonly AnalysisKind[] = ['freeze', 'pca']

/** A parameter that does not fit the analysis or the run; the engine reports it as invalid-config. */
export class AnalysisParamError extends Error {
  override name = 'AnalysisParamError'
}

/** The parameters of one kind, validated with defaults filled (AnalysisParamError naming the field). */
export function parseAnalysisParams<K extends AnalysisKind>(kind: K, input: unknown): AnalysisParams[K] {
  const r = ANALYSIS_PARAM_SCHEMAS[kind].safeParse(input ?? {})
  if (!r.success)
    throw new AnalysisParamError(
      `${kind}: ${r.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`
    )
  return r.data as AnalysisParams[K]
}

/** Refuses parameters that do not fit the spec of the run (its lifetime, its controller). */
export function checkAnalysisFits<K extends AnalysisKind>(
  kind: K,
  params: AnalysisParams[K],
  spec: QuadrupedSpec,
  role: 'run' | 'against' = 'run'
): void {
  const fail = (msg: string): never => {
    throw new AnalysisParamError(`${kind}: ${msg}`)
  }
  const steps = spec.steps
  if (role === 'run' && HEBBIAN_ONLY.includes(kind) && spec.controller.kind !== 'hebbian')
    fail(`needs a Hebbian run; this run's network is static (its weights never change)`)
  if (kind === 'saturate') {
    const p = params as AnalysisParams['saturate']
    if (p.start + p.duration > steps)
      fail(
        `the saturation (steps ${p.start}–${p.start + p.duration - 1}) must end within the run's ${steps} steps; ` +
          `give a smaller start or duration`
      )
  } else if (kind === 'prune') {
    const p = params as AnalysisParams['prune']
    if (p.at >= steps) fail(`at ${p.at} is not within the run's ${steps} steps (0–${steps - 1})`)
  } else if (kind === 'pca') {
    const p = params as AnalysisParams['pca']
    if (Math.ceil(steps / p.every) < 4)
      fail(`${Math.ceil(steps / p.every)} recorded steps are too few for 3 components; give a smaller every`)
  }
}
