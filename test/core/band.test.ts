/** The band of a group's spread (src/core/analysis/band.ts), shared by the Compare view and the figures. */
import { describe, expect, it } from 'vitest'
import { bandOf, bandSeries } from '../../src/core/analysis/band'

const g = { mean: [null, 2, 5, -1], std: [null, null, 1.5, 2], min: [null, 2, 3, -4], max: [null, 2, 8, 1] }

describe('bandOf', () => {
  it('is mean ± std, a zero-height band where one run has no std, and empty where no run is', () => {
    expect(bandOf(g, 'std')).toEqual({ lower: [null, 2, 3.5, -3], height: [null, 0, 3, 4] })
  })
  it('is the min–max envelope, and refuses it without the min and max', () => {
    expect(bandOf(g, 'minmax')).toEqual({ lower: [null, 2, 3, -4], height: [null, 0, 5, 5] })
    expect(() => bandOf({ mean: g.mean, std: g.std }, 'minmax')).toThrow(/min and max/)
  })
})

describe('bandSeries', () => {
  it('stacks the height on the lower edge (all signs) in the given axes, filled with the opacity', () => {
    const [lower, band] = bandSeries({
      id: 'x',
      name: 'X',
      grid: [1, 2, 3, 4],
      group: g,
      kind: 'std',
      color: '#123456',
      opacity: 0.3,
      axisIndex: 2
    })
    expect(lower.stack).toBe(band.stack)
    expect(band.stackStrategy).toBe('all')
    expect(lower.data).toEqual([
      [1, null],
      [2, 2],
      [3, 3.5],
      [4, -3]
    ])
    expect(band.areaStyle).toEqual({ color: '#123456', opacity: 0.3 })
    expect(lower.areaStyle).toBeUndefined()
    expect([band.xAxisIndex, band.yAxisIndex]).toEqual([2, 2])
  })
})
