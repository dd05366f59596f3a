/** The dark theme's common ECharts options (DOM-free, so option builders can be tested in Node). */
import { palette } from './palette'

/** Top-level options of every chart: no animation, transparent background, the page's font. */
export const chartBase = {
  animation: false,
  backgroundColor: 'transparent',
  textStyle: { fontFamily: 'inherit' }
}

/** The tooltip box: a panel with the border and text colours of the page. */
export const tooltipStyle = {
  backgroundColor: palette.panel,
  borderColor: palette.border,
  textStyle: { color: palette.text, fontSize: 12 }
}

/** Axis lines, ticks, labels, split lines and names of the line charts. */
export const axisStyle = {
  axisLine: { lineStyle: { color: palette.border } },
  axisTick: { lineStyle: { color: palette.border } },
  axisLabel: { color: palette.muted, fontSize: 11 },
  splitLine: { lineStyle: { color: palette.grid } },
  nameTextStyle: { color: palette.muted, fontSize: 11 }
}
