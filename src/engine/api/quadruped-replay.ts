/** The `runs:quadruped-replay` channel: one traced episode of a quadruped run's stored genome. */
import { ENV_DT } from '../../core/env/quadruped/mjcf'
import { QuadrupedEnvironment } from '../../core/env/quadruped/env'
import type { Environment } from '../../core/env/types'
import type { QuadrupedMorphology, QuadrupedReplayResponse } from '../../shared/api'
import { LabError } from '../../shared/errors'
import type { MetricRow, RunRow } from '../store/store'
import type { StoredGenome } from './run-queries'

/**
 * Rolls out `g` on `morphology` (default: the run's first training body) with the poses of every frame.
 * The environment must have its MuJoCo module loaded (prepareEnvironment).
 */
export function quadrupedReplayOf(
  row: RunRow,
  env: Environment,
  g: StoredGenome,
  stored: MetricRow | undefined,
  morphology: QuadrupedMorphology | undefined,
  episode: number
): QuadrupedReplayResponse {
  if (!(env instanceof QuadrupedEnvironment))
    throw new LabError(
      'unsupported',
      `run ${row.id} trains the ${row.environment} environment, which has no quadruped replay`
    )
  const body = morphology ?? env.spec.morphologies[0]
  const t = env.rollout(g.weights, body, episode)
  // Float32 as the trace stores them; little-endian on every platform the app runs on (x64, arm64).
  const poses = Buffer.from(t.poses.buffer, t.poses.byteOffset, t.poses.byteLength).toString('base64')
  return {
    runId: row.id,
    generation: g.generation,
    morphology: body,
    trained: [...env.spec.morphologies],
    episode,
    frames: t.frames,
    stride: t.stride,
    warmup: t.warmup,
    dt: ENV_DT,
    poses,
    progress: Array.from(t.progress),
    capsules: t.capsules.map((c) => ({ ...c })),
    torsoRadius: t.torsoRadius,
    fitness: t.fitness,
    distance: t.distance,
    steps: t.steps,
    stored: { fitness: g.fitness, metrics: stored?.metrics ?? null }
  }
}
