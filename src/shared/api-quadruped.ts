/** The contract of `runs:quadruped-replay`: one traced episode of a quadruped run's stored genome (see ./api.ts). */
import { z } from 'zod'
import { runIdSchema } from './api-runs'
import { count, finite, metricValuesSchema } from './schemas'

export const QUADRUPED_MORPHOLOGIES = ['intact', 'right', 'left'] as const
export const quadrupedMorphologySchema = z.enum(QUADRUPED_MORPHOLOGIES)
export type QuadrupedMorphology = z.infer<typeof quadrupedMorphologySchema>

/** Longest episode a replay carries (frames): the 1 + 40 + 1,000 of the paper's episode, with room. */
export const QUADRUPED_REPLAY_MAX_FRAMES = 20_000

export const quadrupedReplayRequestSchema = z.strictObject({
  runId: runIdSchema,
  /** The stored best genome of this generation (default: the latest). */
  generation: z.number().int().positive().optional(),
  /** The body (default: the run's first training morphology); `left` is the paper's unseen damage. */
  morphology: quadrupedMorphologySchema.optional(),
  /** The episode's draws (initial weights, reset angles); 0 is the one training evaluates. */
  episode: z.number().int().min(0).max(1_000_000).default(0)
})
export type QuadrupedReplayRequest = z.input<typeof quadrupedReplayRequestSchema>

const capsuleSchema = z.object({ name: z.string(), radius: finite, halfLength: finite })

export const quadrupedReplayResponseSchema = z
  .object({
    runId: z.string(),
    generation: count,
    morphology: quadrupedMorphologySchema,
    /** The morphologies the run trains on (the seen ones); the others are unseen. */
    trained: z.array(quadrupedMorphologySchema),
    episode: count,
    /** Frames: the reset, the warm-up steps, then one per policy step. */
    frames: z.number().int().positive().max(QUADRUPED_REPLAY_MAX_FRAMES),
    /** Floats per frame: the torso then the capsules, each x y z, qw qx qy qz (world frame, z up). */
    stride: z.number().int().positive(),
    /** Zero-action steps after the reset (frames 1..warmup); the policy acts from frame warmup + 1. */
    warmup: count,
    /** Seconds of simulated time per frame (1× playback plays it in real time). */
    dt: z.number().positive(),
    /** frames × stride float32, little-endian, base64 (≈ 0.5 MB for the paper's episode). */
    poses: z.base64(),
    /** Progress of each policy step (the authors' reward term; Σ = fitness). */
    progress: z.array(finite),
    capsules: z.array(capsuleSchema),
    torsoRadius: finite,
    /** Σ progress. */
    fitness: finite,
    /** Torso x at the end minus after the warm-up (m). */
    distance: finite,
    /** Policy steps before the early stop. */
    steps: count,
    /** What training recorded for this genome (averaged over the trained morphologies). */
    stored: z.object({ fitness: finite, metrics: metricValuesSchema.nullable() })
  })
  .superRefine((r, ctx) => {
    const bytes = r.frames * r.stride * 4
    if (r.poses.length !== Math.ceil(bytes / 3) * 4)
      ctx.addIssue({
        code: 'custom',
        path: ['poses'],
        message: `expected ${bytes} bytes (frames × stride × 4)`
      })
    if (r.stride !== 7 * (1 + r.capsules.length))
      ctx.addIssue({ code: 'custom', path: ['stride'], message: 'expected 7 floats per part' })
    if (r.progress.length !== r.steps || r.frames !== 1 + r.warmup + r.steps)
      ctx.addIssue({ code: 'custom', path: ['frames'], message: 'frames must be 1 + warmup + steps' })
  })
export type QuadrupedReplayResponse = z.infer<typeof quadrupedReplayResponseSchema>
