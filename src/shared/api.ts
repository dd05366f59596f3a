/**
 * The one API contract between the Connectome Lab UI and its backend (Electron main process, or the
 * WebSocket bridge of `lab serve` / the UI tests). Every channel has a request schema (validated by the
 * backend before anything runs) and a response schema (validated by the backend before it answers and
 * by the renderer on receipt). Payloads are plain JSON-compatible data so both transports carry them.
 *
 * Adding a channel: add its method to LAB_METHODS (./methods.ts) and its schemas here; the compiler then
 * points at the backend handler, and the preload/renderer clients pick the method up from the table.
 */
import { z } from 'zod'
import { parseEnvironmentSpec } from '../core/env/registry'
import { ALGORITHM_NAMES, parseAlgorithmConfig } from '../core/training/config'
import type { AlgorithmName } from '../core/training/types'
import { TASK_NAMES } from '../core/tasks/tasks'
import type { Channel, LAB_METHODS, LabMethod } from './methods'

export * from './methods'

export const API_VERSION = 1

const finite = z.number().refine(Number.isFinite, 'expected a finite number')
const count = z.number().int().nonnegative()

/** One named metric of an environment (src/core/env/types.ts MetricSpec). */
export const metricSpecSchema = z.object({
  key: z.string(),
  label: z.string(),
  integer: z.boolean(),
  higherIsBetter: z.boolean(),
  description: z.string()
})
export type MetricSpecData = z.infer<typeof metricSpecSchema>

/** The environment's named metrics of one evaluation (e.g. the worm's foodEaten, reward, l0, l2). */
export const metricValuesSchema = z.record(z.string(), finite)

// ---- app:info -------------------------------------------------------------------------------------

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  apiVersion: z.literal(API_VERSION),
  /** Which backend answers: the Electron main process or the WebSocket bridge. */
  runtime: z.enum(['electron', 'bridge']),
  versions: z.object({ node: z.string(), electron: z.string().nullable(), chrome: z.string().nullable() }),
  connectome: z.object({
    id: z.string(),
    name: z.string(),
    neurons: count,
    muscles: count,
    connections: count,
    pairsHash: z.string()
  }),
  tasks: z.array(z.string()),
  model: z.object({ steps: count, arenaWidth: finite, arenaHeight: finite }),
  /** The environments runs can train, with their metrics (the names curves and tables show). */
  environments: z.array(
    z.object({ id: z.string(), headline: z.string(), metrics: z.array(metricSpecSchema) })
  )
})
export type AppInfo = z.infer<typeof appInfoSchema>

// ---- connectome:summary ---------------------------------------------------------------------------

export const connectomeNodeSchema = z.object({
  id: z.string(),
  kind: z.enum(['neuron', 'muscle']),
  /** Neuron types (sensory, interneuron, motor, unknown); empty for muscles. */
  types: z.array(z.string()),
  neurotransmitters: z.array(z.string()),
  /** Stimulated sensory set the neuron belongs to, if any. */
  sensory: z.enum(['touch', 'food']).nullable(),
  /** Muscles: body side (null for unpaired); neurons: null. */
  side: z.enum(['L', 'R']).nullable(),
  /** Muscles: whether it drives locomotion (a_left / a_right read-out). */
  locomotion: z.boolean()
})
export type ConnectomeNode = z.infer<typeof connectomeNodeSchema>

/** One weighted connection; the index in `edges` is its genome coordinate. */
export const connectomeEdgeSchema = z.object({ source: z.string(), target: z.string(), weight: finite })
export type ConnectomeEdge = z.infer<typeof connectomeEdgeSchema>

export const connectomeSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  sources: z.array(z.string()),
  pairsHash: z.string(),
  counts: z.object({
    neurons: count,
    muscles: count,
    locomotionMuscles: count,
    connections: count,
    neuronToNeuron: count,
    neuronToMuscle: count,
    excitatory: count,
    inhibitory: count
  }),
  /** Neurons per type (a neuron with several types counts once in each). */
  neuronTypes: z.array(z.object({ type: z.string(), count })),
  sensory: z.object({ touch: z.array(z.string()), food: z.array(z.string()) }),
  nodes: z.array(connectomeNodeSchema),
  edges: z.array(connectomeEdgeSchema)
})
export type ConnectomeSummary = z.infer<typeof connectomeSummarySchema>

// ---- rollout:run ----------------------------------------------------------------------------------

export const taskNameSchema = z.enum(TASK_NAMES)
export type TaskName = z.infer<typeof taskNameSchema>

export const rolloutRequestSchema = z.strictObject({ task: taskNameSchema })
export type RolloutRequest = z.infer<typeof rolloutRequestSchema>

const numbers = z.array(finite)
const ints = z.array(z.number().int())

/** RolloutTrace of src/core/model/rollout.ts as plain arrays. */
export const rolloutTraceSchema = z
  .object({
    steps: count,
    /** Positions and headings before step 1 and after every step (steps + 1 entries). */
    x: numbers,
    y: numbers,
    heading: numbers,
    /** Per step (steps entries). */
    speed: numbers,
    aLeft: numbers,
    aRight: numbers,
    /** Bit 0: nose touch stimulated; bit 1: chemosensors stimulated. */
    sensed: ints,
    reward: numbers,
    /** Neurons fired in step t: firedNeurons[firedOffsets[t] .. firedOffsets[t + 1]). */
    firedOffsets: ints,
    firedNeurons: ints,
    /** Per food source: step it was eaten in, or −1. */
    eatenAt: ints,
    /** Flat [x0, y0, x1, y1, ...] food positions. */
    food: numbers
  })
  .superRefine((t, ctx) => {
    const want: [keyof typeof t, number][] = [
      ['x', t.steps + 1],
      ['y', t.steps + 1],
      ['heading', t.steps + 1],
      ['speed', t.steps],
      ['aLeft', t.steps],
      ['aRight', t.steps],
      ['sensed', t.steps],
      ['reward', t.steps],
      ['firedOffsets', t.steps + 1],
      ['eatenAt', t.food.length / 2]
    ]
    for (const [key, n] of want) {
      const len = (t[key] as number[]).length
      if (len !== n)
        ctx.addIssue({ code: 'custom', path: [key], message: `expected ${n} entries, got ${len}` })
    }
    if (t.firedNeurons.length !== (t.firedOffsets[t.steps] ?? -1)) {
      ctx.addIssue({ code: 'custom', path: ['firedNeurons'], message: 'length does not match firedOffsets' })
    }
  })
export type RolloutTraceData = z.infer<typeof rolloutTraceSchema>

export const rolloutResponseSchema = z.object({
  task: taskNameSchema,
  connectomeId: z.string(),
  /** Which genome ran: the biological prior W0 ("untrained"). */
  genome: z.literal('w0'),
  foodEaten: count,
  foodTotal: count,
  reward: finite,
  fitness: finite,
  l0: count,
  l2: finite,
  spikes: count,
  params: z.object({
    steps: count,
    arenaWidth: finite,
    arenaHeight: finite,
    eatRadius: finite,
    detectionRange: finite,
    touchDistance: finite
  }),
  trace: rolloutTraceSchema
})
export type RolloutResponse = z.infer<typeof rolloutResponseSchema>

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
    (name) => (TASK_NAMES as string[]).includes(name) || /^random:\d{1,9}$/.test(name),
    `expected a task: ${TASK_NAMES.join(', ')}, or random:SEED`
  )

const positiveInt = z.number().int().positive()

/** A budget as requested: at least one limit; the run stops at the first one reached. */
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
  workers: count
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
  stored: z.object({ fitness: finite, metrics: metricValuesSchema.nullable() })
})
export type RunReplayResponse = z.infer<typeof runReplayResponseSchema>

export const runDiffRequestSchema = runGenomeRequestSchema.extend({
  /** Most changes returned (largest |Δ| first); `total` counts them all. */
  limit: positiveInt.max(10_000).default(200)
})
export type RunDiffRequest = z.input<typeof runDiffRequestSchema>

export const weightChangeSchema = z.object({
  /** Genome coordinate. */
  index: count,
  pre: z.string(),
  post: z.string(),
  w0: finite,
  w: finite,
  delta: finite
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
  changes: z.array(weightChangeSchema)
})
export type RunDiffResponse = z.infer<typeof runDiffResponseSchema>

/** Creates a run in the workspace and starts training it in the backend's worker pool. */
export const runStartRequestSchema = z
  .strictObject({
    algorithm: algorithmNameSchema,
    task: runTaskSchema.default('pentagon'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
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
    concurrency: z.number().int().min(1).max(16).default(1)
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

// ---- the channel map ------------------------------------------------------------------------------

interface ChannelSpec {
  request: z.ZodType
  response: z.ZodType
}

export const API_CHANNELS = {
  'app:info': { request: z.undefined(), response: appInfoSchema },
  'connectome:summary': { request: z.undefined(), response: connectomeSummarySchema },
  'rollout:run': { request: rolloutRequestSchema, response: rolloutResponseSchema },
  'runs:list': { request: runsListRequestSchema, response: runsListResponseSchema },
  'runs:get': { request: runRefSchema, response: runGetResponseSchema },
  'runs:replay': { request: runGenomeRequestSchema, response: runReplayResponseSchema },
  'runs:diff': { request: runDiffRequestSchema, response: runDiffResponseSchema },
  'runs:start': { request: runStartRequestSchema, response: runSummarySchema },
  'runs:pause': { request: runRefSchema, response: runSummarySchema },
  'runs:resume': { request: runRefSchema, response: runSummarySchema },
  'runs:cancel': { request: runRefSchema, response: runSummarySchema },
  'runs:delete': { request: runRefSchema, response: runDeleteResponseSchema },
  'runs:rename': { request: runRenameRequestSchema, response: runSummarySchema },
  'sweeps:start': { request: sweepStartRequestSchema, response: sweepStartResponseSchema }
} as const satisfies Record<Channel, ChannelSpec> // exactly the channels of LAB_METHODS, no more, no less

export type { Channel, LabMethod }
export type ApiRequest<C extends Channel> = z.input<(typeof API_CHANNELS)[C]['request']>
export type ApiResponse<C extends Channel> = z.output<(typeof API_CHANNELS)[C]['response']>
/** A request after validation, as handlers receive it. */
export type ParsedRequest<C extends Channel> = z.output<(typeof API_CHANNELS)[C]['request']>

type MethodChannel<M extends LabMethod> = (typeof LAB_METHODS)[M]
type MethodFn<C extends Channel> = [ApiRequest<C>] extends [undefined]
  ? () => Promise<ApiResponse<C>>
  : (request: ApiRequest<C>) => Promise<ApiResponse<C>>

/**
 * The request/response half of the API: one method per channel, e.g. `appInfo(): Promise<AppInfo>`,
 * `runRollout(req: RolloutRequest): Promise<RolloutResponse>`, `listRuns(req): Promise<RunsListResponse>`.
 */
export type LabCalls = { readonly [M in LabMethod]: MethodFn<MethodChannel<M>> }

/** Unsubscribes a listener. */
export type Unsubscribe = () => void

/** The event half: run progress and status changes pushed by the backend. */
export interface LabEvents {
  readonly onRunEvent: (listener: (event: RunEvent) => void) => Unsubscribe
}

/** What the renderer sees as `window.lab` (Electron) or the bridge client (browser). */
export type LabApi = LabCalls & LabEvents

/** The backend side of one channel. */
export type ChannelHandler<C extends Channel> = (
  request: ParsedRequest<C>
) => ApiResponse<C> | Promise<ApiResponse<C>>
export type ChannelHandlers = { [C in Channel]: ChannelHandler<C> }

/** Formats zod issues for an error envelope. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '<root>', message: i.message }))
}
