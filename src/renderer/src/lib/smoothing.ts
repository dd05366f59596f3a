/**
 * Smoothing of a curve's y values, as the run detail's curves draw it (bold, over the faint raw line):
 * an exponential moving average with a weight in [0, 1) (debiased like TensorBoard's, so the first points
 * are not dragged towards 0), or a trailing running mean over a window of points. x values are kept.
 */
export type Smoothing = { kind: 'none' } | { kind: 'ema'; weight: number } | { kind: 'mean'; window: number }

export function ema(points: readonly [number, number][], weight: number): [number, number][] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`EMA weight: a number from 0 to below 1, got ${weight}`)
  let acc = 0
  let norm = 0
  return points.map(([x, y]) => {
    acc = weight * acc + (1 - weight) * y
    norm = weight * norm + (1 - weight)
    return [x, acc / norm]
  })
}

export function runningMean(points: readonly [number, number][], window: number): [number, number][] {
  if (!(Number.isInteger(window) && window >= 1))
    throw new Error(`Running mean window: a whole number of at least 1, got ${window}`)
  let sum = 0
  return points.map(([x, y], i) => {
    sum += y
    if (i >= window) sum -= points[i - window][1]
    return [x, sum / Math.min(i + 1, window)]
  })
}

export function smooth(points: readonly [number, number][], s: Smoothing): [number, number][] {
  return s.kind === 'ema'
    ? ema(points, s.weight)
    : s.kind === 'mean'
      ? runningMean(points, s.window)
      : [...points]
}
