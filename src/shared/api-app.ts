/** The contract of the app, connectome and rollout channels (see ./api.ts). */
import { z } from 'zod'
import { TASK_NAMES } from '../core/tasks/tasks'
import { count, finite, metricSpecSchema } from './schemas'

export const API_VERSION = 1

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
