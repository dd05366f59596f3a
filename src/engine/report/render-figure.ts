/**
 * A chart option drawn off-screen, as SVG and PNG files for reports and docs: ECharts' server-side
 * SVG renderer (no DOM, no canvas) writes the SVG, and resvg rasterises it. resvg loads the system
 * fonts; text falls back to DejaVu Sans (installed with the OS here, and it has the ‖, ₀, ₂ and −
 * glyphs of the panel titles) when a family the option names is missing.
 */
import { Resvg } from '@resvg/resvg-js'
import * as echarts from 'echarts'

export interface RenderFigureOptions {
  /** The SVG's size in CSS pixels. */
  width: number
  height: number
  /** PNG pixels per SVG pixel: 2 (the default) gives a 1800 × 1000 PNG of a 900 × 500 figure. */
  scale?: number
  /** The family resvg uses for text in no installed family. */
  fallbackFont?: string
}

export interface RenderedFigure {
  svg: string
  png: Buffer
}

export const DEFAULT_FIGURE_FONT = 'DejaVu Sans'

/** The figure font's files (Debian's fonts-dejavu-core), for measuring text. */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
  (f) => `/usr/share/fonts/truetype/dejavu/${f}`
)
const widths = new Map<string, number>()
const escapeXml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Text width as resvg will draw it. Without a canvas, ECharts' SSR guesses widths from character counts,
 * which is too narrow for DejaVu Sans (legend items ran into each other); so text is measured with the
 * same font files resvg draws with, once per string and weight at 100 px, and scaled to the size.
 */
function measureText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12)
  // zrender takes a line's height from the width of '国', a glyph DejaVu Sans lacks (it would measure
  // the 0.5 em missing-glyph box and squeeze the lines): a line is 1 em.
  if (text === '国') return { width: size }
  const bold = /\bbold\b|\b[6-9]00\b/.test(font ?? '')
  const key = `${bold ? 'b' : 'n'}:${text}`
  let w = widths.get(key)
  if (w === undefined) {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${100 * (text.length + 2)}" height="200">` +
      `<text x="0" y="150" font-family="DejaVu Sans" font-size="100" font-weight="${bold ? 'bold' : 'normal'}" xml:space="preserve">${escapeXml(text)}</text></svg>`
    let box: { width: number } | undefined
    try {
      box = new Resvg(svg, {
        font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: DEFAULT_FIGURE_FONT }
      }).getBBox()
    } catch {
      box = undefined
    }
    // No box: blank text, or no font files (another OS): ECharts' usual guess, 0.6 em a character.
    w = box ? box.width / 100 : text.length * 0.6
    widths.set(key, w)
  }
  return { width: w * size }
}
echarts.setPlatformAPI({ measureText })

/** The option rasterised: the SVG and its PNG at `scale` × its size. */
export function renderFigure(option: echarts.EChartsOption, o: RenderFigureOptions): RenderedFigure {
  const svg = renderSvg(option, o.width, o.height)
  return { svg, png: rasterise(svg, o.scale ?? 2, o.fallbackFont).asPng() }
}

/** The option as an SVG document (ECharts' SSR; the chart is disposed before returning). */
export function renderSvg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption(option)
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** The SVG rendered by resvg at `scale`: `.asPng()` for the file, `.pixels` (RGBA) to inspect it. */
export function rasterise(
  svg: string,
  scale = 2,
  fallbackFont = DEFAULT_FIGURE_FONT
): ReturnType<Resvg['render']> {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: fallbackFont,
      sansSerifFamily: fallbackFont
    }
  })
  return resvg.render()
}
