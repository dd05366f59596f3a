import type { RolloutResult, RolloutTrace } from '../core/model/rollout'

/** Serialises a rollout and its trace to a self-describing JSON document (typed arrays as number lists). */
export function traceToJson(meta: Record<string, unknown>, result: RolloutResult): string {
  const trace = result.trace as RolloutTrace
  const arrays = Object.fromEntries(
    Object.entries(trace).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v])
  )
  const { trace: _omit, ...summary } = result
  return JSON.stringify({ format: 'connectome-lab/trace@1', ...meta, result: summary, trace: arrays })
}
