import { z } from 'zod'

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
    .describe('initial centre: N(0, 1) (authors’ code), U(−1, 1), or the environment’s prior'),
  report: z
    .enum(['centre', 'best'])
    .default('centre')
    .describe('reported solution: the current centre h (authors), or the fittest individual evaluated so far')
})

export type HebbianEsConfig = z.infer<typeof hebbianEsConfigSchema>

/** Labels and help texts of the Hebbian ES's own keys (merged into PARAM_HELP, config.ts). */
export const HEBBIAN_ES_HELP: Record<string, { label: string; help: string }> = {
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
  },
  report: {
    label: 'Reported solution',
    help: 'The current centre h (authors), or the fittest individual so far, centre or perturbation (deterministic environments).'
  }
}

/** What the keys it shares with the other algorithms mean for the Hebbian ES (ALGORITHM_PARAM_HELP, config.ts). */
export const HEBBIAN_ES_OWN_HELP: Record<string, { label: string; help: string }> = {
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
