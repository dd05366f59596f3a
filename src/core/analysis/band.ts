/**
 * A group's spread around its mean as ECharts series, shared by the Compare view's chart
 * (src/renderer/src/lib/compareChart.ts) and the lab's paper figures (./fig4-figure.ts): the band is
 * ECharts' stacked-area trick, an invisible lower line with the band's height stacked on it and filled.
 * It stacks with `stackStrategy: 'all'`: ECharts' default stacks only values of the same sign, which
 * would lift a negative band's height off its lower edge onto zero. Long series use ECharts' built-in
 * LTTB sampling; the band's own data carries both of its edges, so sampling cannot misalign them.
 */
import type { LineSeriesOption } from 'echarts/charts'

/** How a group's spread is drawn: ± one sample std, or the min–max envelope. */
export type SpreadKind = 'std' | 'minmax'

/** Per grid point: a group's mean and std (null where it has no run), and for 'minmax' its range. */
export interface BandSource {
  mean: (number | null)[]
  std: (number | null)[]
  min?: (number | null)[]
  max?: (number | null)[]
}

/** The band's lower edge and height per grid point (null where the group has no run yet). */
export function bandOf(
  g: BandSource,
  kind: SpreadKind
): { lower: (number | null)[]; height: (number | null)[] } {
  if (kind === 'minmax' && (!g.min || !g.max)) throw new Error('a min–max band needs the min and max')
  const lower: (number | null)[] = []
  const height: (number | null)[] = []
  for (let i = 0; i < g.mean.length; i++) {
    const m = g.mean[i]
    if (m === null) {
      lower.push(null)
      height.push(null)
    } else if (kind === 'std') {
      // One run has no sample std: a zero-height band, the mean line alone.
      const s = g.std[i] ?? 0
      lower.push(m - s)
      height.push(2 * s)
    } else {
      const lo = g.min![i]!
      lower.push(lo)
      height.push(g.max![i]! - lo)
    }
  }
  return { lower, height }
}

/** Grid points paired with values, as ECharts' [x, y] data. */
export const points = (grid: number[], ys: (number | null)[]): [number, number | null][] =>
  ys.map((y, i) => [grid[i], y])

export interface BandSeriesOptions {
  /** Ids are `${id}:lower` and `${id}:band`. */
  id: string
  /** The series' name: the group's legend entry, so the legend toggles its band with its line. */
  name: string
  grid: number[]
  group: BandSource
  kind: SpreadKind
  color: string
  /** The band's fill opacity. */
  opacity: number
  /** Draw as steps (values held until the next grid point) or straight segments. */
  step?: 'end' | false
  /** The cartesian grid the band is drawn in (figures with several panels). */
  axisIndex?: number
}

/** The two series of one group's band: its invisible lower edge, then its filled height. */
export function bandSeries(o: BandSeriesOptions): LineSeriesOption[] {
  const { lower, height } = bandOf(o.group, o.kind)
  const stack = `band:${o.id}`
  const common: LineSeriesOption = {
    name: o.name,
    type: 'line',
    stack,
    stackStrategy: 'all',
    step: o.step ?? 'end',
    symbol: 'none',
    silent: true,
    color: o.color,
    lineStyle: { opacity: 0 },
    sampling: 'lttb',
    ...(o.axisIndex === undefined ? {} : { xAxisIndex: o.axisIndex, yAxisIndex: o.axisIndex })
  }
  return [
    { ...common, id: `${o.id}:lower`, data: points(o.grid, lower) },
    {
      ...common,
      id: `${o.id}:band`,
      data: points(o.grid, height),
      areaStyle: { color: o.color, opacity: o.opacity }
    }
  ]
}

/** Axis ticks: integers with separators, fractions to 3 significant digits (the data-edge ticks too). */
export const tick = (v: number): string =>
  Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(3)))
