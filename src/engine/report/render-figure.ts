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
