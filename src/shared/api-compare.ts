/**
 * The contract of `runs:compare` (see ./api.ts): groups of runs compared as in the ENOMAD paper's
 * Fig. 4. The engine builds it (src/engine/analysis/compare.ts); the Compare view and `lab compare`
 * show it.
 */
import { z } from 'zod'
import { runIdSchema } from './api-runs'
import { count, finite } from './schemas'

export const COMPARE_X_AXES = ['evaluations', 'wall', 'generation'] as const
export type CompareXAxis = (typeof COMPARE_X_AXES)[number]

/** The most runs one comparison takes, and the most points of its common x grid. */
export const MAX_COMPARE_RUNS = 500
export const MAX_COMPARE_POINTS = 5000

const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'expected a key of letters, digits, _ . : -')

export const runsCompareRequestSchema = z
  .strictObject({
    /** The runs (ids or unique prefixes), or… */
    ids: z.array(runIdSchema).max(MAX_COMPARE_RUNS).optional(),
    /** …every run of one sweep (both may be given: the union). */
    sweepId: z.string().min(1).max(64).optional(),
    /** A key of the run summary (algorithm, task, environment, seed, sweep, status) or of its config. */
    groupBy: keySchema.default('algorithm'),
    /** bestFitness, meanFitness, worstFitness or one of the environment's metrics (foodEaten, l0, l2, …). */
    metric: keySchema.default('bestFitness'),
    x: z.enum(COMPARE_X_AXES).default('evaluations'),
    /** Points of the common x grid (all the runs' x values when there are fewer). */
    points: z.number().int().min(2).max(MAX_COMPARE_POINTS).default(1000)
  })
  .refine((r) => (r.ids?.length ?? 0) > 0 || r.sweepId !== undefined, {
    message: 'give run ids or a sweep id',
    path: ['ids']
  })
export type RunsCompareRequest = z.input<typeof runsCompareRequestSchema>

const nullableNumbers = z.array(finite.nullable())

export const sampleSummarySchema = z.object({
  n: count,
  mean: finite,
  /** Sample standard deviation (ddof = 1); null for a single value. */
  std: finite.nullable(),
  median: finite,
  /** First and third quartiles (numpy's default linear percentiles). */
  q1: finite,
  q3: finite,
  min: finite,
  max: finite
})

export const compareGroupSchema = z.object({
  /** The group's value of the group-by key, as text ("(none)" when a run has no such key). */
  key: z.string(),
  runIds: z.array(z.string()),
  /** Per grid point: runs with a value there, and their mean, std (ddof = 1), min and max. */
  n: z.array(count),
  mean: nullableNumbers,
  std: nullableNumbers,
  min: nullableNumbers,
  max: nullableNumbers,
  /** Each run's last value of the metric. */
  finals: z.array(z.object({ runId: z.string(), value: finite })),
  /** The summary of the final values. */
  summary: sampleSummarySchema
})
export type CompareGroup = z.infer<typeof compareGroupSchema>

export const compareRunSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The run's environment kind (worm, worm-hebbian, quadruped, …): which sections apply to it. */
  environment: z.string(),
  group: z.string(),
  /** The run's own points (x, value), one per stored generation. */
  x: z.array(finite),
  y: z.array(finite)
})

export const compareTestSchema = z.object({
  a: z.string(),
  b: z.string(),
  /** Mann–Whitney U of group a's final values, two-sided p (SciPy's defaults). */
  u: finite,
  p: finite,
  method: z.enum(['exact', 'asymptotic'])
})
export type CompareTest = z.infer<typeof compareTestSchema>

const configValueSchema = z.union([z.string(), finite, z.boolean(), z.null()])

export const runsCompareResponseSchema = z.object({
  groupBy: z.string(),
  metric: z.string(),
  x: z.enum(COMPARE_X_AXES),
  /** The common x grid; every run's value at a grid point is its last value at or before it. */
  grid: z.array(finite),
  groups: z.array(compareGroupSchema),
  runs: z.array(compareRunSchema),
  tests: z.array(compareTestSchema),
  /** Only the keys whose values differ across the runs, with each run's value (null: not set). */
  configDiff: z.array(z.object({ key: z.string(), values: z.record(z.string(), configValueSchema) })),
  /** What the pickers offer: the keys to group by and the metrics every run has. */
  groupKeys: z.array(z.string()),
  metrics: z.array(z.string())
})
export type RunsCompareResponse = z.infer<typeof runsCompareResponseSchema>
