/**
 * Learning curves of stored runs as PNG and SVG, drawn by ECharts (the engine's renderFigure):
 *
 *   npx tsx scripts/results/curves.ts --db WS.db --out docs/results/hebbian/quadruped-curves \
 *     --title "…" [--metric bestFitness|meanFitness|<metric>] [--x generation|evaluations] LABEL=RUN …
 *
 * Each run draws its reported solution (bestFitness, or one of its metrics) and, dashed, its population
 * mean (meanFitness) when the metric is the fitness.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { EChartsOption } from 'echarts'
import { renderFigure } from '../../src/engine/report/render-figure'
import { Store } from '../../src/engine/store/store'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string' },
    out: { type: 'string' },
    title: { type: 'string', default: '' },
    metric: { type: 'string', default: 'bestFitness' },
    x: { type: 'string', default: 'generation' }
  }
})
if (!values.db || !values.out || positionals.length === 0)
  throw new Error('usage: --db WS --out PREFIX LABEL=RUN …')
const store = Store.open(values.db, { create: false })
const series: EChartsOption['series'] = []
const colours = ['#c0392b', '#2471a3', '#229954', '#7d3c98']
positionals.forEach((arg, i) => {
  const [label, id] = arg.includes('=') ? arg.split('=') : [arg, arg]
  const rows = store.metrics(store.getRun(id).id)
  const x = (r: (typeof rows)[number]) => (values.x === 'evaluations' ? r.evaluations : r.generation)
  const y = (r: (typeof rows)[number]) =>
    values.metric === 'bestFitness'
      ? r.bestFitness
      : values.metric === 'meanFitness'
        ? r.meanFitness
        : r.metrics[values.metric!]
  const color = colours[i % colours.length]
  series.push({
    name: label,
    type: 'line',
    showSymbol: false,
    sampling: 'lttb',
    color,
    data: rows.map((r) => [x(r), y(r)])
  })
  if (values.metric === 'bestFitness')
    series.push({
      name: `${label}: population mean`,
      type: 'line',
      showSymbol: false,
      sampling: 'lttb',
      color,
      lineStyle: { type: 'dashed', width: 1 },
      data: rows.map((r) => [x(r), r.meanFitness])
    })
})
store.close()
const option: EChartsOption = {
  animation: false,
  backgroundColor: '#fff',
  title: { text: values.title, left: 'center', textStyle: { fontSize: 14 } },
  legend: { top: 28 },
  grid: { left: 70, right: 30, top: 70, bottom: 50 },
  xAxis: { type: 'value', name: values.x, nameLocation: 'middle', nameGap: 28 },
  yAxis: { type: 'value', name: values.metric, nameLocation: 'middle', nameGap: 50 },
  series
}
const fig = renderFigure(option, { width: 900, height: 500 })
writeFileSync(`${values.out}.svg`, fig.svg)
writeFileSync(`${values.out}.png`, fig.png)
console.log(`wrote ${values.out}.png and .svg`)
