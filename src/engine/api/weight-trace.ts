/** The Hebbian worm's weight trace, summarised for the replay's "weights over the lifetime" chart. */
import type { Connectome } from '../../core/connectome/connectome'
import type { WeightTrace } from '../../core/model/plasticity'
import type { WeightTraceSummary } from '../../shared/api'

/** Synapses whose trajectories the replay carries by default (the chart's lines). */
export const WEIGHT_TRACE_TOP = 20

/**
 * Per frame, the mean |w(t) − w(0)| over all synapses; and the `top` synapses with the largest
 * max_t |w(t) − w(0)| (ties: lower index first), each with its weight in every frame. Synapses that never
 * change are left out of `top`, so a lifetime without plasticity has none.
 */
export function summariseWeights(
  trace: WeightTrace,
  connectome: Connectome,
  top = WEIGHT_TRACE_TOP
): WeightTraceSummary {
  const { synapses: n, frames } = trace
  const count = trace.steps.length
  const meanAbsChange = new Array<number>(count).fill(0)
  const maxChange = new Float64Array(n)
  for (let f = 1; f < count; f++) {
    const o = f * n
    let sum = 0
    for (let k = 0; k < n; k++) {
      const d = Math.abs(frames[o + k] - frames[k])
      sum += d
      if (d > maxChange[k]) maxChange[k] = d
    }
    meanAbsChange[f] = sum / n
  }
  const order: number[] = []
  for (let k = 0; k < n; k++) if (maxChange[k] > 0) order.push(k)
  order.sort((a, b) => maxChange[b] - maxChange[a] || a - b)
  return {
    every: trace.every,
    steps: Array.from(trace.steps),
    synapses: n,
    meanAbsChange,
    top: order.slice(0, top).map((k) => ({
      index: k,
      pre: connectome.pre[k],
      post: connectome.post[k],
      w: Array.from({ length: count }, (_, f) => frames[f * n + k])
    }))
  }
}
