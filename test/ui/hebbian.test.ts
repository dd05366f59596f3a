/**
 * Hebbian runs in the app (issue 11 item 6), end to end in headless Chromium: tiny quadruped and
 * worm-hebbian runs trained by the engine (real pool, real SQLite workspace), then listed with their own
 * metrics, compared, and replayed: the quadruped's body drawn frame by frame with the distance walked, on
 * the seen and unseen damaged bodies; the Hebbian worm in the arena with its weights over the lifetime.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseRun } from '../../src/engine/analysis/hebbian'
import type { RunRow } from '../../src/engine/store/store'
import { serveWorkspace, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, painted, ROOT, type Browser } from './browser'
import { countColour, counters, type PageCanvas, type PageGlobals } from './replay-pixels'

const SHOTS = join(ROOT, 'docs/screenshots')
const runs: { quad: RunRow; quad2: RunRow; hebb: RunRow } = {} as never
let ws: ServedWorkspace<void>

beforeAll(async () => {
  ws = await serveWorkspace('hebbian-ui', async ({ store, manager }) => {
    const es = { algorithm: 'hebbian-es' as const, config: { populationSize: 4 }, budget: { generations: 2 } }
    const quadruped = { id: 'quadruped', steps: 60 }
    for (const [key, spec] of [
      ['quad', { ...es, seed: 1, environment: quadruped }],
      ['quad2', { ...es, seed: 2, environment: quadruped }],
      ['hebb', { ...es, seed: 1, environment: { id: 'worm-hebbian' } }]
    ] as const) {
      const run = manager.create(spec)
      await manager.start(run.id)
      runs[key] = store.getRun(run.id)
    }
    // Two stored analyses of the first quadruped run, as `lab analyse` makes them (tiny settings).
    const pool = { pool: manager.pool }
    const q = runs.quad.id
    await analyseRun(
      store,
      { runId: q, kind: 'freeze', params: { episodes: 2, freezeAt: [0, 20, 40] } },
      pool
    )
    await analyseRun(store, { runId: q, kind: 'damage-table', params: { episodes: 3 } }, pool)
  })
}, 240_000)

afterAll(async () => {
  await ws?.close()
})

/** The canvas's pixels kept in the page under `name`, and how many differ from them now. */
function snapAll(canvas: Locator, name: string): Promise<void> {
  return canvas.evaluate((el, name) => {
    const c = el as unknown as PageCanvas
    const g = globalThis as unknown as PageGlobals
    g.snaps = { ...g.snaps, [name]: c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data }
  }, name)
}
function changed(canvas: Locator, name: string): Promise<number> {
  return canvas.evaluate((el, name) => {
    const c = el as unknown as PageCanvas
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    const o = (globalThis as unknown as PageGlobals).snaps![name]
    let n = 0
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - o[i]) + Math.abs(d[i + 1] - o[i + 1]) + Math.abs(d[i + 2] - o[i + 2]) > 24) n++
    return n
  }, name)
}

describe.skipIf(!HAS_CHROMIUM)('Hebbian runs in the app', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  // Reading a canvas back several times makes Chromium suggest willReadFrequently: the test's doing.
  const issues = (): string[] => problems.filter((p) => !p.includes('willReadFrequently'))
  const row = (id: string): Locator => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
  const open = async (id: string): Promise<void> => {
    await page.evaluate((id) => ((globalThis as unknown as PageGlobals).location.hash = `#/runs/${id}`), id)
    await expect.poll(() => page.getByTestId('run-detail').getAttribute('data-run-id')).toBe(id)
  }
  const step = async (): Promise<number> =>
    Number(await page.getByTestId('replay-step').getAttribute('data-step'))
  const seek = async (s: number): Promise<void> => {
    await page.getByTestId('replay-scrubber').fill(String(s))
    await expect.poll(step).toBe(s)
    await page.waitForTimeout(120) // the frame drawn after the change
  }

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(ws.server.url)
    await page.getByTestId('runs-card').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('lists the quadruped and Hebbian worm runs by their own headline metrics', async () => {
    await open(runs.quad.id)
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3)
    const quad = row(runs.quad.id).getByTestId('run-food')
    await expect.poll(async () => (await quad.textContent()) ?? '').toContain('distance')
    expect(Number(await quad.getAttribute('data-value'))).toBeCloseTo(runs.quad.bestMetrics!.distance, 9)
    const hebb = row(runs.hebb.id).getByTestId('run-food')
    expect(Number(await hebb.getAttribute('data-value'))).toBe(runs.hebb.bestMetrics!.foodEaten)
    const detail = page.getByTestId('run-detail')
    expect(await detail.textContent()).toMatch(/Best distance/)
    // The curves offer the quadruped's own metrics.
    const pick = page.getByTestId('curves-metric')
    await pick.waitFor()
    const options = await pick.locator('option').allTextContents()
    expect(options).toContain('distance')
    expect(options).toContain('fitness left')
    expect(options).not.toContain('food eaten')
    // Its views: the body's replay, no connectome diff.
    expect(await page.getByTestId('tab-replay').count()).toBe(1)
    expect(await page.getByTestId('tab-diff').count()).toBe(0)
    await open(runs.hebb.id)
    expect(await page.getByTestId('run-detail').textContent()).toMatch(/Best food eaten/)
    expect(await page.getByTestId('tab-replay').count()).toBe(1)
    expect(await page.getByTestId('tab-diff').count()).toBe(0)
    expect(issues()).toEqual([])
  })

  it('replays the quadruped: the body moves between frames and the distance walked follows', async () => {
    await open(runs.quad.id)
    await page.getByTestId('tab-replay').click()
    await page.getByTestId('quad-replay-run').click()
    const stats = page.getByTestId('quad-stats')
    // The first quadruped replay loads the MuJoCo module in the backend (about a second or more).
    await expect.poll(() => stats.getAttribute('data-generation'), { timeout: 30_000 }).toBe('2')
    expect(await stats.getAttribute('data-morphology')).toBe('intact')
    const canvas = page.getByTestId('quadruped-canvas')
    await canvas.waitFor()
    expect(await painted(canvas)).toBeGreaterThan(20)
    // 1 reset frame + 40 warm-up frames + 60 policy steps (or fewer: the early stop).
    const frames = Number((await page.getByTestId('replay-step').textContent())!.split('/')[1])
    expect(frames).toBeGreaterThan(40)
    expect(await step()).toBe(0)
    const distance = async () => Number(await page.getByTestId('quad-distance').getAttribute('data-value'))
    expect(await distance()).toBe(0)
    await seek(40)
    expect(await distance()).toBe(0) // the warm-up: the policy has not acted yet
    await snapAll(canvas, 'warmup')
    await seek(frames)
    expect(await changed(canvas, 'warmup')).toBeGreaterThan(200)
    const final = await page.getByTestId('quad-final-distance').textContent()
    expect(await page.getByTestId('quad-distance').textContent()).toBe(final)
    expect(await distance()).not.toBe(0)
    expect(await page.getByTestId('quad-check').getAttribute('class')).toContain('ok')
    // Playing moves the body on its own, and the readout with it.
    await seek(0)
    await snapAll(canvas, 'start')
    const before = await counters(canvas)
    await page.getByTestId('replay-play').click()
    await page.waitForTimeout(1200)
    const after = await counters(canvas)
    const drawn = after.frames - before.frames
    console.log(
      `[quadruped replay] 1.2 s of play: ${drawn} frames drawn, ${((after.drawMs - before.drawMs) / Math.max(1, drawn)).toFixed(2)} ms per frame`
    )
    await expect.poll(step).toBeGreaterThan(41)
    expect(await changed(canvas, 'start')).toBeGreaterThan(200)
    await page.getByTestId('replay-play').click()
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('data-playing')).toBe('no')
    // Dragging turns the camera; a double-click brings the default view back.
    await snapAll(canvas, 'view')
    const box = (await canvas.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 30, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => changed(canvas, 'view')).toBeGreaterThan(500)
    await canvas.dblclick()
    await expect.poll(() => changed(canvas, 'view')).toBeLessThan(20)
    expect(issues()).toEqual([])
  })

  it('replays the seen and the unseen damaged bodies, the damaged foot drawn in its colour', async () => {
    const canvas = page.getByTestId('quadruped-canvas')
    const stats = page.getByTestId('quad-stats')
    const damaged = () => countColour(canvas, [0xe5, 0x73, 0x7a], [6, 6, 6])
    await seek(41)
    expect(await damaged()).toBe(0)
    expect(await page.getByTestId('quad-morphology-left').textContent()).toContain('(unseen)')
    expect(await page.getByTestId('quad-morphology-right').textContent()).toContain('(seen)')
    await page.getByTestId('quad-morphology-left').click()
    await expect.poll(() => stats.getAttribute('data-morphology'), { timeout: 10_000 }).toBe('left')
    await seek(41)
    await expect.poll(damaged).toBeGreaterThan(0)
    expect(await page.getByTestId('quad-check').textContent()).toMatch(/not trained on/)
    await page.getByTestId('quad-morphology-right').click()
    await expect.poll(() => stats.getAttribute('data-morphology'), { timeout: 10_000 }).toBe('right')
    expect(await page.getByTestId('quad-check').getAttribute('class')).toContain('ok')
    await page.getByTestId('quad-morphology-left').click()
    await expect.poll(() => stats.getAttribute('data-morphology'), { timeout: 10_000 }).toBe('left')
    await seek(70)
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'quadruped-replay.png') })
    expect(issues()).toEqual([])
  })

  it("lists the quadruped run's stored analyses as charts, and runs a new one (the PCA) from the tab", async () => {
    await open(runs.quad.id)
    await page.getByTestId('tab-analyses').click()
    const list = page.getByTestId('run-analyses')
    await expect.poll(() => list.getAttribute('data-count'), { timeout: 10_000 }).toBe('2')
    // Newest first: the damage table (bars and its table), then the freeze curve.
    const items = list.getByTestId('analysis')
    expect(
      await items.evaluateAll((els) => els.map((e) => (e as unknown as PageCanvas).dataset.kind))
    ).toEqual(['damage-table', 'freeze'])
    const table = items.nth(0).getByTestId('analysis-table')
    const header = await table.locator('thead th').count()
    expect(header).toBeGreaterThan(1)
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0)
    expect(await table.locator('tbody tr').first().locator('td').count()).toBe(header)
    for (const i of [0, 1])
      await expect.poll(() => painted(items.nth(i).locator('canvas').first())).toBeGreaterThan(5)
    await page.getByTestId('analysis-kind').selectOption('pca')
    await page.getByTestId('analysis-run').click()
    await expect.poll(() => list.getAttribute('data-count'), { timeout: 60_000 }).toBe('3')
    expect(await items.nth(0).getAttribute('data-kind')).toBe('pca')
    await expect.poll(() => painted(items.nth(0).locator('canvas').first())).toBeGreaterThan(20)
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'quadruped-analyses.png') })
    // Only the quadruped has them (the analyses take quadruped runs).
    await open(runs.hebb.id)
    expect(await page.getByTestId('tab-analyses').count()).toBe(0)
    expect(issues()).toEqual([])
  })

  it('replays the Hebbian worm in the arena with its weights over the lifetime, following the replay', async () => {
    await open(runs.hebb.id)
    await page.getByTestId('tab-replay').click()
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-stats"][data-generation="2"]').waitFor()
    expect(await page.getByTestId('replay-check').getAttribute('class')).toContain('ok')
    const arena = page.getByTestId('run-replay').locator('canvas[data-testid="arena-canvas"]')
    expect(await painted(arena)).toBeGreaterThan(10)
    const chart = page.getByTestId('weights-chart')
    await chart.waitFor()
    expect(await chart.getAttribute('data-synapses')).toBe('20')
    expect(await chart.getAttribute('data-frames')).toBe('51')
    const plot = chart.locator('canvas').first()
    await expect.poll(() => painted(plot)).toBeGreaterThan(10)
    await page.getByTestId('replay-scrubber').fill('0')
    await expect.poll(step).toBe(0)
    await snapAll(plot, 'at0')
    await page.getByTestId('replay-scrubber').fill('200')
    await expect.poll(step).toBe(200)
    await expect.poll(() => changed(plot, 'at0')).toBeGreaterThan(20) // the step line moved
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'worm-hebbian-weights.png') })
    expect(issues()).toEqual([])
  })

  it('compares two quadruped runs by their own metrics, without the worm-only sections', async () => {
    await page.evaluate(
      (ids) =>
        ((globalThis as unknown as PageGlobals).location.hash = `#/compare?ids=${ids}&metric=distance`),
      `${runs.quad.id},${runs.quad2.id}`
    )
    await page.getByTestId('compare-view').waitFor()
    await expect
      .poll(async () => (await page.getByTestId('compare-subtitle').textContent()) ?? '')
      .toContain('2 runs')
    const metrics = await page.getByTestId('compare-metric').locator('option').allTextContents()
    expect(metrics).toContain('distance')
    expect(metrics).toContain('fitness intact')
    expect(await page.getByTestId('compare-tab-connectomes').count()).toBe(0)
    expect(await page.getByTestId('compare-tab-report').count()).toBe(0)
    await expect
      .poll(() => painted(page.getByTestId('compare-chart').locator('canvas').first()))
      .toBeGreaterThan(5)
    await page.screenshot({ path: join('/tmp/app', 'compare-quad.png'), fullPage: true })
    expect(issues()).toEqual([])
  })
})
