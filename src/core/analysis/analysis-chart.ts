/**
 * One ECharts option for any analysis result (src/core/analysis/hebbian; the contract's AnalysisResult):
 * lines with ± std bands (freeze, saturate, prune), bars (the damage table) or PC1–PC2 trajectories with
 * PC3 in the tooltip (the PCA, one panel per trajectory since their scales differ). The engine renders it
 * off-screen to PNG and SVG (src/engine/report/render-figure.ts); the app draws the same option.
 *
 * Pure: no DOM, no I/O. A white figure (the app may restyle it).
 */
import type { BarSeriesOption, EChartsOption, LineSeriesOption } from 'echarts'
import { ARM_COLORS, FIGURE_FONT } from './fig4-figure'
import { bandSeries, tick } from './band'
import { num as fmt, pm } from './hebbian/format'
import type { AnalysisOutput } from './hebbian/types'

/** What the chart needs of a result (an AnalysisResult has more). */
export type ChartableAnalysis = Pick<
  AnalysisOutput,
  'kind' | 'title' | 'params' | 'xLabel' | 'yLabel' | 'zLabel' | 'series' | 'notes'
>

const INK = '#222222'
const BAND_OPACITY = 0.16
/** A five-pointed star: the first step of a trajectory, as in Fig. 5. */
const STAR = 'path://M50,0 L61,35 L98,35 L68,57 L79,91 L50,70 L21,91 L32,57 L2,35 L39,35 Z'
const MORPHOLOGY_LABEL: Record<string, string> = {
  intact: 'no damage',
  right: 'right front leg damaged',
  left: 'left front leg damaged'
}

const colorOf = (i: number): string => ARM_COLORS[i % ARM_COLORS.length]
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

function base(r: ChartableAnalysis): EChartsOption {
  return {
    backgroundColor: '#ffffff',
    animation: false,
    textStyle: { fontFamily: FIGURE_FONT, color: INK },
    title: { text: r.title, left: 8, top: 6, textStyle: { fontSize: 15, color: INK } },
    legend: { bottom: 6, textStyle: { fontSize: 12 } },
    tooltip: { trigger: r.kind === 'pca' ? 'item' : 'axis' }
  }
}

const axis = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'value' as const,
  name,
  nameLocation: 'middle' as const,
  nameGap: 30,
  scale: true,
  axisLabel: { formatter: tick },
  splitLine: { lineStyle: { color: '#eeeeee' } },
  ...extra
})

/** Lines (each with its band) against a numeric x; the perturbation marked where the params say. */
function lineOption(r: ChartableAnalysis): EChartsOption {
  const series: LineSeriesOption[] = []
  const perStep = r.kind === 'saturate' || r.kind === 'prune'
  r.series.forEach((s, i) => {
    const color = colorOf(i)
    if (s.band)
      series.push(
        ...bandSeries({
          id: `s${i}`,
          name: s.name,
          grid: s.x,
          group: { mean: s.y, std: [], min: s.band.lo, max: s.band.hi },
          kind: 'minmax',
          color,
          opacity: BAND_OPACITY,
          step: false
        })
      )
    series.push({
      id: `s${i}:line`,
      name: s.name,
      type: 'line',
      color,
      data: s.x.map((x, k) => [x, s.y[k]]),
      symbol: perStep ? 'none' : 'circle',
      symbolSize: 6,
      lineStyle: { width: perStep ? 1.5 : 2 },
      sampling: perStep ? 'lttb' : undefined,
      z: 3
    })
  })
  const first = series.find((s) => typeof s.id === 'string' && s.id.endsWith(':line'))
  const p = r.params
  if (first && r.kind === 'saturate') {
    const start = num(p.start)
    const duration = num(p.duration)
    if (start !== undefined && duration !== undefined)
      first.markArea = {
        silent: true,
        itemStyle: { color: 'rgba(214, 39, 40, 0.08)' },
        label: { show: true, position: 'insideTop', color: '#d62728', formatter: 'saturated' },
        data: [[{ xAxis: start }, { xAxis: start + duration }]]
      }
  } else if (first && r.kind === 'prune') {
    const at = num(p.at)
    if (at !== undefined)
      first.markLine = {
        silent: true,
        symbol: 'none',
        lineStyle: { color: '#9467bd', type: 'solid', width: 1.5 },
        label: { formatter: 'weights zeroed', color: '#9467bd' },
        data: [{ xAxis: at }]
      }
  }
  return {
    ...base(r),
    grid: { left: 70, right: 24, top: 52, bottom: 78 },
    xAxis: axis(r.xLabel, { scale: false, min: 'dataMin', max: 'dataMax' }),
    yAxis: axis(r.yLabel, { nameGap: 48 }),
    series
  }
}

/** Bars per category (the damage table's morphologies), each labelled with its mean ± std. */
function barOption(r: ChartableAnalysis): EChartsOption {
  const ms = Array.isArray(r.params.morphologies) ? (r.params.morphologies as string[]) : []
  const n = Math.max(0, ...r.series.map((s) => s.x.length))
  const categories = Array.from({ length: n }, (_, i) => MORPHOLOGY_LABEL[ms[i]] ?? ms[i] ?? String(i))
  const series: BarSeriesOption[] = r.series.map((s, i) => ({
    name: s.name,
    type: 'bar',
    color: colorOf(i),
    barMaxWidth: 60,
    data: s.y.map((y, k) => ({
      value: y,
      label: {
        show: true,
        position: 'top',
        fontSize: 11,
        formatter: s.band ? pm(y, (s.band.hi[k] - s.band.lo[k]) / 2) : fmt(y)
      }
    }))
  }))
  return {
    ...base(r),
    grid: { left: 70, right: 24, top: 52, bottom: 78 },
    xAxis: { type: 'category', data: categories, name: r.xLabel, nameLocation: 'middle', nameGap: 30 },
    yAxis: axis(r.yLabel, { nameGap: 48, scale: false }),
    series
  }
}

/** One panel per trajectory: PC1 against PC2, the first step starred, PC3 in the tooltip. */
function trajectoryOption(r: ChartableAnalysis): EChartsOption {
  const k = Math.max(1, r.series.length)
  // Column i spans [i/k, (i+1)/k] of the width, with room on its left for the y axis's labels.
  const pct = (v: number): string => `${v.toFixed(2)}%`
  const grid = r.series.map((_, i) => ({
    left: pct((i * 100) / k + 7),
    right: pct(((k - i - 1) * 100) / k + 2),
    top: 76,
    bottom: 78
  }))
  const z = r.zLabel ?? 'z'
  return {
    ...base(r),
    title: [
      { text: r.title, left: 8, top: 6, textStyle: { fontSize: 15, color: INK } },
      ...r.series.map((s, i) => ({
        text: s.name,
        left: pct((i * 100) / k + 7),
        top: 40,
        textStyle: { fontSize: 12, fontWeight: 'normal' as const, color: INK }
      }))
    ],
    grid,
    xAxis: r.series.map((_, i) => ({ ...axis(r.xLabel), gridIndex: i })),
    yAxis: r.series.map((_, i) => ({ ...axis(r.yLabel, { nameGap: 44 }), gridIndex: i })),
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = (p as { data?: number[] }).data ?? []
        return `step ${d[3]}<br/>${r.xLabel} ${tick(d[0])}, ${r.yLabel} ${tick(d[1])}, ${z} ${tick(d[2])}`
      }
    },
    series: r.series.map((s, i) => ({
      name: s.name,
      type: 'line' as const,
      xAxisIndex: i,
      yAxisIndex: i,
      color: colorOf(i),
      symbol: 'circle',
      symbolSize: 2,
      lineStyle: { width: 1 },
      data: s.x.map((x, t) => [x, s.y[t], s.z?.[t] ?? 0, t]),
      markPoint: s.x.length
        ? {
            symbol: STAR,
            symbolSize: 16,
            itemStyle: { color: '#000000' },
            label: { show: false },
            data: [{ coord: [s.x[0], s.y[0]], name: 'first step' }]
          }
        : undefined
    }))
  }
}

/** The chart of an analysis result. */
export function analysisChartOption(result: ChartableAnalysis): EChartsOption {
  if (result.kind === 'damage-table') return barOption(result)
  if (result.kind === 'pca') return trajectoryOption(result)
  return lineOption(result)
}
