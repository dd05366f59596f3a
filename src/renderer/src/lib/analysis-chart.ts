/**
 * The app's chart of a stored analysis (AnalysisChart.vue): core's option (src/core/analysis/analysis-chart.ts,
 * the one the engine renders to PNG and SVG: lines with ± bands, the damage table's bars, PCA panels)
 * restyled for the dark theme, and, on a PCA, PC3 as colour: one continuous colour map over every
 * trajectory (their points carry [PC1, PC2, PC3, step]), so the third component reads off the 2-D panels.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts'
import { analysisChartOption, type ChartableAnalysis } from '../../../core/analysis/analysis-chart'
import { ARM_COLORS } from '../../../core/analysis/fig4-figure'
import { axisStyle, chartBase, tooltipStyle } from './chart-style'
import { palette, seriesColor } from './palette'

/** Viridis at 0, ¼, ½, ¾, 1 (matplotlib's), for PC3. */
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725']

/** The chart's height (px): PCA panels and bars need no more than lines. */
export const ANALYSIS_CHART_HEIGHT = 340

type Obj = Record<string, unknown>
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
/** A single object or each element of an array, mapped (keeping its shape). */
const each = <T>(v: T | T[] | undefined, f: (x: T) => T): T | T[] | undefined =>
  v === undefined ? v : Array.isArray(v) ? v.map(f) : f(v)

/** The figure's colours (ARM_COLORS, chosen for white paper) mapped to the app's series colours. */
function recolour(c: unknown): unknown {
  if (typeof c !== 'string') return c
  const k = (ARM_COLORS as readonly string[]).indexOf(c)
  return k >= 0 ? seriesColor(k) : c === '#000000' ? palette.text : c
}

/** The range of PC3 over every trajectory, or null when the result has none. */
export function thirdRange(r: ChartableAnalysis): { min: number; max: number } | null {
  const z = r.series.flatMap((s) => s.z ?? [])
  if (z.length === 0) return null
  let min = Infinity
  let max = -Infinity
  for (const v of z) {
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  return { min, max: max > min ? max : min + 1 }
}

export function analysisOption(r: ChartableAnalysis): EChartsOption {
  const o = analysisChartOption(r)
  const axis = (a: Obj): Obj => ({
    ...a,
    axisLine: axisStyle.axisLine,
    axisTick: axisStyle.axisTick,
    axisLabel: { ...(a.axisLabel as Obj | undefined), ...axisStyle.axisLabel },
    splitLine: { ...(a.splitLine as Obj | undefined), ...axisStyle.splitLine },
    nameTextStyle: axisStyle.nameTextStyle
  })
  const series = list(o.series as LineSeriesOption | LineSeriesOption[]).map((s) => {
    const out: Obj = { ...s, color: recolour(s.color) }
    if (s.markPoint) out.markPoint = { ...s.markPoint, itemStyle: { color: palette.text } }
    if ((s.areaStyle as Obj | undefined)?.color)
      out.areaStyle = { ...s.areaStyle, color: recolour((s.areaStyle as Obj).color) }
    return out
  })
  const styled: EChartsOption = {
    ...o,
    ...chartBase,
    textStyle: { ...chartBase.textStyle, color: palette.text },
    title: each(o.title as Obj | Obj[], (t) => ({
      ...t,
      textStyle: { ...(t.textStyle as Obj | undefined), color: palette.text }
    })) as EChartsOption['title'],
    legend: each(o.legend as Obj | Obj[], (l) => ({
      ...l,
      textStyle: { ...(l.textStyle as Obj | undefined), color: palette.muted }
    })) as EChartsOption['legend'],
    tooltip: each(o.tooltip as Obj | Obj[], (t) => ({ ...t, ...tooltipStyle })) as EChartsOption['tooltip'],
    xAxis: each(o.xAxis as Obj | Obj[], axis) as EChartsOption['xAxis'],
    yAxis: each(o.yAxis as Obj | Obj[], axis) as EChartsOption['yAxis'],
    series: series as EChartsOption['series']
  }
  const z = r.kind === 'pca' ? thirdRange(r) : null
  if (z) {
    // Colour every trajectory's line and points by PC3 (value dimension 2); the legend shows the map.
    styled.visualMap = {
      type: 'continuous',
      dimension: 2,
      seriesIndex: series.map((_, i) => i),
      min: z.min,
      max: z.max,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemWidth: 10,
      itemHeight: 140,
      calculable: false,
      text: [`${r.zLabel ?? 'PC3'} high`, 'low'],
      textStyle: { color: palette.muted, fontSize: 11 },
      inRange: { color: VIRIDIS }
    }
    styled.legend = { show: false }
  }
  return styled
}
