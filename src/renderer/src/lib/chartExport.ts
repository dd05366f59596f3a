/**
 * Figure export with ECharts' own renderers: PNG from the drawn canvas chart (`getDataURL`, pixel ratio
 * 2), SVG by drawing the same option offscreen with the SVG renderer (`renderToSVGString`).
 */
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { palette } from './palette'

use([SVGRenderer])

/** The chart as a PNG at twice its pixel size, on the page's background (or the figure's own: white). */
export function chartPng(chart: ECharts, background: string = palette.bg): Blob {
  const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background })
  return dataUrlBlob(url)
}

/** A base64 data: URL as a Blob (decoded here: the page's CSP allows no fetch of data: URLs). */
export function dataUrlBlob(url: string): Blob {
  const comma = url.indexOf(',')
  const type = /^data:([^;,]+)/.exec(url)?.[1] ?? 'application/octet-stream'
  const bin = atob(url.slice(comma + 1))
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Blob([bytes], { type })
}

/** `option` drawn by the SVG renderer at width×height, as an SVG file, on `background`. */
export function optionSvg(
  option: EChartsCoreOption,
  width: number,
  height: number,
  background: string = palette.bg
): Blob {
  const div = document.createElement('div')
  div.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px`
  document.body.appendChild(div)
  const chart = init(div, null, { renderer: 'svg', width, height })
  try {
    chart.setOption({ ...option, backgroundColor: background })
    return new Blob([chart.renderToSVGString()], { type: 'image/svg+xml' })
  } finally {
    chart.dispose()
    div.remove()
  }
}

/** A file name from a figure's title: lower case, words joined by '-'. */
export function figureName(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
