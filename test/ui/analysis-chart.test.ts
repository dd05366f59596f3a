/**
 * The analyses' charts (src/renderer/src/lib/analysis-chart.ts) on typed fixtures of the contract's
 * AnalysisResult: lines with ± bands (the freeze analysis), the PCA trajectory as small multiples coloured
 * by PC3, and a table-only damage table (no chart).
 */
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { VisualMapComponentOption } from 'echarts/components'
import { describe, expect, it } from 'vitest'
import {
  analysisHeight,
  analysisOption,
  isTrajectory,
  type AnalysisResultData
} from '../../src/renderer/src/lib/analysis-chart'

const base = {
  runId: 'r1',
  createdAt: '2026-01-01T00:00:00.000Z',
  params: { morphology: 'intact', episodes: 5 }
}

const freeze: AnalysisResultData = {
  ...base,
  id: 'a1',
  kind: 'freeze',
  title: 'Freeze the Hebbian updates at step t',
  xLabel: 't',
  yLabel: 'fitness',
  series: [
    { name: 'Hebbian', x: [0, 100, 200], y: [10, 40, 90], band: { lo: [5, 30, 80], hi: [15, 55, 95] } },
    { name: 'never frozen', x: [0, 100, 200], y: [95, 95, 95] }
  ]
}

const pca: AnalysisResultData = {
  ...base,
  id: 'a2',
  kind: 'pca',
  title: 'PCA of the weight trajectory',
  xLabel: 'PC1',
  yLabel: 'PC2',
  zLabel: 'PC3',
  series: [
    { name: 'evolved', x: [0, 1, 2, 3], y: [0, 1, 0, -1], z: [-2, 0, 1, 2] },
    { name: 'random', x: [0, -1], y: [0, 0.5], z: [4, -3] }
  ]
}

const table: AnalysisResultData = {
  ...base,
  id: 'a3',
  kind: 'damage-table',
  title: 'Seen and unseen damage',
  xLabel: '',
  yLabel: '',
  series: [],
  table: { header: ['', 'intact', 'right', 'left'], rows: [['Hebbian', '1 ± 2', '3 ± 4', '5 ± 6']] },
  notes: ['solved = ≥ 100 units along an axis']
}

describe('analysisOption', () => {
  it('draws lines, each banded one with its lower edge and its height stacked on it', () => {
    const o = analysisOption(freeze)!
    const series = o.series as LineSeriesOption[]
    // Hebbian: lower, band, line; never frozen: line only.
    expect(series.map((s) => s.id)).toEqual(['s0:lower', 's0:band', 's0', 's1'])
    expect(series[0].data).toEqual([
      [0, 5],
      [100, 30],
      [200, 80]
    ])
    expect(series[1].data).toEqual([
      [0, 10],
      [100, 25],
      [200, 15]
    ])
    expect(series[2].data).toEqual([
      [0, 10],
      [100, 40],
      [200, 90]
    ])
    expect(series[0].stack).toBe(series[1].stack)
    expect(series[1].areaStyle).toBeDefined()
    // The band shares its line's legend entry (one toggle for both) and colour.
    expect(series.slice(0, 3).map((s) => s.name)).toEqual(['Hebbian', 'Hebbian', 'Hebbian'])
    expect(series[1].color).toBe(series[2].color)
    expect(series[3].color).not.toBe(series[2].color)
    expect(o.xAxis).toMatchObject({ name: 't' })
    expect(o.yAxis).toMatchObject({ name: 'fitness' })
  })

  it('draws a PCA trajectory as one PC1–PC2 panel per series, coloured by PC3 on one shared scale', () => {
    expect(isTrajectory(pca)).toBe(true)
    expect(isTrajectory(freeze)).toBe(false)
    const o = analysisOption(pca)!
    expect(o.grid).toHaveLength(2)
    expect(o.xAxis).toHaveLength(2)
    const series = o.series as (LineSeriesOption | ScatterSeriesOption)[]
    expect(series.map((s) => s.type)).toEqual(['line', 'scatter', 'line', 'scatter'])
    // Each panel's series sit on its own axes.
    expect(series.map((s) => s.xAxisIndex)).toEqual([0, 0, 1, 1])
    const vm = o.visualMap as VisualMapComponentOption & { seriesIndex: number[]; min: number; max: number }
    expect(vm.seriesIndex).toEqual([1, 3])
    expect([vm.min, vm.max]).toEqual([-3, 4])
    // Points carry PC3 (the colour dimension) and their index; the first point (the start) is larger.
    const scatter = series[1] as ScatterSeriesOption & { symbolSize: (d: number[]) => number }
    expect(scatter.data).toEqual([
      [0, 0, -2, 0],
      [1, 1, 0, 1],
      [2, 0, 1, 2],
      [3, -1, 2, 3]
    ])
    expect(scatter.symbolSize([0, 0, -2, 0])).toBeGreaterThan(scatter.symbolSize([1, 1, 0, 1]))
    // Both panels share the axis ranges, so the trajectories compare by eye.
    const axes = o.xAxis as { min: number; max: number }[]
    expect(axes[0]).toMatchObject({ min: axes[1].min, max: axes[1].max })
    expect(axes[0].min).toBeLessThan(-1)
    expect(axes[0].max).toBeGreaterThan(3)
  })

  it('has no chart for a table-only result, and grows PCA charts by rows of three panels', () => {
    expect(analysisOption(table)).toBeNull()
    const five = { ...pca, series: [...pca.series, ...pca.series, pca.series[0]] }
    expect(analysisHeight(five)).toBeGreaterThan(analysisHeight(pca))
    expect(analysisOption(five)!.grid).toHaveLength(5)
  })
})
