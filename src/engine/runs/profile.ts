import type { MetricRow } from '../store/store'

/** Where a run's time went, as fractions of the worker time available (wall × workers). */
export interface TimeProfile {
  wallSeconds: number
  rollouts: number
  mads: number
  transport: number
  idle: number
  /** The algorithm's own work in the main process, as a fraction of wall-clock time. */
  algorithm: number
}

/** The paper-style profile of a run from its per-generation metrics. */
export function timeProfile(metrics: MetricRow[]): TimeProfile | null {
  if (metrics.length === 0) return null
  let capacity = 0
  let rollout = 0
  let mads = 0
  let transport = 0
  let algorithm = 0
  let prevWall = 0
  for (const m of metrics) {
    const wallMs = Math.max(0, (m.wallSeconds - prevWall) * 1000)
    prevWall = m.wallSeconds
    capacity += wallMs * m.workers
    rollout += m.rolloutMs
    mads += m.madsMs
    transport += m.transportMs
    algorithm += m.algorithmMs
  }
  const wall = prevWall * 1000
  const frac = (x: number) => (capacity > 0 ? x / capacity : 0)
  return {
    wallSeconds: prevWall,
    rollouts: frac(rollout),
    mads: frac(mads),
    transport: frac(transport),
    idle: frac(Math.max(0, capacity - rollout - mads - transport)),
    algorithm: wall > 0 ? algorithm / wall : 0
  }
}
