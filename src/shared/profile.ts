/**
 * Where a run's time went (the paper-style profile of `lab show`), from its per-generation metrics:
 * rollouts, MADS, transport and idle as fractions of the worker time available (wall × workers), and the
 * algorithm's own work in the main process as a fraction of wall-clock time. Pure, so the renderer can
 * recompute it as live generations arrive; the engine (src/engine/runs/profile.ts) re-exports it.
 */
export interface ProfileMetric {
  /** Wall-clock seconds so far at the end of the generation. */
  wallSeconds: number
  workers: number
  rolloutMs: number
  madsMs: number
  transportMs: number
  algorithmMs: number
}

export interface TimeProfile {
  wallSeconds: number
  rollouts: number
  mads: number
  transport: number
  idle: number
  algorithm: number
}

export function timeProfile(metrics: readonly ProfileMetric[]): TimeProfile | null {
  if (metrics.length === 0) return null
  let capacity = 0
  let rollout = 0
  let mads = 0
  let transport = 0
  let algorithm = 0
  let prevWall = 0
  for (const m of metrics) {
    capacity += generationCapacityMs(m, prevWall)
    prevWall = m.wallSeconds
    rollout += m.rolloutMs
    mads += m.madsMs
    transport += m.transportMs
    algorithm += m.algorithmMs
  }
  const wall = prevWall * 1000
  const frac = (x: number): number => (capacity > 0 ? x / capacity : 0)
  return {
    wallSeconds: prevWall,
    rollouts: frac(rollout),
    mads: frac(mads),
    transport: frac(transport),
    idle: frac(Math.max(0, capacity - rollout - mads - transport)),
    algorithm: wall > 0 ? algorithm / wall : 0
  }
}

/** Worker time available in one generation, ms: its wall-clock time × the workers that served it. */
export function generationCapacityMs(m: ProfileMetric, previousWallSeconds: number): number {
  return Math.max(0, (m.wallSeconds - previousWallSeconds) * 1000) * m.workers
}
