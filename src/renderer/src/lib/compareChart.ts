/**
 * The Compare view's chart option, as the paper's Fig. 4: per group one colour, a mean line and a
 * translucent band (± one sample std, or the min–max envelope; the band's series are the lab's one
 * definition in src/core/analysis/band.ts, which the paper figures share); optionally every run's own
 * step line, faint, in its group's colour. Long series use ECharts' built-in LTTB sampling.
 */
import type { LineSeriesOption } from 'echarts/charts'
import type { LegendComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import { bandSeries, points, tick } from '../../../core/analysis/band'
import type { AppInfo, RunsCompareResponse } from '../../../shared/api'
import { axisStyle, chartBase, tooltipStyle, type GridTooltipOption } from './chart'
import { palette } from './palette'
import type { BandKind } from '../stores/comparison'

export type CompareOption = ComposeOption<LineSeriesOption | GridTooltipOption | LegendComponentOption>

export const X_NAMES = { evaluations: 'evaluations', wall: 'wall-clock s', generation: 'generation' } as const

export const METRIC_NAMES: Record<string, string> = {
  bestFitness: 'best fitness',
  meanFitness: 'mean fitness',
  worstFitness: 'worst fitness',
  foodEaten: 'food eaten',
  l0: 'L0',
  l2: 'L2'
}
/** A metric's name: the lab's own, else the label an environment gives it (app:info), else its key. */
export const metricName = (m: string, info?: AppInfo | null): string =>
  METRIC_NAMES[m] ?? info?.environments.flatMap((e) => e.metrics).find((s) => s.key === m)?.label ?? m

const fmt = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4))

export function compareOption(
  data: RunsCompareResponse,
  colors: Record<string, string>,
  band: BandKind,
  showRuns: boolean,
  /** For the metric's name (an environment's own metrics). */
  info?: AppInfo | null
): CompareOption {
  const grid = data.grid
  const long = grid.length > 200
  const series: LineSeriesOption[] = []
  for (const g of data.groups) {
    const color = colors[g.key] ?? palette.muted
    if (band !== 'none')
      series.push(...bandSeries({ id: g.key, name: g.key, grid, group: g, kind: band, color, opacity: 0.2 }))
    if (showRuns)
      for (const r of data.runs.filter((x) => x.group === g.key))
        series.push({
          id: `run:${r.id}`,
          name: g.key,
          type: 'line',
          data: r.x.map((x, i) => [x, r.y[i]]),
          step: 'end',
          symbol: 'none',
          silent: true,
          emphasis: { disabled: true },
          color,
          lineStyle: { width: 1, opacity: 0.45 },
          sampling: 'lttb'
        })
    series.push({
      id: `${g.key}:mean`,
      name: g.key,
      type: 'line',
      data: points(grid, g.mean),
      step: 'end',
      color,
      showSymbol: !long && grid.length <= 30,
      symbolSize: 5,
      lineStyle: { width: 2.2 },
      sampling: 'lttb',
      z: 3
    })
  }
  return {
    ...chartBase,
    grid: { left: 64, right: 20, top: 40, bottom: 40 },
    legend: {
      top: 4,
      right: 20,
      data: data.groups.map((g) => g.key),
      textStyle: { color: palette.text, fontSize: 11 },
      inactiveColor: palette.faint,
      itemWidth: 14,
      itemHeight: 8
    },
    tooltip: {
      trigger: 'axis',
      ...tooltipStyle,
      axisPointer: { type: 'line', lineStyle: { color: palette.faint } },
      formatter: (params) => {
        const list = (Array.isArray(params) ? params : [params]) as {
          seriesId?: string
          seriesName?: string
          value?: unknown
          color?: unknown
          dataIndex: number
        }[]
        const means = list.filter((p) => p.seriesId?.endsWith(':mean'))
        if (!means.length) return ''
        const x = grid[means[0].dataIndex]
        const rows = means.map((p) => {
          const g = data.groups.find((k) => `${k.key}:mean` === p.seriesId)!
          const i = p.dataIndex
          const m = g.mean[i]
          if (m === null) return ''
          const spread =
            band === 'minmax'
              ? ` [${fmt(g.min[i]!)}, ${fmt(g.max[i]!)}]`
              : g.std[i] !== null
                ? ` ± ${fmt(g.std[i]!)}`
                : ''
          return `<div><span style="color:${String(p.color)}">●</span> ${g.key}: ${fmt(m)}${spread} <span style="opacity:.6">n=${g.n[i]}</span></div>`
        })
        return `<div>${X_NAMES[data.x]} ${fmt(x)}</div>${rows.join('')}`
      }
    },
    xAxis: {
      type: 'value',
      name: X_NAMES[data.x],
      nameLocation: 'middle',
      nameGap: 26,
      min: 'dataMin',
      max: 'dataMax',
      minInterval: data.x === 'wall' ? undefined : 1,
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, formatter: tick },
      splitLine: { show: false }
    },
    yAxis: {
      type: 'value',
      name: metricName(data.metric, info),
      nameLocation: 'end',
      nameGap: 12,
      scale: true,
      splitNumber: 5,
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, formatter: tick },
      nameTextStyle: { ...axisStyle.nameTextStyle, align: 'left' }
    },
    series
  }
}
