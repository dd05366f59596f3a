/**
 * The Fig. 4 / Suppl. Fig. S1 figure (src/core/analysis/fig4-figure.ts) drawn by the engine
 * (src/engine/report/render-figure.ts) from synthetic groups with known means and stds: the SVG has the
 * panels, legend and one mean line per method and panel; the PNG has the requested size and real
 * pixels in each method's colour; a method missing from a panel is absent there; S1 adds the control.
 */
import { describe, expect, it } from 'vitest'
import {
  fig4Option,
  figureMethods,
  FIG4_METHODS,
  FIGS1_METHODS,
  METHOD_COLORS,
  type Fig4FigureInput,
  type Fig4Group,
  type Fig4Metric,
  type Fig4Panel,
  type Fig4X
} from '../../src/core/analysis/fig4-figure'
import { rasterise, renderFigure } from '../../src/engine/report/render-figure'

const W = 900
const H = 500
const GRID = Array.from({ length: 400 }, (_, i) => (i + 1) * 448) // 179,200 rollouts

/** A group rising from `from` to `to` (mean) with std = 10% of the mean, on GRID. */
function group(key: string, from: number, to: number): Fig4Group {
  const mean = GRID.map((_, i) => from + ((to - from) * i) / (GRID.length - 1))
  return { key, mean, std: mean.map((m) => m * 0.1), n: GRID.map(() => 6) }
}

const FINAL: Record<string, number> = { renomad: 30, menomad: 25, ea: 20, 'renomad-random': 8 }

function input(keys: string[], panelKeys: (metric: Fig4Metric, x: Fig4X) => string[] = () => keys) {
  const panels: Fig4Panel[] = []
  for (const x of ['evaluations', 'wall'] as const)
    for (const metric of ['foodEaten', 'l2', 'l0'] as const)
      panels.push({
        metric,
        x,
        grid: GRID,
        groups: panelKeys(metric, x).map((k) => group(k, 3, FINAL[k]))
      })
  return {
    title: 'Fig. 4 test',
    subtitle: 'synthetic',
    methods: figureMethods(keys),
    panels,
    width: W,
    height: H
  } satisfies Fig4FigureInput
}

/** The SVG's visible mean lines in `color` (bands are filled paths; their edges have opacity 0). */
const meanPaths = (svg: string, color: string): number =>
  [...svg.matchAll(/<path [^>]*>/g)].filter(
    ([p]) => p.includes(`stroke="${color}"`) && p.includes('fill="none"') && !p.includes('stroke-opacity="0"')
  ).length
const bandPaths = (svg: string, color: string): number =>
  [...svg.matchAll(/<path [^>]*>/g)].filter(
    ([p]) => p.includes(`fill="${color}"`) && p.includes('fill-opacity')
  ).length
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])

const rgb = (hex: string): [number, number, number] =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]

describe('the Fig. 4 figure', () => {
  const keys = ['renomad', 'menomad', 'ea']
  const { svg, png } = renderFigure(fig4Option(input(keys)), { width: W, height: H })

  it('is an SVG of the requested size with the panel titles, axis names and legend', () => {
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg).toContain(`width="${W}" height="${H}"`)
    const t = texts(svg)
    for (const title of ['(a) Food eaten by the best', '(b) L₂ = ‖W − W₀‖', '(c) L₀ = changed weights'])
      expect(t).toContain(title)
    expect(t.filter((s) => s === 'rollouts')).toHaveLength(3)
    expect(t.filter((s) => s === 'wall-clock time (s)')).toHaveLength(3)
    for (const label of ['rENOMAD', 'mENOMAD', 'pure EA']) expect(t).toContain(label)
    expect(t).not.toContain('OpenAI-ES')
  })

  it('draws one mean line and one band per method in each of the six panels, in its own colour', () => {
    for (const k of keys) {
      expect(meanPaths(svg, METHOD_COLORS[k as keyof typeof METHOD_COLORS])).toBe(6)
      expect(bandPaths(svg, METHOD_COLORS[k as keyof typeof METHOD_COLORS])).toBe(6)
    }
  })

  it('puts the band at mean ± std, on the panel’s own axes, sampled with LTTB and not animated', () => {
    const option = fig4Option(input(keys))
    expect(option.animation).toBe(false)
    const series = option.series as {
      id: string
      data: [number, number | null][]
      xAxisIndex: number
      sampling?: string
    }[]
    const g = group('menomad', 3, FINAL.menomad)
    const lower = series.find((s) => s.id === '4:menomad:lower')!
    const band = series.find((s) => s.id === '4:menomad:band')!
    expect(lower.xAxisIndex).toBe(4)
    expect(lower.data[200]).toEqual([GRID[200], g.mean[200]! - g.std[200]!])
    expect(band.data[200][1]).toBeCloseTo(2 * g.std[200]!, 12)
    expect(series.every((s) => s.sampling === 'lttb')).toBe(true)
  })

  it('is a PNG at twice the SVG size, not blank, with each method’s colour in it', () => {
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
    expect(png.readUInt32BE(16)).toBe(2 * W)
    expect(png.readUInt32BE(20)).toBe(2 * H)

    const img = rasterise(svg, 2)
    expect([img.width, img.height]).toEqual([2 * W, 2 * H])
    const px = img.pixels
    let ink = 0
    const exact = new Map(keys.map((k) => [k, 0]))
    const want = keys.map((k) => [k, rgb(METHOD_COLORS[k as keyof typeof METHOD_COLORS])] as const)
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b] = [px[i], px[i + 1], px[i + 2]]
      if (r < 245 || g < 245 || b < 245) ink++
      for (const [k, c] of want) if (r === c[0] && g === c[1] && b === c[2]) exact.set(k, exact.get(k)! + 1)
    }
    // Six panels of curves, bands, axes and text: over 5% of the picture is not background.
    expect(ink / (img.width * img.height)).toBeGreaterThan(0.05)
    // Each colour fills at least its legend swatch (44 × 20 px at 2×) and the cores of its lines.
    for (const k of keys) expect(exact.get(k)!).toBeGreaterThan(44 * 20)
  })
})

describe('a method missing from a panel', () => {
  // mENOMAD only has the rollouts row (say its wall-clock times were not stored); the EA has no run at all.
  const inp = input(['renomad', 'menomad', 'ea'], (_m, x) =>
    x === 'wall' ? ['renomad'] : ['renomad', 'menomad']
  )
  const { svg } = renderFigure(fig4Option(inp), { width: W, height: H })

  it('is simply absent there, and a method with no panel is not in the legend', () => {
    expect(meanPaths(svg, METHOD_COLORS.renomad)).toBe(6)
    expect(meanPaths(svg, METHOD_COLORS.menomad)).toBe(3)
    expect(meanPaths(svg, METHOD_COLORS.ea)).toBe(0)
    const t = texts(svg)
    expect(t).toContain('mENOMAD')
    expect(t).not.toContain('pure EA')
  })
})

describe('the Suppl. Fig. S1 variant', () => {
  it('adds the random-initialisation control, in red, to the five methods', () => {
    expect(FIGS1_METHODS).toEqual([...FIG4_METHODS, 'renomad-random'])
    const keys = ['renomad', 'menomad', 'renomad-random']
    const { svg, png } = renderFigure(fig4Option(input(keys)), { width: W, height: H, scale: 1 })
    expect(texts(svg)).toContain('rENOMAD (random init)')
    expect(meanPaths(svg, METHOD_COLORS['renomad-random'])).toBe(6)
    const [r, g, b] = rgb(METHOD_COLORS['renomad-random'])
    expect(r).toBeGreaterThan(2 * Math.max(g, b))
    expect(png.readUInt32BE(16)).toBe(W)
  })
})
