/**
 * The app's analysis charts (src/renderer/src/lib/analysis-chart.ts): core's option (the one the engine
 * renders to PNG) restyled for the dark theme, on typed fixtures of the contract's AnalysisResult: lines
 * with ± bands (freeze), the damage table's bars, and PCA trajectories coloured by PC3.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import { analysisChartOption } from '../../src/core/analysis/analysis-chart'
import { analysisOption, thirdRange } from '../../src/renderer/src/lib/analysis-chart'
import { palette, seriesColor } from '../../src/renderer/src/lib/palette'
import type { AnalysisResult } from '../../src/shared/api'

const base = { runId: 'r1', createdAt: '2026-01-01T00:00:00.000Z' }

const freeze: AnalysisResult = {
  ...base,
  id: 'a1',
  kind: 'freeze',
  title: 'Freeze the Hebbian updates at step t',
  params: { morphology: 'intact', episodes: 5 },
  xLabel: 't',
  yLabel: 'fitness',
  series: [
    { name: 'Hebbian', x: [0, 100, 200], y: [10, 40, 90], band: { lo: [5, 30, 80], hi: [15, 55, 95] } },
    { name: 'never frozen', x: [0, 100, 200], y: [95, 95, 95] }
  ]
}

const pca: AnalysisResult = {
  ...base,
  id: 'a2',
  kind: 'pca',
  title: 'PCA of the weight trajectory',
  params: { morphology: 'intact', episode: 1 },
  xLabel: 'PC1',
  yLabel: 'PC2',
  zLabel: 'PC3',
  series: [
    { name: 'evolved', x: [0, 1, 2, 3], y: [0, 1, 0, -1], z: [-2, 0, 1, 2] },
    { name: 'random', x: [0, -1], y: [0, 0.5], z: [4, -3] }
  ]
}

const damage: AnalysisResult = {
  ...base,
  id: 'a3',
  kind: 'damage-table',
  title: 'Seen and unseen damage',
  params: { morphologies: ['intact', 'right', 'left'] },
  xLabel: 'morphology',
  yLabel: 'fitness',
  series: [{ name: 'Hebbian', x: [0, 1, 2], y: [1, 3, 5], band: { lo: [0, 2, 4], hi: [2, 4, 6] } }],
  table: { header: ['', 'intact', 'right', 'left'], rows: [['Hebbian', '1 ± 1', '3 ± 1', '5 ± 1']] },
  notes: ['solved = ≥ 100 units along an axis']
}

const seriesOf = (o: EChartsOption) => o.series as LineSeriesOption[]
const axes = (o: EChartsOption) =>
  [o.xAxis, o.yAxis].flat() as Record<string, { color?: string; lineStyle?: { color?: string } }>[]

describe('analysisOption', () => {
  it("keeps core's data and series (the PNG's), in the app's colours on a transparent background", () => {
    for (const r of [freeze, pca, damage]) {
      const core = analysisChartOption(r)
      const o = analysisOption(r)
      expect(seriesOf(o).map((s) => [s.id, s.type, s.data])).toEqual(
        seriesOf(core).map((s) => [s.id, s.type, s.data])
      )
      expect(o.backgroundColor).toBe('transparent')
      for (const a of axes(o)) {
        expect(a.axisLabel.color).toBe(palette.muted)
        expect(a.splitLine.lineStyle!.color).toBe(palette.grid)
      }
    }
    // The figure's first colours become the app's series colours; a band keeps its line's colour.
    const s = seriesOf(analysisOption(freeze))
    const line = s.find((x) => x.id === 's0:line')!
    expect(line.color).toBe(seriesColor(0))
    expect(s.find((x) => x.id === 's0:band')!.color).toBe(seriesColor(0))
    expect(s.find((x) => x.id === 's1:line')!.color).toBe(seriesColor(1))
    expect(analysisOption(freeze).visualMap).toBeUndefined()
  })

  it('colours every PCA trajectory by PC3 on one shared scale, and stars the first step in the text colour', () => {
    expect(thirdRange(pca)).toEqual({ min: -3, max: 4 })
    expect(thirdRange(freeze)).toBeNull()
    const o = analysisOption(pca)
    const vm = o.visualMap as { dimension: number; seriesIndex: number[]; min: number; max: number }
    expect(vm).toMatchObject({ dimension: 2, min: -3, max: 4 })
    expect(vm.seriesIndex).toEqual([0, 1])
    // Dimension 2 of every point is its PC3 (core's [PC1, PC2, PC3, step]).
    const pts = seriesOf(o)[0].data as number[][]
    expect(pts.map((p) => p[2])).toEqual(pca.series[0].z)
    expect((seriesOf(o)[0].markPoint as { itemStyle: { color: string } }).itemStyle.color).toBe(palette.text)
    // A flat PC3 still gets a usable scale.
    expect(thirdRange({ ...pca, series: [{ ...pca.series[1], z: [2, 2] }] })).toEqual({ min: 2, max: 3 })
  })
})
