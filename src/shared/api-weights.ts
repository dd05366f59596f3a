/**
 * The weights of a plastic network over one lifetime, summarised for a chart (issue 11 item 4: "the replay
 * shows the weights changing over the lifetime"). The full trace of the Hebbian worm is frames × 3,689
 * float32 (src/core/model/plasticity.ts WeightTrace); the replay carries only what the chart draws.
 */
import { z } from 'zod'
import { count, finite } from './schemas'

/** Most synapses whose trajectories a summary carries. */
export const WEIGHT_TRACE_MAX_TOP = 50

export const weightTraceSummarySchema = z
  .object({
    /** Steps between two frames. */
    every: z.number().int().positive(),
    /** The step after which each frame was taken (frame 0: the start weights, step 0). */
    steps: z.array(count).min(1),
    /** Synapses of the network. */
    synapses: count,
    /** Mean |w(t) − w(0)| over every synapse, per frame. */
    meanAbsChange: z.array(finite),
    /** The synapses that change most (largest max_t |w(t) − w(0)| first), with their weight per frame. */
    top: z
      .array(z.object({ index: count, pre: z.string(), post: z.string(), w: z.array(finite) }))
      .max(WEIGHT_TRACE_MAX_TOP)
  })
  .superRefine((s, ctx) => {
    const n = s.steps.length
    if (s.meanAbsChange.length !== n || s.top.some((t) => t.w.length !== n))
      ctx.addIssue({ code: 'custom', message: `every series needs one value per frame (${n})` })
  })
export type WeightTraceSummary = z.infer<typeof weightTraceSummarySchema>
