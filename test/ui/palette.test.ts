/** The compared runs' and groups' colours: eight hand-picked, then generated, never repeating. */
import { describe, expect, it } from 'vitest'
import { seriesColor, seriesColors } from '../../src/renderer/src/lib/palette'

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
const dist = (a: string, b: string): number => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]))

describe('series colours', () => {
  it('start with the eight of the palette', () => {
    expect(Array.from({ length: 8 }, (_, i) => seriesColor(i))).toEqual([...seriesColors])
  })
  it('give the 9th run a colour of its own (the palette bug)', () => {
    expect(seriesColor(8)).not.toBe(seriesColor(0))
    expect(dist(seriesColor(8), seriesColor(0))).toBeGreaterThan(40)
  })
  it('are distinct valid colours far beyond eight', () => {
    const colors = Array.from({ length: 64 }, (_, i) => seriesColor(i))
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/)
    expect(new Set(colors).size).toBe(64)
    // the first 16 (a sweep of 16 groups) are told apart: no two closer than 25 in RGB
    let closest = Infinity
    for (let i = 0; i < 16; i++)
      for (let j = i + 1; j < 16; j++) closest = Math.min(closest, dist(colors[i], colors[j]))
    console.log(`closest pair among the first 16 series colours: ${closest.toFixed(1)} (RGB distance)`)
    expect(closest).toBeGreaterThan(25)
  })
})
