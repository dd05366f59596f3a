/**
 * The run detail's curves in headless Chromium over a real backend (a workspace trained by RunManager
 * and a real WorkerPool, served by startServe): fitness and the environment's metrics on generation,
 * rollouts or wall clock, smoothing over the raw line, LTTB on a 10,000-generation run, a one-generation
 * run that stays visible beside long ones, and PNG / SVG / metrics CSV downloads.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabServer } from '../../src/engine/serve'
import type { MetricRow, RunRow } from '../../src/engine/store/store'
import { serveWorkspace, trainEa, type ServedWorkspace } from '../helpers/ui-workspace'
import { connect, exchange } from './bridge-client'
import { HAS_CHROMIUM, launchChromium, painted, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
const LONG = 10_000

let tmp = ''
let server: LabServer
const seeded: Record<'worm' | 'one' | 'long', { run: RunRow; metrics: MetricRow[] }> = {} as never

let ws: ServedWorkspace<void>

beforeAll(async () => {
  ws = await serveWorkspace('run-curves', async ({ store, manager }) => {
    const t0 = performance.now()
    const long = manager.create({
      algorithm: 'es',
      environment: { id: 'quadratic', dim: 2 },
      seed: 1,
      config: { populationSize: 2 },
      budget: { generations: LONG }
    })
    await manager.start(long.id)
    console.log(`seeded a ${LONG}-generation quadratic run in ${(performance.now() - t0).toFixed(0)} ms`)
    const one = manager.create({
      algorithm: 'es',
      environment: { id: 'quadratic', dim: 2 },
      seed: 2,
      config: { populationSize: 2 },
      budget: { generations: 1 }
    })
    await manager.start(one.id)
    const worm = { id: await trainEa(manager, 5, 12) }
    for (const [key, id] of [
      ['long', long.id],
      ['one', one.id],
      ['worm', worm.id]
    ] as const)
      seeded[key] = { run: store.getRun(id), metrics: store.metrics(id) }
  })
  ;({ tmp, server } = ws)
}, 240_000)

afterAll(async () => {
  await ws?.close()
})

/** Pixels of the canvas within `tol` of colour `hex` (every pixel read). */
function pixelsOf(canvas: Locator, hex: string, tol = 40): Promise<number> {
  return canvas.evaluate(
    (el, [hex, tol]) => {
      const c = el as unknown as {
        width: number
        height: number
        getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } }
      }
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      const v = parseInt(String(hex).slice(1), 16)
      const [r, g, b] = [v >> 16, (v >> 8) & 255, v & 255]
      let n = 0
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < Number(tol)) n++
      return n
    },
    [hex, tol] as const
  )
}

describe.skipIf(!HAS_CHROMIUM)('run detail curves in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const chart = (key: string): Locator => page.getByTestId(`detail-curve-${key}`)

  async function open(id: string): Promise<void> {
    await page.evaluate((id) => {
      ;(globalThis as unknown as { location: { hash: string } }).location.hash = `#/runs/${id}`
    }, id)
    await expect
      .poll(() => page.getByTestId('run-detail').getAttribute('data-run-id'), { timeout: 30_000 })
      .toBe(id)
    await page.getByTestId('tab-overview').click()
    await page.getByTestId('run-detail-curves').waitFor()
  }

  /** Clicks an export button and reads the downloaded file. */
  async function download(testid: string): Promise<{ name: string; bytes: Buffer }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
    const path = join(tmp, `dl-${Date.now()}-${d.suggestedFilename()}`)
    await d.saveAs(path)
    return { name: d.suggestedFilename(), bytes: readFileSync(path) }
  }

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-view').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('draws best, mean and worst fitness and every worm metric, one point per generation', async () => {
    const { run, metrics } = seeded.worm
    await open(run.id)
    const n = metrics.length
    expect(n).toBe(12)
    await expect.poll(() => chart('fitness').getAttribute('data-points')).toBe(String(3 * n))
    expect(await chart('fitness').getAttribute('data-series')).toBe('3')
    for (const key of ['foodEaten', 'reward', 'l0', 'l2']) {
      await expect.poll(() => chart(key).getAttribute('data-points')).toBe(String(n))
      expect(await painted(chart(key).locator('canvas').first())).toBeGreaterThan(4)
    }
    // The config is beside the curves.
    expect(await page.getByTestId('run-config').textContent()).toContain('populationSize')
  })

  it('switches the x axis between generation, rollouts and wall clock', async () => {
    const { metrics } = seeded.worm
    const last = metrics.at(-1)!
    const xMax = () => chart('fitness').getAttribute('data-x-max')
    await expect.poll(xMax).toBe(String(last.generation))
    await page.getByTestId('detail-axis-evaluations').click()
    await expect.poll(xMax).toBe(String(last.evaluations))
    expect(last.evaluations).toBeGreaterThan(last.generation)
    await page.getByTestId('detail-axis-seconds').click()
    await expect.poll(async () => Number(await xMax())).toBeCloseTo(last.wallSeconds, 9)
    await page.getByTestId('detail-axis-generation').click()
    await expect.poll(xMax).toBe(String(last.generation))
  })

  it('smooths over the raw line: raw faint series stay, a smoothed one is added per line', async () => {
    const n = seeded.worm.metrics.length
    const fitness = chart('fitness')
    await page.getByTestId('detail-smoothing').selectOption('ema')
    // best raw + smoothed, mean raw + smoothed, worst: 5 series, the raw points all still plotted.
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('5')
    expect(await fitness.getAttribute('data-points')).toBe(String(5 * n))
    await expect.poll(() => chart('foodEaten').getAttribute('data-series')).toBe('2')
    await page.getByTestId('detail-smoothing-weight').fill('0.9')
    await page.getByTestId('run-detail-curves').screenshot({ path: join(SHOTS, 'run-curves-smoothed.png') })
    await page.getByTestId('detail-smoothing').selectOption('mean')
    await page.getByTestId('detail-smoothing-window').fill('4')
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('5')
    await page.getByTestId('detail-smoothing').selectOption('none')
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('3')
    expect(await fitness.getAttribute('data-points')).toBe(String(3 * n))
  })

  it('exports a chart as PNG (ECharts getDataURL) and SVG (the SVG renderer)', async () => {
    const png = await download('export-png-fitness')
    expect(png.name).toMatch(/\.png$/)
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    // Pixel ratio 2: the PNG is twice the chart's CSS size.
    const box = (await chart('fitness').boundingBox())!
    expect(png.bytes.readUInt32BE(16)).toBe(Math.round(box.width) * 2)
    expect(png.bytes.length).toBeGreaterThan(10_000)
    console.log(`fitness PNG: ${png.bytes.length} bytes, ${png.bytes.readUInt32BE(16)} px wide`)

    const svg = await download('export-svg-fitness')
    expect(svg.name).toMatch(/\.svg$/)
    const text = svg.bytes.toString('utf8')
    expect(text).toContain('<svg')
    interface Doc {
      getElementsByTagName(n: string): { length: number }
      documentElement: { nodeName: string }
    }
    const parsed = await page.evaluate((t) => {
      const { DOMParser } = globalThis as unknown as {
        DOMParser: new () => { parseFromString(t: string, type: string): Doc }
      }
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml')
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.nodeName,
        paths: doc.getElementsByTagName('path').length
      }
    }, text)
    expect(parsed).toMatchObject({ error: 0, root: 'svg' })
    expect(parsed.paths).toBeGreaterThan(3)
    console.log(`fitness SVG: ${svg.bytes.length} bytes, ${parsed.paths} paths`)
  })

  it("exports the run's metrics as CSV: the header, one row per stored generation, the API's values", async () => {
    const { run, metrics } = seeded.worm
    const csv = await download('export-metrics-csv')
    expect(csv.name).toBe(`${run.id}-metrics.csv`)
    const lines = csv.bytes.toString('utf8').trimEnd().split('\n')
    const header = lines[0].split(',')
    expect(header).toEqual([
      'generation',
      'evaluations',
      'wallSeconds',
      'bestFitness',
      'meanFitness',
      'worstFitness',
      'foodEaten',
      'reward',
      'l0',
      'l2',
      'rolloutMs',
      'madsMs',
      'algorithmMs',
      'transportMs'
    ])
    expect(lines.length - 1).toBe(metrics.length)
    // The values the API serves (runs:get over the bridge, as the page reads them).
    const ws = await connect(server.bridgeUrl, server.token)
    let apiMetrics: MetricRow[]
    try {
      const got = await exchange(ws, JSON.stringify({ id: 1, channel: 'runs:get', payload: { id: run.id } }))
      expect(got.ok).toBe(true)
      apiMetrics = (got.result as { metrics: MetricRow[] }).metrics
    } finally {
      ws.close()
    }
    expect(apiMetrics.length).toBe(metrics.length)
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map(Number)
      const m = apiMetrics[i]
      const want = [
        m.generation,
        m.evaluations,
        m.wallSeconds,
        m.bestFitness,
        m.meanFitness,
        m.worstFitness,
        m.metrics.foodEaten,
        m.metrics.reward,
        m.metrics.l0,
        m.metrics.l2,
        m.rolloutMs,
        m.madsMs,
        m.algorithmMs,
        m.transportMs
      ]
      expect(cells).toEqual(want)
    })
  })

  it(`draws a ${LONG.toLocaleString('en-US')}-generation run with ECharts' LTTB sampling`, async () => {
    const { run } = seeded.long
    const t0 = performance.now()
    await open(run.id)
    const opened = performance.now() - t0
    const ws = await connect(server.bridgeUrl, server.token)
    try {
      const t1 = performance.now()
      await exchange(ws, JSON.stringify({ id: 9, channel: 'runs:get', payload: { id: run.id } }))
      console.log(
        `runs:get of ${LONG} generations over the bridge: ${(performance.now() - t1).toFixed(0)} ms`
      )
    } finally {
      ws.close()
    }
    const fitness = chart('fitness')
    await expect.poll(() => fitness.getAttribute('data-points'), { timeout: 30_000 }).toBe(String(3 * LONG))
    const ms = performance.now() - t0
    expect(await fitness.getAttribute('data-sampling')).toBe('lttb')
    expect(await chart('distance').getAttribute('data-sampling')).toBe('lttb')
    expect(await painted(fitness.locator('canvas').first())).toBeGreaterThan(5)
    console.log(
      `${LONG}-generation run: detail shown after ${opened.toFixed(0)} ms, curves drawn after ${ms.toFixed(0)} ms (3 × ${LONG} fitness points)`
    )
    await page.getByTestId('run-detail-curves').screenshot({ path: join(SHOTS, 'run-curves-10000.png') })
  })

  it('a one-generation run is visible beside a long run (markers per series, not hidden by the longest)', async () => {
    const { one, long } = seeded
    const table = (id: string) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
    // Exactly these two compared (runs opened before may have joined the comparison).
    for (const r of Object.values(seeded))
      await table(r.run.id)
        .getByTestId('run-select')
        .setChecked(r === one || r === long)
    const compared = page.getByTestId('curves-fitness')
    await expect.poll(() => compared.getAttribute('data-series')).toBe('2')
    const swatch = page.getByTestId('curves-legend').locator('li', { hasText: one.run.id }).locator('i')
    const rgb: string = await swatch.evaluate((el) => {
      const { getComputedStyle } = globalThis as unknown as {
        getComputedStyle(e: unknown): { backgroundColor: string }
      }
      return getComputedStyle(el).backgroundColor
    })
    const hex =
      '#' +
      (rgb.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map((v: string) => Number(v).toString(16).padStart(2, '0'))
        .join('')
    const seen = await pixelsOf(compared.locator('canvas').first(), hex)
    console.log(`one-generation run (${hex}) beside a ${LONG}-point run: ${seen} pixels of its colour`)
    expect(seen).toBeGreaterThan(10)
    await page.getByTestId('run-curves').screenshot({ path: join(SHOTS, 'run-curves-one-point.png') })
    // And in its own detail, its single generation is drawn.
    await open(one.run.id)
    await expect.poll(() => chart('fitness').getAttribute('data-points')).toBe('3')
    expect(problems).toEqual([])
  })
})
