import { z } from 'zod'
import type { AlgorithmName } from './types'

/**
 * Every hyperparameter of the training algorithms with its default (shared spec docs/optimizers.md,
 * from seed 000 and the authors' dsb-lab/ENOMAD package; "(choice)" where the sources are silent).
 */
// Environment settings (task, model constants) are not hyperparameters: they live in the run's
// environment spec (src/core/env).

const mads = {
  madsBound: z
    .number()
    .positive()
    .max(1e6)
    .default(1)
    .describe('MADS box half-width around the current values (authors: 1.0)'),
  madsEvaluations: z
    .number()
    .int()
    .positive()
    .max(100_000)
    .default(200)
    .describe('MADS evaluation budget per call (max_bb_eval)'),
  madsBlockSize: z
    .number()
    .int()
    .positive()
    .max(64)
    .default(1)
    .describe(
      'MADS trial points evaluated per block; opportunism stops after a block (NOMAD default 1; authors pass 4)'
    )
}

const population = {
  populationSize: z.number().int().min(2).max(10_000).default(64).describe('population size N'),
  parentFraction: z.number().gt(0).lt(1).default(0.5).describe('fraction of the population kept as parents'),
  selectionEpsilon: z
    .number()
    .positive()
    .max(1)
    .default(0.01)
    .describe(
      'weight of the worst parent when fitnesses are shifted, as a fraction of their spread (choice)'
    ),
  selection: z
    .enum(['proportional', 'shifted'])
    .default('proportional')
    .describe(
      'parent weights: raw fitness-proportional f/Σf, as the authors (shifted only when a parent has f ≤ 0), or always shifted'
    ),
  crossover: z
    .enum(['fitness', 'uniform'])
    .default('fitness')
    .describe(
      'gene source: parent 1 with p₁/(p₁+p₂) (paper Eq. 7) or with 0.5 (the authors’ package default)'
    )
}

const mutation = {
  mutationCount: z
    .number()
    .int()
    .nonnegative()
    .max(10_000)
    .default(5)
    .describe('coordinates replaced per offspring'),
  mutationLow: z
    .number()
    .min(-1e6)
    .max(1e6)
    .default(-20)
    .describe('lower end of the U(low, high) mutation values'),
  mutationHigh: z
    .number()
    .min(-1e6)
    .max(1e6)
    .default(20)
    .describe('upper end of the U(low, high) mutation values')
}

export const renomadConfigSchema = z.object({
  ...population,
  ...mads,
  madsCoordinates: z
    .number()
    .int()
    .positive()
    .max(500)
    .default(49)
    .describe('coordinates drawn per MADS call (PyNomad limit 49)')
})

export const randomInitConfigSchema = renomadConfigSchema.extend({
  initLow: z
    .number()
    .min(-1e6)
    .max(1e6)
    .default(-20)
    .describe('random initialisation: lower end of U(low, high)'),
  initHigh: z
    .number()
    .min(-1e6)
    .max(1e6)
    .default(20)
    .describe('random initialisation: upper end of U(low, high)')
})

export const menomadConfigSchema = z.object({
  ...population,
  ...mads,
  ...mutation,
  maxChangedSet: z
    .number()
    .int()
    .positive()
    .max(500)
    .default(49)
    .describe('largest changed set refined by MADS (< 50)')
})

export const eaConfigSchema = z.object({ ...population, ...mutation })

export const esConfigSchema = z.object({
  populationSize: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .multipleOf(2)
    .default(64)
    .describe('perturbations per generation (mirrored pairs)'),
  sigma: z.number().positive().max(1000).default(0.5).describe('perturbation scale σ (choice)'),
  learningRate: z.number().positive().max(10).default(0.05).describe('Adam learning rate (choice)'),
  weightDecay: z.number().nonnegative().max(10).default(0.005).describe('L2 decay of θ towards W0 (choice)'),
  beta1: z.number().min(0).lt(1).default(0.9).describe('Adam β1'),
  beta2: z.number().min(0).lt(1).default(0.999).describe('Adam β2'),
  adamEpsilon: z.number().positive().max(1).default(1e-8).describe('Adam ε')
})

/**
 * The Hebbian ES (hebbian-es.ts): seed 002 (/work/shared/seeds/002_764ebf28a93029f6.txt §4) and its authors'
 * code (/work/shared/docs/hebbian-environments.md §2).
 */
export const hebbianEsConfigSchema = z.object({
  populationSize: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .multipleOf(2)
    .default(500)
    .describe('candidates per generation, mirrored pairs (paper: 500 quadruped, 200 car)'),
  learningRate: z.number().positive().max(10).default(0.2).describe('initial learning rate α (paper: 0.2)'),
  alphaDecay: z.number().gt(0).max(1).default(0.995).describe('α ×= this each generation (authors: 0.995)'),
  alphaFloor: z.number().nonnegative().max(10).default(0.001).describe('α decays only while above this'),
  sigma: z.number().positive().max(1000).default(0.1).describe('initial perturbation scale σ (paper: 0.1)'),
  sigmaDecay: z.number().gt(0).max(1).default(0.999).describe('σ ×= this each generation (authors: 0.999)'),
  sigmaFloor: z.number().nonnegative().max(1000).default(0.01).describe('σ decays only while above this'),
  coefficientPenalty: z
    .number()
    .nonnegative()
    .max(1000)
    .default(0.01)
    .describe('fitness −= this × mean(candidate²) (authors: 0.01)'),
  init: z
    .enum(['normal', 'uniform', 'prior'])
    .default('normal')
    .describe('initial centre: N(0, 1) (authors’ code), U(−1, 1), or the environment’s prior')
})

export const cfnomadConfigSchema = z.object({
  ...mads,
  mutateEvery: z
    .number()
    .int()
    .positive()
    .max(1_000_000)
    .default(4)
    .describe('generations between mutations'),
  mutateCount: z.number().int().positive().max(10_000).default(2).describe('coordinates mutated each time'),
  mutationLow: mutation.mutationLow,
  mutationHigh: mutation.mutationHigh,
  maxMutatedSet: z
    .number()
    .int()
    .positive()
    .max(500)
    .default(49)
    .describe('MADS runs while fewer than 50 coordinates are mutated')
})

export const CONFIG_SCHEMAS = {
  renomad: renomadConfigSchema,
  'renomad-random': randomInitConfigSchema,
  menomad: menomadConfigSchema,
  ea: eaConfigSchema,
  es: esConfigSchema,
  cfnomad: cfnomadConfigSchema,
  'hebbian-es': hebbianEsConfigSchema
} as const satisfies Record<AlgorithmName, z.ZodType>

export const ALGORITHM_NAMES = Object.keys(CONFIG_SCHEMAS) as AlgorithmName[]

/**
 * Each algorithm's display name, as the paper writes it (seed 000, Sec. 2.4, Fig. 4 and Suppl. Fig. S1):
 * the new-run form and the lab's figures show these.
 */
export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  renomad: 'rENOMAD',
  'renomad-random': 'rENOMAD (random init)',
  menomad: 'mENOMAD',
  ea: 'pure EA',
  es: 'OpenAI-ES',
  cfnomad: 'cfNOMAD',
  // Seed 002 (Najarro & Risi 2020), not in the ENOMAD paper.
  'hebbian-es': 'Hebbian ES'
}

export type RenomadConfig = z.infer<typeof renomadConfigSchema>
export type RandomInitConfig = z.infer<typeof randomInitConfigSchema>
export type MenomadConfig = z.infer<typeof menomadConfigSchema>
export type EaConfig = z.infer<typeof eaConfigSchema>
export type EsConfig = z.infer<typeof esConfigSchema>
export type CfnomadConfig = z.infer<typeof cfnomadConfigSchema>
export type HebbianEsConfig = z.infer<typeof hebbianEsConfigSchema>
export type AlgorithmConfig = { [K in AlgorithmName]: z.infer<(typeof CONFIG_SCHEMAS)[K]> }

/** The most float values a population algorithm may hold (N × genome length): 100 M, i.e. 800 MB. */
export const MAX_POPULATION_VALUES = 100_000_000

/**
 * A plain-English name and a one-line help text per hyperparameter (the form's labels and field hints),
 * from docs/optimizers.md and the paper (sections 2.3–2.4). The defaults shown beside them are the
 * schemas' above: the paper's and the authors' package's, "(choice)" where both are silent.
 */
export const PARAM_HELP: Record<string, { label: string; help: string }> = {
  populationSize: {
    label: 'Population size',
    help: 'Genomes per generation, all starting at W0 (paper: N = 64).'
  },
  parentFraction: {
    label: 'Parent fraction',
    help: 'Share of the population kept as parents (paper: top 50 %).'
  },
  selectionEpsilon: {
    label: 'Selection ε',
    help: 'Weight of the worst parent when fitness must be shifted above 0 (choice).'
  },
  selection: {
    label: 'Selection',
    help: 'Parent weights: raw f/Σf as the authors (paper), or always shifted so the worst parent has ε of the spread.'
  },
  crossover: {
    label: 'Crossover',
    help: 'Each gene from parent 1 with p₁/(p₁+p₂) (paper Eq. 7), or with ½ (uniform, the authors’ package default).'
  },
  madsBlockSize: {
    label: 'MADS block size',
    help: 'Trial points evaluated together; MADS stops at the first improving block (NOMAD: 1; authors: 4).'
  },
  madsBound: { label: 'MADS box', help: 'MADS searches ±this around the current weights (authors: 1.0).' },
  madsEvaluations: {
    label: 'MADS evaluations',
    help: 'Rollouts per MADS call (NOMAD max_bb_eval, authors: 200).'
  },
  madsCoordinates: {
    label: 'MADS coordinates',
    help: 'Weights MADS refines per call, drawn at random (PyNomad limit: 49).'
  },
  mutationCount: { label: 'Mutations', help: 'Weights replaced per offspring (paper: 5).' },
  mutationLow: { label: 'Mutation low', help: 'Lower end of the uniform mutation values (paper: −20).' },
  mutationHigh: { label: 'Mutation high', help: 'Upper end of the uniform mutation values (paper: 20).' },
  maxChangedSet: {
    label: 'Largest changed set',
    help: 'mENOMAD runs MADS on an individual’s changed weights while they are fewer than this + 1 (paper: < 50).'
  },
  initLow: { label: 'Init low', help: 'Random initialisation: lower end of U(low, high) instead of W0.' },
  initHigh: { label: 'Init high', help: 'Random initialisation: upper end of U(low, high) instead of W0.' },
  sigma: { label: 'σ (noise)', help: 'Scale of the Gaussian perturbations, mirrored pairs θ ± σε (choice).' },
  learningRate: { label: 'Learning rate', help: 'Adam step size on the ranked gradient estimate (choice).' },
  weightDecay: { label: 'Weight decay', help: 'L2 pull of θ back towards W0 each step (choice).' },
  beta1: { label: 'Adam β1', help: 'Decay of Adam’s first-moment estimate.' },
  beta2: { label: 'Adam β2', help: 'Decay of Adam’s second-moment estimate.' },
  adamEpsilon: { label: 'Adam ε', help: 'Adam’s denominator guard.' },
  mutateEvery: { label: 'Mutate every', help: 'Generations between cfNOMAD’s mutations (paper: 4).' },
  mutateCount: { label: 'Mutations each time', help: 'Weights mutated each time (paper: 2).' },
  maxMutatedSet: {
    label: 'Largest mutated set',
    help: 'cfNOMAD runs MADS on the mutated weights while they are fewer than this + 1 (paper: < 50).'
  },
  alphaDecay: {
    label: 'α decay',
    help: 'Learning rate multiplied by this every generation (authors: 0.995).'
  },
  alphaFloor: { label: 'α floor', help: 'The learning rate decays only while above this (authors: 0.001).' },
  sigmaDecay: { label: 'σ decay', help: 'Noise scale multiplied by this every generation (authors: 0.999).' },
  sigmaFloor: { label: 'σ floor', help: 'The noise scale decays only while above this (authors: 0.01).' },
  coefficientPenalty: {
    label: 'Coefficient penalty',
    help: 'Each candidate’s fitness is lowered by this × the mean of its squared values (authors: 0.01).'
  },
  init: {
    label: 'Initial centre',
    help: 'Start from N(0, 1) (authors’ code), U(−1, 1), or the environment’s prior (the paper says U[0, 1]).'
  }
}

/** Where an algorithm's key means something else than in PARAM_HELP (the same key, another algorithm). */
export const ALGORITHM_PARAM_HELP: Partial<
  Record<AlgorithmName, Record<string, { label: string; help: string }>>
> = {
  'hebbian-es': {
    populationSize: {
      label: 'Population size',
      help: 'Candidates per generation, in mirrored pairs h ± σε (paper: 500 quadruped, 200 car).'
    },
    learningRate: {
      label: 'Learning rate α',
      help: 'Initial step: h += α/(nσ)·Σ ε r̃ on the standardised ranks, no Adam (paper: 0.2).'
    },
    sigma: { label: 'σ (noise)', help: 'Initial scale of the mirrored perturbations h ± σε (paper: 0.1).' }
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Validates a (partial) config for an algorithm and fills the defaults; unknown keys are errors. With
 * `genomeLength`, also checks the settings that depend on the genome (coordinates drawn per MADS call).
 */
export function parseAlgorithmConfig<K extends AlgorithmName>(
  algorithm: K,
  input: unknown,
  genomeLength?: number
): AlgorithmConfig[K] {
  const schema = CONFIG_SCHEMAS[algorithm]
  if (!schema)
    throw new ConfigError(`unknown algorithm '${algorithm}': expected one of ${ALGORITHM_NAMES.join(', ')}`)
  const r = (schema as z.ZodObject).strict().safeParse(input ?? {})
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => {
        const keys = i.code === 'unrecognized_keys' ? i.keys : []
        const hint = keys.some((k) => k === 'task' || k === 'model')
          ? ' (the task and model constants belong to the environment: --task, --env-config)'
          : ''
        return `${i.path.join('.') || '<config>'}: ${i.message}${hint}`
      })
      .join('; ')
    throw new ConfigError(`invalid ${algorithm} config: ${msg}`)
  }
  const data = r.data as Record<string, number>
  const fail = (msg: string): never => {
    throw new ConfigError(`invalid ${algorithm} config: ${msg}`)
  }
  for (const [lo, hi] of [
    ['mutationLow', 'mutationHigh'],
    ['initLow', 'initHigh']
  ] as const) {
    if (lo in data && data[lo] > data[hi]) fail(`${lo} (${data[lo]}) is above ${hi} (${data[hi]})`)
  }
  if (genomeLength !== undefined) {
    if (data.madsCoordinates > genomeLength)
      fail(`madsCoordinates: ${data.madsCoordinates} is more than the genome's ${genomeLength} coordinates`)
    // A population is N genomes in memory (plus offspring): cap it at MAX_POPULATION_VALUES floats.
    // The ES variants hold one centre, whatever their population.
    if (
      algorithm !== 'es' &&
      algorithm !== 'hebbian-es' &&
      'populationSize' in data &&
      data.populationSize * genomeLength > MAX_POPULATION_VALUES
    )
      fail(
        `populationSize: ${data.populationSize} genomes of ${genomeLength} values exceed the limit of ${MAX_POPULATION_VALUES.toLocaleString('en-US')} values in memory`
      )
  }
  return r.data as AlgorithmConfig[K]
}

/** One line per hyperparameter: name, default and doc (for `lab train --help-config` and the docs). */
export function describeConfig(algorithm: AlgorithmName): {
  key: string
  default: unknown
  doc: string
  min: number | null
  max: number | null
  /** A whole number (zod `.int()`). */
  integer: boolean
  /** Exclusive bounds (zod `gt`/`lt`), e.g. parentFraction in (0, 1). */
  exclusiveMin: boolean
  exclusiveMax: boolean
  /** A multiple this must be (ES's mirrored pairs: 2), or null. */
  multipleOf: number | null
  /** The allowed values of a choice (zod enum), e.g. selection's; null for a number. */
  options: string[] | null
  label: string
  help: string
}[] {
  const schema = CONFIG_SCHEMAS[algorithm] as z.ZodObject
  const defaults = schema.parse({}) as Record<string, unknown>
  return Object.entries(schema.shape).map(([key, s]) => {
    // The range of a numeric key, read from its schema (one owner: the schema above).
    const inner = (s instanceof z.ZodDefault ? s.unwrap() : s) as z.ZodNumber
    const choice = s instanceof z.ZodDefault ? s.unwrap() : s
    const options = choice instanceof z.ZodEnum ? (choice.options as string[]) : null
    const finite = (x: number | null | undefined) =>
      x !== null && x !== undefined && Number.isFinite(x) ? x : null
    const checks = (inner._zod.def.checks ?? []).map(
      (c) => c._zod.def as { check: string; inclusive?: boolean; value?: unknown }
    )
    const bound = (kind: string) => checks.find((c) => c.check === kind)
    const step = bound('multiple_of')
    return {
      key,
      default: defaults[key],
      doc: (s as z.ZodType).description ?? '',
      min: finite(inner.minValue),
      max: finite(inner.maxValue),
      integer: inner.isInt === true,
      exclusiveMin: bound('greater_than')?.inclusive === false,
      exclusiveMax: bound('less_than')?.inclusive === false,
      multipleOf: typeof step?.value === 'number' ? step.value : null,
      options,
      label: (ALGORITHM_PARAM_HELP[algorithm]?.[key] ?? PARAM_HELP[key])?.label ?? key,
      help:
        (ALGORITHM_PARAM_HELP[algorithm]?.[key] ?? PARAM_HELP[key])?.help ??
        (s as z.ZodType).description ??
        ''
    }
  })
}
