/**
 * The ECharts option of the ENOMAD paper's Fig. 4 and Suppl. Fig. S1 (seed 000 =
 * /work/shared/seeds/000_5c757e7ae231aaa7.txt, the Fig. 4 caption and the Figure S1 line): for the
 * pentagon task, (a) the food eaten by the best, (b) L₂ = ‖W − W₀‖ and (c) L₀ = the number of changed
 * weights, each method's mean over seeds with a ± one sample std band ("shadowing represents the
 * standard deviation"). The paper plots against computing time; the lab adds the same panels against
 * rollouts, its budget unit: 2 rows (rollouts, wall-clock seconds) × 3 columns (a, b, c).
 *
 * Pure: no DOM, no I/O. The engine draws it with ECharts' server-side SVG renderer
 * (src/engine/report/render-figure.ts); it is a white journal figure, not the app's dark theme.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { AlgorithmName } from '../training/types'
import { ALGORITHM_LABELS } from '../training/config'
import { bandSeries, points } from './band'

export type Fig4Metric = 'foodEaten' | 'l2' | 'l0'
export type Fig4X = 'evaluations' | 'wall'

export interface Fig4Group {
  /** The algorithm (or any group key: one of `methods`). */
  key: string
  mean: (number | null)[]
  std: (number | null)[]
  n: number[]
}

export interface Fig4Panel {
  metric: Fig4Metric
  x: Fig4X
  grid: number[]
  groups: Fig4Group[]
}

export interface Fig4FigureInput {
  title: string
  subtitle?: string
  /** The methods in legend order, with their display names (and a colour, else the method's own). */
  methods: { key: string; label: string; color?: string }[]
  panels: Fig4Panel[]
  width: number
  height: number
}

/** The columns: panel letter and title, and the y axis name. */
export const FIG4_METRICS: Record<Fig4Metric, { column: number; title: string; y: string }> = {
  foodEaten: { column: 0, title: '(a) Food eaten by the best', y: 'food eaten' },
  l2: { column: 1, title: '(b) L₂ = ‖W − W₀‖', y: 'L₂ distance' },
  l0: { column: 2, title: '(c) L₀ = changed weights', y: 'changed weights' }
}

/** The rows: x axis names. */
export const FIG4_X: Record<Fig4X, { row: number; name: string }> = {
  evaluations: { row: 0, name: 'rollouts' },
  wall: { row: 1, name: 'wall-clock time (s)' }
}

/**
 * One fixed colour per method, on white (Tableau 10 hues): the same method has the same colour in
 * every panel and every figure. Red is kept for the random-initialisation control, as in Suppl. Fig. S1.
 */
export const METHOD_COLORS: Record<AlgorithmName, string> = {
  renomad: '#1f77b4',
  menomad: '#ff7f0e',
  cfnomad: '#2ca02c',
  es: '#9467bd',
  ea: '#7f7f7f',
  'renomad-random': '#d62728',
  'hebbian-es': '#8c564b'
}
const OTHER_COLOR = '#17becf'

/** Colours for the arms of a study (variants of one method), in order; Tableau 10 after the methods'. */
export const ARM_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#bcbd22',
  '#17becf'
]

/** The five methods of Fig. 4 (legend order), and Suppl. Fig. S1's with the random-init control added. */
export const FIG4_METHODS: AlgorithmName[] = ['renomad', 'menomad', 'cfnomad', 'es', 'ea']
export const FIGS1_METHODS: AlgorithmName[] = [...FIG4_METHODS, 'renomad-random']

/**
 * The paper's budget in rollouts: rENOMAD's 14 generations of 64 MADS calls × 200 evaluations in the
 * 20 minutes of Fig. 4 (seed 000, Fig. 4 caption; docs/optimizers.md), and its seed count ("30
 * independent runs").
 */
export const PAPER_ROLLOUTS = 179_200
export const PAPER_SEEDS = 30

/**
 * The figures runs of `methods` make: Fig. 4 of the paper's five (when one is present), and Suppl.
 * Fig. S1 with every method (when the random-init control, or any other method, is present).
 */
export function fig4Figures(
  methods: readonly string[]
): { id: 'fig4' | 'figS1'; title: string; methods: string[] }[] {
  const main = methods.filter((m) => (FIG4_METHODS as string[]).includes(m))
  const out: ReturnType<typeof fig4Figures> = []
  if (main.length > 0)
    out.push({
      id: 'fig4',
      title: 'Fig. 4 — benchmarking training algorithms on the connectome',
      methods: main
    })
  if (methods.length > main.length)
    out.push({
      id: 'figS1',
      title: 'Suppl. Fig. S1 — with the random-initialisation control',
      methods: [...methods]
    })
  return out
}

/** The panels with only the groups of `methods` (Fig. 4 leaves out S1's control). */
export function panelsOf(panels: readonly Fig4Panel[], methods: readonly string[]): Fig4Panel[] {
  const keep = new Set(methods)
  return panels.map((p) => ({ ...p, groups: p.groups.filter((g) => keep.has(g.key)) }))
}

/**
 * The figure's subtitle: "mean ± std over 30 seeds; 179,200 rollouts per run; pentagon". `seeds`: each
 * shown method's run count; `budget`: the runs' common budget as text, null when they differ.
 */
export function fig4Subtitle(o: {
  seeds: readonly number[]
  budget: string | null
  task: string | null
}): string {
  const lo = Math.min(...o.seeds)
  const hi = Math.max(...o.seeds)
  const seeds = lo === hi ? `${lo} seeds` : `${lo}–${hi} seeds per method`
  const budget = o.budget === null ? 'budgets differ' : `${o.budget} per run`
  return `mean ± std over ${seeds}; ${budget}; ${o.task ?? 'several tasks'}`
}

/** `methods` of the input: each algorithm with its display name (ALGORITHM_LABELS). */
export const figureMethods = (keys: readonly string[]): { key: string; label: string }[] =>
  keys.map((key) => ({ key, label: ALGORITHM_LABELS[key as AlgorithmName] ?? key }))

export const methodColor = (key: string): string => METHOD_COLORS[key as AlgorithmName] ?? OTHER_COLOR

/**
 * The figure's text. DejaVu Sans first: it has the ‖, ₀ and ₂ of the panel titles (Liberation Sans and
 * Arial do not, and a fallback font for one glyph restyles the whole label).
 */
export const FIGURE_FONT = 'DejaVu Sans, Verdana, sans-serif'
const INK = '#222222'
const BAND_OPACITY = 0.16

/** Ticks: 50k, 179.2k for rollouts, otherwise integers with separators and 3 significant digits. */
const tick = (v: number): string =>
  Math.abs(v) >= 10_000
    ? `${Number((v / 1000).toPrecision(4))}k`
    : Number.isInteger(v)
      ? v.toLocaleString('en-US')
      : String(Number(v.toPrecision(3)))

/** Where the six panels sit, in pixels: a header (title, subtitle), the legend at the bottom. */
function layout(width: number, height: number, subtitle: boolean) {
  const top = subtitle ? 78 : 62
  const bottom = 72
  const left = 56
  const right = 14
  const colGap = 58
  const rowGap = 70
  const w = (width - left - right - 2 * colGap) / 3
  const h = (height - top - bottom - rowGap) / 2
  return {
    cell: (row: number, col: number) => ({
      left: left + col * (w + colGap),
      top: top + row * (h + rowGap),
      width: w,
      height: h
    }),
    legendBottom: 8
  }
}

export function fig4Option(input: Fig4FigureInput): EChartsOption {
  const { width, height } = input
  const at = layout(width, height, input.subtitle !== undefined)
  const label = new Map(input.methods.map((m) => [m.key, m.label]))
  const colors = new Map(input.methods.map((m) => [m.key, m.color ?? methodColor(m.key)]))
  const colorOf = (k: string): string => colors.get(k) ?? methodColor(k)
  const order = new Map(input.methods.map((m, i) => [m.key, i]))
  const grids: NonNullable<EChartsOption['grid']> = []
  const xAxes: NonNullable<EChartsOption['xAxis']> = []
  const yAxes: NonNullable<EChartsOption['yAxis']> = []
  const titles: NonNullable<EChartsOption['title']> = [
    {
      text: input.title,
      subtext: input.subtitle,
      left: 8,
      top: 6,
      textStyle: { color: INK, fontSize: 15, fontWeight: 'bold' },
      subtextStyle: { color: '#555555', fontSize: 11 },
      itemGap: 4
    }
  ]
  const series: LineSeriesOption[] = []
  const shown = new Set<string>()

  input.panels.forEach((p, i) => {
    const col = FIG4_METRICS[p.metric].column
    const row = FIG4_X[p.x].row
    const cell = at.cell(row, col)
    grids.push({ ...cell, containLabel: false })
    const axis = {
      gridIndex: i,
      axisLine: { show: true, lineStyle: { color: INK } },
      axisTick: { show: true, lineStyle: { color: INK } },
      axisLabel: { color: INK, fontSize: 10, formatter: tick, hideOverlap: true },
      nameTextStyle: { color: INK, fontSize: 11 }
    }
    xAxes.push({
      ...axis,
      type: 'value',
      name: FIG4_X[p.x].name,
      nameLocation: 'middle',
      nameGap: 22,
      min: 0,
      max: 'dataMax',
      splitNumber: 4,
      splitLine: { show: false }
    })
    yAxes.push({
      ...axis,
      type: 'value',
      name: FIG4_METRICS[p.metric].y,
      // Food, L2 and L0 are never negative: a band's mean − std below 0 is cut at the axis.
      min: 0,
      nameLocation: 'middle',
      nameGap: 36,
      splitNumber: 4,
      splitLine: { show: true, lineStyle: { color: '#ececec' } }
    })
    if (row === 0 || !input.panels.some((q) => q.metric === p.metric && FIG4_X[q.x].row === 0))
      titles.push({
        text: FIG4_METRICS[p.metric].title,
        left: cell.left - 4,
        top: cell.top - 22,
        textStyle: { color: INK, fontSize: 12, fontWeight: 'bold' }
      })

    // Methods in legend order; a group that is not one of `methods` is drawn after them.
    const groups = [...p.groups].sort(
      (a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity)
    )
    for (const g of groups) {
      const name = label.get(g.key) ?? g.key
      const color = colorOf(g.key)
      shown.add(g.key)
      // The mean first: the legend takes its icon from a name's first series.
      series.push({
        id: `${i}:${g.key}:mean`,
        name,
        type: 'line',
        xAxisIndex: i,
        yAxisIndex: i,
        data: points(p.grid, g.mean),
        step: 'end',
        color,
        symbol: 'none',
        lineStyle: { width: 1.6 },
        sampling: 'lttb',
        z: 3
      })
      series.push(
        ...bandSeries({
          id: `${i}:${g.key}`,
          name,
          grid: p.grid,
          group: g,
          kind: 'std',
          color,
          opacity: BAND_OPACITY,
          axisIndex: i
        })
      )
    }
  })

  const legendKeys = [
    ...input.methods.map((m) => m.key).filter((k) => shown.has(k)),
    ...[...shown].filter((k) => !order.has(k))
  ]
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FIGURE_FONT, color: INK },
    title: titles,
    legend: {
      bottom: at.legendBottom,
      left: 'center',
      itemGap: 22,
      itemWidth: 22,
      itemHeight: 10,
      textStyle: { color: INK, fontSize: 12 },
      data: legendKeys.map((k) => ({
        name: label.get(k) ?? k,
        icon: 'roundRect',
        itemStyle: { color: colorOf(k) }
      }))
    },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series
  }
}
