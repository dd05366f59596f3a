/**
 * The New run / New sweep form in headless Chromium over a real backend (an empty workspace served by
 * startServe, real worker processes): validation in plain words, the cleared-seed bug, a sweep of
 * 2 algorithms × seeds 1-3 whose curves grow while it trains, and runs on a layout drawn on the arena
 * and on an imported one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type LabServer } from '../../src/engine/serve'
import type { RunDetail, RunMetric, RunReplayResponse, RunSummary } from '../../src/shared/api'
import { connect, exchange } from './bridge-client'
import { buildApp, HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')

let tmp = ''
let server: LabServer

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-new-run-'))
  const dbPath = join(tmp, 'workspace', 'workspace.db')
  mkdirSync(dirname(dbPath))
  const outDir = join(tmp, 'out')
  await buildApp(outDir)
  server = await startServe({ port: 0, staticDir: join(outDir, 'renderer'), dbPath, workers: 1 })
}, 240_000)

afterAll(async () => {
  await server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

let nextId = 100
/** One API call over the bridge, as the page makes it. */
async function call<T>(channel: string, payload: unknown): Promise<T> {
  const ws = await connect(server.bridgeUrl, server.token)
  try {
    const r = await exchange(ws, JSON.stringify({ id: nextId++, channel, payload }))
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    return r.result as T
  } finally {
    ws.close()
  }
}
const listRuns = async (): Promise<RunSummary[]> => (await call<{ runs: RunSummary[] }>('runs:list', {})).runs

describe.skipIf(!HAS_CHROMIUM)('New run / New sweep form in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const id = (testid: string): Locator => page.getByTestId(testid)
  const detail = (): Locator => id('run-detail')

  async function openForm(): Promise<Locator> {
    if (!(await id('new-run-form').isVisible())) await id('new-run-toggle').click()
    const form = id('new-run-form')
    await form.waitFor()
    return form
  }

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    await id('nav-runs').click()
    await id('runs-view').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows the hyperparameters with their help texts and paper defaults', async () => {
    const form = await openForm()
    await id('new-algorithm').selectOption('renomad')
    const pop = id('new-population')
    expect(await pop.getAttribute('placeholder')).toBe('64')
    const hint = await id('field-param-populationSize').locator('.hint').textContent()
    expect(hint).toContain('paper: N = 64')
    expect(hint).toContain('a whole number from 2 to 10,000')
    expect(await id('new-mads-evaluations').getAttribute('placeholder')).toBe('200')
    await id('new-algorithm').selectOption('es')
    expect(await id('new-param-sigma').getAttribute('placeholder')).toBe('0.5')
    expect(await id('field-param-populationSize').locator('.hint').textContent()).toContain(
      'an even whole number'
    )
    await id('new-algorithm').selectOption('renomad')
    await form.screenshot({ path: join(SHOTS, 'new-run-form.png') })
  })

  it('names the field and the rule in plain words, and starts nothing', async () => {
    await openForm()
    await id('new-population').fill('1')
    await id('new-budget-value').fill('ten')
    await id('new-param-parentFraction').fill('1')
    await id('new-run-start').click()
    await expect
      .poll(() => id('new-error-param-populationSize').textContent())
      .toBe('Population size: a whole number from 2 to 10,000')
    expect(await id('new-error-budget').textContent()).toBe(
      'Budget (generations): a whole number from 1 to 1,000,000'
    )
    expect(await id('new-error-param-parentFraction').textContent()).toBe(
      'Parent fraction: a number above 0 and below 1'
    )
    const summary = (await id('new-run-error').textContent()) ?? ''
    expect(summary).toContain('3 fields need a fix')
    // No zod text anywhere.
    expect(await id('new-run-form').textContent()).not.toMatch(/expected|Too small|invalid_type/i)
    await id('new-run-form').screenshot({ path: join(SHOTS, 'new-run-form-errors.png') })
    expect(await listRuns()).toEqual([])
    // Fixing a field clears its message.
    await id('new-population').fill('4')
    await expect.poll(() => id('new-error-param-populationSize').count()).toBe(0)
    await id('new-budget-value').fill('2')
    await id('new-param-parentFraction').fill('')
    await expect.poll(() => id('new-run-error').count()).toBe(0)
  })

  it('regression: clearing the Seed field is an error, not a run with seed 0', async () => {
    await openForm()
    await id('new-seed').fill('')
    await id('new-run-start').click()
    await expect
      .poll(() => id('new-error-seed').textContent())
      .toBe('Seed: required, a whole number from 0 to 4,294,967,295')
    await page.waitForTimeout(300)
    expect(await listRuns()).toEqual([])
    await id('new-seed').fill('-1')
    await id('new-run-start').click()
    await expect
      .poll(() => id('new-error-seed').textContent())
      .toBe('Seed: a whole number from 0 to 4,294,967,295')
    expect(await listRuns()).toEqual([])
    await id('new-seed').fill('1')
  })

  it('starts a sweep of 2 algorithms × seeds 1-3 and its curves grow while it trains', async () => {
    const form = await openForm()
    await id('new-mode-sweep').check()
    for (const a of ['renomad', 'menomad', 'ea', 'es', 'cfnomad', 'renomad-random'])
      await id(`new-sweep-${a}`).setChecked(a === 'renomad' || a === 'ea')
    await id('new-seeds').fill('1-3')
    await id('new-budget-value').fill('')
    await id('new-run-start').click()
    await expect
      .poll(() => id('new-error-budget').textContent())
      .toBe('Budget (generations): required, a whole number from 1 to 1,000,000')
    await id('new-seeds').fill('3-1')
    await id('new-run-start').click()
    await expect.poll(() => id('new-error-seeds').textContent()).toContain('runs backwards')
    await id('new-seeds').fill('1-3')
    await id('new-budget-value').fill('25')
    await id('new-population').fill('4')
    await id('new-mads-evaluations').fill('20')
    await id('new-param-madsCoordinates').fill('5')
    // A key only rENOMAD has is marked with it.
    expect(await id('field-param-madsEvaluations').textContent()).toContain('(renomad)')
    await form.screenshot({ path: join(SHOTS, 'new-sweep-form.png') })
    await id('new-run-start').click()
    await form.waitFor({ state: 'detached' })

    const runs = await listRuns()
    expect(runs.length).toBe(6)
    const pairs = runs.map((r) => `${r.algorithm}:${r.seed}`).sort()
    expect(pairs).toEqual(['ea:1', 'ea:2', 'ea:3', 'renomad:1', 'renomad:2', 'renomad:3'])
    expect(new Set(runs.map((r) => r.sweepId)).size).toBe(1)
    const first = runs.find((r) => r.algorithm === 'renomad' && r.seed === 1)!
    const rDetail = await call<{ run: RunDetail }>('runs:get', { id: first.id })
    expect(rDetail.run.config).toMatchObject({ populationSize: 4, madsEvaluations: 20, madsCoordinates: 5 })
    const ea = runs.find((r) => r.algorithm === 'ea')!
    const eaDetail = await call<{ run: RunDetail }>('runs:get', { id: ea.id })
    expect(eaDetail.run.config.populationSize).toBe(4)
    expect('madsEvaluations' in eaDetail.run.config).toBe(false)

    // The detail shows the sweep's first run; its fitness chart gains points while it trains.
    await expect.poll(() => detail().getAttribute('data-run-id'), { timeout: 15_000 }).toBe(first.id)
    const fitness = id('detail-curve-fitness')
    const seen: number[] = []
    const t0 = performance.now()
    for (;;) {
      const n = Number((await fitness.getAttribute('data-points')) ?? 0)
      if (seen.at(-1) !== n) seen.push(n)
      const d = await call<{ run: RunSummary; metrics: RunMetric[] }>('runs:get', { id: first.id })
      if (d.run.status === 'completed' && n === 3 * d.metrics.length) break
      if (performance.now() - t0 > 120_000) throw new Error(`the run did not complete: points ${seen}`)
      await page.waitForTimeout(100)
    }
    console.log(`sweep's first run: plotted points over time ${seen.join(' → ')}`)
    expect(seen.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1])
    expect(seen.at(-1)).toBe(3 * 25)
    await page.screenshot({ path: join(SHOTS, 'new-sweep-curves.png'), fullPage: true })
  }, 180_000)

  it('trains a run on a layout drawn on the arena, and replays on exactly that food', async () => {
    await openForm()
    await id('new-mode-run').check()
    await id('new-algorithm').selectOption('ea')
    await id('new-task').selectOption('custom')
    const canvas = id('layout-canvas')
    await canvas.waitFor()
    const box = (await canvas.boundingBox())!
    const at = (fx: number, fy: number) => ({ x: box.width * fx, y: box.height * fy })
    for (const [fx, fy] of [
      [0.5, 0.35],
      [0.62, 0.45],
      [0.38, 0.55],
      [0.5, 0.65],
      [0.7, 0.7]
    ])
      await canvas.click({ position: at(fx, fy) })
    await expect.poll(() => canvas.getAttribute('data-food')).toBe('5')
    // Clicking a source removes it.
    await canvas.click({ position: at(0.7, 0.7) })
    await expect.poll(() => canvas.getAttribute('data-food')).toBe('4')
    await id('new-layout-name').fill('diamond')
    await id('new-seed').fill('4')
    await id('new-budget-value').fill('3')
    await id('new-population').fill('4')
    await id('new-run-form').screenshot({ path: join(SHOTS, 'new-run-drawn-layout.png') })
    await id('new-run-start').click()
    await id('new-run-form').waitFor({ state: 'detached' })

    const run = (await listRuns()).find((r) => r.task === 'custom:diamond')!
    expect(run).toBeTruthy()
    await expect
      .poll(async () => (await call<{ run: RunSummary }>('runs:get', { id: run.id })).run.status, {
        timeout: 60_000
      })
      .toBe('completed')
    const d = await call<{ run: RunDetail }>('runs:get', { id: run.id })
    const food = d.run.envSpec.food as [number, number][]
    expect(food.length).toBe(4)
    // The four sources are where they were clicked: the diamond around the arena's centre (800, 600).
    const [top, right, left, bottom] = food
    expect(top[1]).toBeGreaterThan(600)
    expect(bottom[1]).toBeLessThan(600)
    expect(right[0]).toBeGreaterThan(800)
    expect(left[0]).toBeLessThan(800)
    const replay = await call<RunReplayResponse>('runs:replay', { id: run.id })
    expect(replay.trace.food).toEqual(food.flat())
    expect(replay.foodEaten).toBe(replay.stored.metrics!.foodEaten)
  }, 120_000)

  it('imports a layout file (CSV as for `lab --food`), and names the line of a bad one', async () => {
    await openForm()
    await id('new-task').selectOption('custom')
    const good = join(tmp, 'ring.csv')
    writeFileSync(good, 'x,y\n700,600\n900,600\n800,700\n800,500\n')
    await id('layout-import').setInputFiles(good)
    await expect.poll(() => id('layout-canvas').getAttribute('data-food')).toBe('4')
    expect(await id('new-layout-name').inputValue()).toBe('ring')
    const bad = join(tmp, 'bad.csv')
    writeFileSync(bad, 'x,y\n700,600\n900,abc\n')
    await id('layout-import').setInputFiles(bad)
    await expect
      .poll(() => id('layout-import-error').textContent())
      .toMatch(/^Food layout file bad\.csv: .*line 3/)
    const outside = join(tmp, 'outside.json')
    writeFileSync(
      outside,
      JSON.stringify([
        [10, 10],
        [5000, 10]
      ])
    )
    await id('layout-import').setInputFiles(outside)
    await expect
      .poll(() => id('layout-import-error').textContent())
      .toContain('point 1 (5000, 10) is outside the arena 0..1600 × 0..1200')
    // The good layout stays.
    expect(await id('layout-canvas').getAttribute('data-food')).toBe('4')
    await id('layout-clear').click()
    await id('new-run-start').click()
    await expect.poll(() => id('new-error-layout').textContent()).toContain('place at least one food source')
    expect(problems).toEqual([])
  })
})
