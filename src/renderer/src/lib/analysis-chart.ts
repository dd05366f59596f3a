/**
 * The chart of one stored analysis (AnalysisChart.vue; the contract's AnalysisResult, issue 11 item 5):
 * lines with their optional ± bands (freeze, saturate, prune: the paper's Figs. 3–4), and a PCA trajectory
 * as small multiples, one panel per series, PC1 against PC2 with PC3 as colour (Fig. 5). A table-only
 * result (the damage table, Table 1) has no chart: the component shows its table.
 */
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type {
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import { bandSeries } from '../../../core/analysis/band'
import { axisStyle, chartBase, tooltipStyle } from './chart-style'
import { palette, seriesColor } from './palette'

/** One chart's worth of an analysis: the contract of src/shared/api-analysis.ts (helper ANALYSIS). */
export interface AnalysisResultData {
  id: string
  runId: string
  kind: 'freeze' | 'saturate' | 'prune' | 'pca' | 'damage-table'
  title: string
  params: Record<string, unknown>
  createdAt: string
  xLabel: string
  yLabel: string
  zLabel?: string
  series: { name: string; x: number[]; y: number[]; z?: number[]; band?: { lo: number[]; hi: number[] } }[]
  table?: { header: string[]; rows: string[][] }
  notes?: string[]
}

export type AnalysisOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
  | TitleComponentOption
>

/** Whether a result is drawn as a PCA trajectory (every series has a third coordinate). */
export const isTrajectory = (r: AnalysisResultData): boolean =>
  r.kind === 'pca' || (r.series.length > 0 && r.series.every((s) => s.z !== undefined))

/** The chart's height (px) for a result: small multiples wrap three to a row. */
export function analysisHeight(r: AnalysisResultData): number {
  return isTrajectory(r) ? 250 * Math.ceil(r.series.length / 3) + 30 : 300
}

/** The ECharts option of a result, or null when it has nothing to plot (a table only). */
export function analysisOption(r: AnalysisResultData): AnalysisOption | null {
  if (r.series.length === 0) return null
  return isTrajectory(r) ? trajectoryOption(r) : linesOption(r)
}

function linesOption(r: AnalysisResultData): AnalysisOption {
  const series: LineSeriesOption[] = []
  r.series.forEach((s, i) => {
    const color = seriesColor(i)
    if (s.band)
      series.push(
        ...bandSeries({
          id: `s${i}`,
          name: s.name,
          grid: s.x,
          group: { mean: s.y, std: [], min: s.band.lo, max: s.band.hi },
          kind: 'minmax',
          color,
          opacity: 0.18,
          step: false
        })
      )
    series.push({
      id: `s${i}`,
      name: s.name,
      type: 'line',
      data: s.x.map((x, k) => [x, s.y[k]]),
      showSymbol: s.x.length <= 30,
      symbolSize: 5,
      color,
      lineStyle: { width: 1.8 }
    })
  })
  return {
    ...chartBase,
    tooltip: { trigger: 'axis', ...tooltipStyle, valueFormatter: fmt },
    legend: legend(r),
    grid: { left: 60, right: 20, top: 40, bottom: 44 },
    xAxis: { type: 'value', name: r.xLabel, nameLocation: 'middle', nameGap: 26, scale: true, ...axisStyle },
    yAxis: { type: 'value', name: r.yLabel, nameLocation: 'end', nameGap: 10, scale: true, ...axisStyle },
    series
  }
}

/** PC1 vs PC2 per series, in panels of a shared scale, every point coloured by PC3 on one colour map. */
function trajectoryOption(r: AnalysisResultData): AnalysisOption {
  const n = r.series.length
  const cols = Math.min(3, n)
  const rows = Math.ceil(n / cols)
  const extent = (pick: (s: AnalysisResultData['series'][number]) => number[]) => {
    const all = r.series.flatMap(pick)
    return { min: Math.min(...all), max: Math.max(...all) }
  }
  const xs = extent((s) => s.x)
  const ys = extent((s) => s.y)
  const zs = extent((s) => s.z ?? [])
  const pad = (e: { min: number; max: number }) => {
    const d = (e.max - e.min) * 0.06 || 1
    return { min: e.min - d, max: e.max + d }
  }
  const grid: GridComponentOption[] = []
  const xAxis: object[] = []
  const yAxis: object[] = []
  const title: TitleComponentOption[] = []
  const series: (LineSeriesOption | ScatterSeriesOption)[] = []
  const w = 100 / cols
  const h = 100 / rows
  r.series.forEach((s, i) => {
    const col = i % cols
    const row = Math.floor(i / cols)
    grid.push({
      left: `${col * w + 5}%`,
      width: `${w - 9}%`,
      top: `${row * h + 10}%`,
      height: `${h - 22}%`
    })
    const round = (v: number) => Number(v.toPrecision(3))
    const x = pad(xs)
    const y = pad(ys)
    xAxis.push({
      type: 'value',
      gridIndex: i,
      name: r.xLabel,
      nameLocation: 'middle',
      nameGap: 22,
      min: round(x.min),
      max: round(x.max),
      ...axisStyle
    })
    yAxis.push({
      type: 'value',
      gridIndex: i,
      name: r.yLabel,
      nameLocation: 'middle',
      nameGap: 34,
      min: round(y.min),
      max: round(y.max),
      ...axisStyle
    })
    title.push({
      text: s.name,
      left: `${col * w + 5}%`,
      top: `${row * h + 2}%`,
      textStyle: { color: palette.text, fontSize: 12, fontWeight: 500 }
    })
    const data = s.x.map((v, k) => [v, s.y[k], s.z![k], k])
    series.push({
      name: s.name,
      type: 'line',
      xAxisIndex: i,
      yAxisIndex: i,
      data: data.map((d) => [d[0], d[1]]),
      showSymbol: false,
      silent: true,
      color: palette.faint,
      lineStyle: { width: 1, opacity: 0.7 }
    })
    series.push({
      name: s.name,
      type: 'scatter',
      xAxisIndex: i,
      yAxisIndex: i,
      data,
      symbolSize: (d: number[]) => (d[3] === 0 ? 11 : 5)
    })
  })
  return {
    ...chartBase,
    title,
    tooltip: {
      trigger: 'item',
      ...tooltipStyle,
      formatter: (p) => {
        const d = (p as { value: number[]; seriesName: string }).value
        const z = r.zLabel ?? 'PC3'
        return `${(p as { seriesName: string }).seriesName}<br/>point ${d[3]}: ${r.xLabel} ${fmt(d[0])}, ${r.yLabel} ${fmt(d[1])}, ${z} ${fmt(d[2])}`
      }
    },
    visualMap: {
      type: 'continuous',
      dimension: 2,
      seriesIndex: r.series.map((_, i) => 2 * i + 1),
      min: zs.min,
      max: zs.max === zs.min ? zs.min + 1 : zs.max,
      calculable: false,
      orient: 'horizontal',
      right: 10,
      bottom: 0,
      itemWidth: 10,
      itemHeight: 120,
      text: [`${r.zLabel ?? 'PC3'} high`, 'low'],
      textStyle: { color: palette.muted, fontSize: 11 },
      inRange: { color: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] }
    },
    grid,
    xAxis: xAxis as AnalysisOption['xAxis'],
    yAxis: yAxis as AnalysisOption['yAxis'],
    series
  }
}

function legend(r: AnalysisResultData): LegendComponentOption {
  return {
    top: 4,
    right: 10,
    icon: 'roundRect',
    itemWidth: 12,
    itemHeight: 3,
    textStyle: { color: palette.muted, fontSize: 11 },
    data: r.series.map((s) => s.name)
  }
}

function fmt(v: unknown): string {
  if (typeof v !== 'number') return String(v)
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4)
}
