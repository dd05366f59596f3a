import { z } from 'zod'

/**
 * Every constant of the worm-foraging model (shared spec: docs/worm-foraging-model.md, after
 * seed 000 sections 2.2-2.3). Defaults are the paper's; "(choice)" marks where the paper is silent.
 */
export const modelParamsSchema = z.object({
  /** Time steps per rollout, T. */
  steps: z.number().int().positive().default(250),
  /** Firing threshold θ on |V| (GoPiGo's rule, choice). */
  threshold: z.number().positive().default(30),
  /** Distance to the closest wall below which the nose-touch neurons are stimulated. */
  touchDistance: z.number().nonnegative().default(100),
  /** Food detection range D: chemosensation and the partial-reward radius. */
  detectionRange: z.number().positive().default(150),
  /** Eating radius C. */
  eatRadius: z.number().positive().default(20),
  /** Reward for eating one food source, R_full. */
  rewardFull: z.number().default(30),
  /** Partial-reward scale R_partial: R_partial·(D − d)/D per step for uneaten food at C ≤ d < D. */
  rewardPartial: z.number().default(1 / 30),
  /** Angular gain k_a: ω = k_a (a_left − a_right). */
  kAngular: z.number().default(0.1),
  /** Linear gain k_l: v = k_l (a_left + a_right). */
  kLinear: z.number().default(0.14),
  /** Lower speed limit on |v| (sign kept; v = 0 counts as forward). */
  speedMin: z.number().nonnegative().default(10.7),
  /** Upper speed limit on |v|. */
  speedMax: z.number().positive().default(21.4),
  /** Arena width (x ∈ [0, width]). */
  arenaWidth: z.number().positive().default(1600),
  /** Arena height (y ∈ [0, height]). */
  arenaHeight: z.number().positive().default(1200),
  /** Start position x (arena centre, choice). */
  startX: z.number().default(800),
  /** Start position y. */
  startY: z.number().default(600),
  /** Start heading θ0 in radians (choice). */
  startHeading: z.number().default(0),
  /** Cardinality-regularizer weight λ in f = ΣR − λ·L0^γ. */
  lambda: z.number().nonnegative().default(0.1),
  /** Cardinality-regularizer exponent γ. */
  cardinalityExponent: z.number().positive().default(1.3)
})

export type ModelParams = z.infer<typeof modelParamsSchema>

/** Paper defaults. */
export const DEFAULT_MODEL_PARAMS: Readonly<ModelParams> = Object.freeze(modelParamsSchema.parse({}))

/** Fills defaults and validates; throws a readable zod error on a bad value. */
export function modelParams(overrides: Partial<ModelParams> = {}): ModelParams {
  const r = modelParamsSchema.safeParse(overrides)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new Error(`invalid model parameter '${i.path.join('.')}': ${i.message}`)
  }
  if (r.data.speedMin > r.data.speedMax) throw new Error('invalid model parameters: speedMin > speedMax')
  if (r.data.eatRadius >= r.data.detectionRange) {
    throw new Error('invalid model parameters: eatRadius must be below detectionRange')
  }
  return r.data
}

/**
 * Overrides of some constants, validated like the constants but with no defaults filled in, so that a
 * stored spec holds exactly what the user changed (and parsing it again gives the same object).
 */
export const modelOverridesSchema: z.ZodType<Partial<ModelParams>> = z.strictObject(
  Object.fromEntries(
    Object.entries(modelParamsSchema.shape).map(([key, s]) => [key, s.unwrap().optional()])
  ) as { [K in keyof ModelParams]: z.ZodOptional<z.ZodNumber> }
)
