/** The contract of the runs:* and sweeps:* channels (see ./api.ts). */
import { z } from 'zod'
import { parseEnvironmentSpec } from '../core/env/registry'
import { ALGORITHM_NAMES, parseAlgorithmConfig } from '../core/training/config'
import type { AlgorithmName } from '../core/training/types'
import { MAX_TASK_SEED, TASK_NAMES } from '../core/tasks/tasks'
import { rolloutResponseSchema } from './api-app'
import { weightTraceSummarySchema } from './api-weights'
import { count, finite, metricSpecSchema, metricValuesSchema, seedSchema } from './schemas'

// ---- runs:* (the training runs of the workspace database) -----------------------------------------

export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'cancelled', 'failed'] as const
export const runStatusSchema = z.enum(RUN_STATUSES)
export type RunStatus = z.infer<typeof runStatusSchema>

export const algorithmNameSchema = z.enum(ALGORITHM_NAMES as [AlgorithmName, ...AlgorithmName[]])
export { ALGORITHM_NAMES }
export type { AlgorithmName }

/** A run id, or a unique prefix of one (as in the CLI). */
export const runIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'expected a run id')

/** Food layouts a run can train on: a polygon task, or random:SEED. */
export const runTaskSchema = z
  .string()
  .max(40)
  .refine(
    (name) =>
      (TASK_NAMES as string[]).includes(name) ||
      (/^random:\d{1,10}$/.test(name) && Number(name.slice(7)) <= MAX_TASK_SEED),
    `expected a task: ${TASK_NAMES.join(', ')}, or random:SEED with 0 ≤ SEED ≤ ${MAX_TASK_SEED}`
  )

const positiveInt = z.number().int().positive()

/**
 * A budget as requested: exactly one limit (generations ≤ 1,000,000, evaluations ≤ 10⁹, seconds ≤ 30
 * days). Two limits at once would leave it unclear which one the run honours, so they are refused.
 */
export const budgetRequestSchema = z
  .strictObject({
    generations: positiveInt.max(1_000_000).optional(),
    evaluations: positiveInt.max(1_000_000_000).optional(),
    seconds: finite
      .positive()
      .max(30 * 24 * 3600)
      .optional()
  })
  .refine(
    (b) => b.generations !== undefined || b.evaluations !== undefined || b.seconds !== undefined,
    'give a budget: generations, evaluations or seconds'
  )
  .refine(
    (b) => [b.generations, b.evaluations, b.seconds].filter((x) => x !== undefined).length <= 1,
    'give one budget: generations, evaluations or seconds, not several'
  )

/** A budget as stored (written by the app or the CLI). */
export const budgetSchema = z.object({
  generations: count.optional(),
  evaluations: count.optional(),
  seconds: finite.optional()
})
export type Budget = z.infer<typeof budgetSchema>

/** One run as listed: its settings, status and the latest metrics (no config). */
export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  algorithm: z.string(),
  task: z.string(),
  /** The environment kind (`worm`, `quadratic`), its genome length and layout hash. */
  environment: z.string(),
  genomeLength: count,
  layoutHash: z.string(),
  seed: count,
  status: runStatusSchema,
  budget: budgetSchema,
  /** Generations done, evaluations used, the reported solution's fitness and metrics, wall-clock seconds so far. */
  generation: count,
  evaluations: count,
  bestFitness: finite.nullable(),
  bestMetrics: metricValuesSchema.nullable(),
  wallSeconds: finite,
  /** Fraction of the budget used, 0..1 (the largest over its limits). */
  fraction: finite,
  /**
   * Who trains it right now: this backend (`here`, so it can be paused), another live process such as
   * the `lab` CLI (`elsewhere`), or nobody although it is marked running (`interrupted`: resumable).
   * Null when the run is not running.
   */
  live: z.enum(['here', 'elsewhere', 'interrupted']).nullable(),
  /** The process that marked the run running (null otherwise). */
  ownerPid: count.nullable(),
  /** A pause or cancel was asked for (here or by another process); the run stops after its current generation. */
  stopping: z.enum(['pause', 'cancel']).nullable(),
  /** What the run allows now (decided by the engine's lifecycle, src/engine/runs/lifecycle.ts). */
  actions: z.array(z.enum(['pause', 'resume', 'cancel', 'delete', 'rename'])),
  sweepId: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  error: z.string().nullable(),
  codeVersion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable()
})
export type RunSummary = z.infer<typeof runSummarySchema>

/** A run with its full configuration (defaults filled) and its environment (spec and metric names). */
export const runDetailSchema = runSummarySchema.extend({
  config: z.record(z.string(), z.unknown()),
  envSpec: z.looseObject({ id: z.string() }),
  metrics: z.array(metricSpecSchema),
  headline: z.string()
})
export type RunDetail = z.infer<typeof runDetailSchema>

/** One generation of a run (the `generations` table, docs/store.md). */
export const runMetricSchema = z.object({
  generation: count,
  /** Rollouts so far, wall-clock seconds so far. */
  evaluations: count,
  wallSeconds: finite,
  /** Best solution so far; mean and worst of the population evaluated in this generation. */
  bestFitness: finite,
  meanFitness: finite,
  worstFitness: finite,
  /** The environment's named metrics of the best solution so far. */
  metrics: metricValuesSchema,
  /** Time profile of the generation, ms: rollouts and MADS summed over workers, the algorithm in the main process, transport. */
  rolloutMs: finite,
  madsMs: finite,
  algorithmMs: finite,
  transportMs: finite,
  /** Worker processes that served the generation (idle worker time = wall × workers − the rest). */
  workers: count,
  /**
   * The generation whose stored best genome is this generation's best (itself when it changed then), or
   * null when that genome was not kept (see docs/store.md). Set when the row is stored: absent from the
   * live progress events.
   */
  genomeGeneration: count.nullable().optional()
})
export type RunMetric = z.infer<typeof runMetricSchema>

export const runsListRequestSchema = z.strictObject({
  sweepId: z.string().max(64).optional(),
  status: runStatusSchema.optional()
})
export type RunsListRequest = z.infer<typeof runsListRequestSchema>

export const runsListResponseSchema = z.object({
  /** The workspace database file. */
  workspace: z.string(),
  runs: z.array(runSummarySchema),
  sweeps: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), runs: count }))
})
export type RunsListResponse = z.infer<typeof runsListResponseSchema>

export const runRefSchema = z.strictObject({ id: runIdSchema })
export type RunRef = z.infer<typeof runRefSchema>

export const runGetResponseSchema = z.object({ run: runDetailSchema, metrics: z.array(runMetricSchema) })
export type RunGetResponse = z.infer<typeof runGetResponseSchema>

/** The best genome of a generation (default: the latest). */
export const runGenomeRequestSchema = z.strictObject({ id: runIdSchema, generation: positiveInt.optional() })
export type RunGenomeRequest = z.infer<typeof runGenomeRequestSchema>

/** A replay of a run's best genome on the run's own task and model constants, with its full trace. */
export const runReplayResponseSchema = rolloutResponseSchema.extend({
  task: z.string(),
  genome: z.literal('best'),
  runId: z.string(),
  generation: count,
  /** What training recorded for this genome (the replay is deterministic, so they agree). */
  stored: z.object({ fitness: finite, metrics: metricValuesSchema.nullable() }),
  /** A plastic worm's (worm-hebbian) weights over the lifetime; absent for the static worm. */
  weights: weightTraceSummarySchema.optional()
})
export type RunReplayResponse = z.infer<typeof runReplayResponseSchema>

/**
 * A replay request: a stored genome (`generation`, default the latest) on the run's own task, or on
 * `task` (a polygon or random:SEED, e.g. a held-out layout) with the run's model constants.
 */
export const runReplayRequestSchema = runGenomeRequestSchema.extend({ task: runTaskSchema.optional() })
export type RunReplayRequest = z.infer<typeof runReplayRequestSchema>

export const runDiffRequestSchema = runGenomeRequestSchema.extend({
  /** Most changes returned (largest |Δ| first); `total` counts them all. */
  limit: positiveInt.max(10_000).default(200),
  /** Diff against another run's best genome (W − W_B) instead of W0; it must share the genome layout. */
  against: runIdSchema.optional(),
  /** The generation of `against` (default: its latest). */
  againstGeneration: positiveInt.optional()
})
export type RunDiffRequest = z.input<typeof runDiffRequestSchema>

export const weightChangeSchema = z.object({
  /** Genome coordinate. */
  index: count,
  pre: z.string(),
  post: z.string(),
  w0: finite,
  w: finite,
  delta: finite,
  /** The baseline the delta is taken from: W_B against a run, else w0 (absent from older backends). */
  base: finite.optional()
})
export type WeightChange = z.infer<typeof weightChangeSchema>

/** The connectome diff W − W0 of a run's best genome. */
export const runDiffResponseSchema = z.object({
  runId: z.string(),
  generation: count,
  connectomeId: z.string(),
  /** Weights that differ from W0 (= L0), and ‖W − W0‖₂. */
  total: count,
  l2: finite,
  maxAbsDelta: finite,
  increased: count,
  decreased: count,
  /** Changed weights whose sign flipped (excitatory ↔ inhibitory). */
  signFlips: count,
  /** The changed weights, largest |Δ| first, at most `limit`. */
  changes: z.array(weightChangeSchema),
  /** The run diffed against (Δ = W − W_B), or null/absent for W0. */
  against: z.object({ runId: z.string(), generation: count }).nullable().optional()
})
export type RunDiffResponse = z.infer<typeof runDiffResponseSchema>

/** Creates a run in the workspace and starts training it in the backend's worker pool. */
export const runStartRequestSchema = z
  .strictObject({
    algorithm: algorithmNameSchema,
    task: runTaskSchema.default('pentagon'),
    seed: seedSchema,
    budget: budgetRequestSchema,
    /** Hyperparameters (any subset, see `lab train --list-config`); validated for the algorithm. */
    config: z.record(z.string(), z.unknown()).default({}),
    /**
     * The environment (default: the worm on `task`); e.g. `{ id: 'quadratic', dim: 50 }`, or the worm
     * with model constants `{ id: 'worm', model: { steps: 200 } }` (its task is `task`).
     */
    environment: z.looseObject({ id: z.string() }).optional(),
    name: z.string().trim().min(1).max(120).optional()
  })
  .superRefine((req, ctx) => {
    try {
      parseAlgorithmConfig(req.algorithm, req.config)
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['config'], message: e instanceof Error ? e.message : String(e) })
    }
    try {
      parseEnvironmentSpec(runEnvironment(req))
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        path: ['environment'],
        message: e instanceof Error ? e.message : String(e)
      })
    }
  })

/** The environment spec a start request asks for: its `environment`, the worm taking `task`. */
export function runEnvironment(req: { task?: string; environment?: { id: string } }): unknown {
  const env = req.environment ?? { id: 'worm' }
  return env.id === 'worm' && req.task !== undefined && !('task' in env) ? { ...env, task: req.task } : env
}
export type RunStartRequest = z.input<typeof runStartRequestSchema>

export const runDeleteResponseSchema = z.object({
  id: z.string(),
  /** True when the run was training here: it is cancelled first and deleted after its current generation. */
  pending: z.boolean()
})
export type RunDeleteResponse = z.infer<typeof runDeleteResponseSchema>

export const runRenameRequestSchema = z.strictObject({
  id: runIdSchema,
  name: z.string().trim().min(1).max(120)
})
export type RunRenameRequest = z.infer<typeof runRenameRequestSchema>

/** A sweep: algorithms × tasks × seeds with one budget per run, trained here one run after another. */
export const sweepStartRequestSchema = z
  .strictObject({
    algorithms: z.array(algorithmNameSchema).min(1).max(6),
    tasks: z.array(runTaskSchema).min(1).max(16).default(['pentagon']),
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1)
      )
      .min(1)
      .max(1000),
    budget: budgetRequestSchema,
    /** Hyperparameters per algorithm, e.g. { renomad: { populationSize: 32 } }. */
    config: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    name: z.string().trim().min(1).max(120).optional(),
    /** Runs trained at once, sharing the pool fairly. */
    concurrency: z.number().int().min(1).max(16).default(1),
    /** One environment for every run instead of `tasks`, e.g. the worm on a custom food layout. */
    environment: z.looseObject({ id: z.string() }).optional()
  })
  .superRefine((req, ctx) => {
    for (const key of Object.keys(req.config)) {
      if (!(req.algorithms as string[]).includes(key))
        ctx.addIssue({
          code: 'custom',
          path: ['config', key],
          message: `'${key}' is not one of the sweep's algorithms`
        })
    }
    if (req.algorithms.length * req.tasks.length * req.seeds.length > 10_000)
      ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'a sweep has at most 10,000 runs' })
    if (req.environment)
      try {
        parseEnvironmentSpec(req.environment)
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          path: ['environment'],
          message: e instanceof Error ? e.message : String(e)
        })
      }
  })
export type SweepStartRequest = z.input<typeof sweepStartRequestSchema>

export const sweepStartResponseSchema = z.object({ sweepId: z.string(), runs: z.array(runSummarySchema) })
export type SweepStartResponse = z.infer<typeof sweepStartResponseSchema>

/** The server → renderer event stream (RUN_EVENT_CHANNEL). */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    runId: z.string(),
    generation: count,
    evaluations: count,
    bestFitness: finite,
    bestMetrics: metricValuesSchema,
    elapsedSeconds: finite,
    /** Seconds left for the budget, or null when it cannot be told yet. */
    etaSeconds: finite.nullable(),
    /** Fraction of the budget used, 0..1. */
    fraction: finite,
    /** The generation's row, as stored. */
    metric: runMetricSchema
  }),
  z.object({ type: z.literal('status'), run: runSummarySchema }),
  z.object({ type: z.literal('deleted'), runId: z.string() })
])
export type RunEvent = z.infer<typeof runEventSchema>
export type RunProgressEvent = Extract<RunEvent, { type: 'progress' }>

/** A run's per-generation metrics as CSV (the engine's exporter, as `lab export --metrics`). */
export const runMetricsCsvResponseSchema = z.object({
  runId: z.string(),
  /** A file name to offer: `<run id>-metrics.csv`. */
  filename: z.string(),
  /** Generations in the file (rows after the header). */
  rows: count,
  csv: z.string()
})
export type RunMetricsCsvResponse = z.infer<typeof runMetricsCsvResponseSchema>
