/** ECharts pieces shared by the chart components: the dark theme's common options and the chart lifecycle. */
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption
} from 'echarts/components'
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'

// Every chart is drawn on a canvas, in a grid, with a tooltip; each component registers its own series.
use([GridComponent, TooltipComponent, CanvasRenderer])

/** The options of the components every chart has, to compose with a chart's own: `ComposeOption<… | GridTooltipOption>`. */
export type GridTooltipOption = GridComponentOption | TooltipComponentOption

export { axisStyle, chartBase, tooltipStyle } from './chart-style'

/**
 * A canvas chart in `el` for the component's lifetime: drawn with `option` on mount, redrawn (not
 * merged) whenever it changes, resized with its element, disposed on unmount. `drawn` runs after each draw.
 */
export function useChart<O extends EChartsCoreOption>(
  el: Ref<HTMLElement | null>,
  option: Ref<O>,
  drawn?: (chart: ECharts) => void
): void {
  let chart: ECharts | null = null
  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (!el.value) return
    chart = init(el.value, undefined, { renderer: 'canvas' })
    chart.setOption(option.value)
    drawn?.(chart)
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el.value)
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })
  watch(option, (o) => {
    if (!chart) return
    chart.setOption(o, { notMerge: true })
    drawn?.(chart)
  })
}
