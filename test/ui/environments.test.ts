/**
 * A second environment end to end: the quadratic toy trained by two algorithms (the ES and rENOMAD,
 * unchanged) through the real pool and store, then listed by `lab runs` and shown by the app with the
 * toy's own metric names (distance, max error), never the worm's.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { startServe, type LabServer } from '../../src/engine/serve'
import { Store, type RunRow } from '../../src/engine/store/store'
import { lab } from '../helpers/cli'
import { buildApp, HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
const TOY = { id: 'quadratic', dim: 40, seed: 3 }

let tmp = ''
let dbPath = ''
let server: LabServer
const runs: Record<'es' | 'renomad', RunRow> = {} as never

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-env-ui-'))
  dbPath = join(tmp, 'workspace.db')
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 2 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const es = manager.create({
      algorithm: 'es',
      environment: TOY,
      seed: 1,
      config: { populationSize: 20, sigma: 0.05, learningRate: 0.05, weightDecay: 0 },
      budget: { generations: 30 }
    })
    const rn = manager.create({
      algorithm: 'renomad',
      environment: TOY,
      seed: 1,
      config: { populationSize: 4, madsEvaluations: 60, madsCoordinates: 10 },
      budget: { generations: 4 }
    })
    runs.es = await manager.start(es.id)
    runs.renomad = await manager.start(rn.id)
  } finally {
    await pool.close()
    store.close()
  }
  const outDir = join(tmp, 'out')
  await buildApp(outDir)
  server = await startServe({ port: 0, staticDir: join(outDir, 'renderer'), dbPath, workers: 1 })
}, 180_000)

afterAll(async () => {
  await server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the quadratic toy environment', () => {
  it('trains with the ES and rENOMAD through the pool and store, getting closer to the target', () => {
    const store = Store.open(dbPath)
    try {
      for (const run of Object.values(runs)) {
        expect(run).toMatchObject({ status: 'completed', environment: 'quadratic', genomeLength: 40 })
        const metrics = store.metrics(run.id)
        expect(Object.keys(metrics[0].metrics)).toEqual(['distance', 'maxError'])
        // The start g = 0 is at distance ‖t‖ ≈ √(40/3) ≈ 3.65 from a U(−1, 1) target; training moves closer.
        expect(metrics.at(-1)!.metrics.distance).toBeLessThan(metrics[0].metrics.distance)
        expect(metrics.at(-1)!.bestFitness).toBeCloseTo(-(metrics.at(-1)!.metrics.distance ** 2), 9)
      }
    } finally {
      store.close()
    }
  })

  it('is listed by lab runs with its own metric names, and refuses worm-only views clearly', () => {
    const json = JSON.parse(lab(['runs', '--json', '--db', dbPath]).stdout) as {
      environment: string
      bestMetrics: Record<string, number>
    }[]
    expect(json.map((r) => r.environment)).toEqual(['quadratic', 'quadratic'])
    expect(Object.keys(json[0].bestMetrics)).toEqual(['distance', 'maxError'])
    const table = lab(['runs', '--db', dbPath]).stdout
    expect(table).toMatch(/distance \d/)
    expect(table).not.toMatch(/food/)
    expect(lab(['show', runs.es.id, '--db', dbPath]).stdout).toMatch(/distance \d+\.\d+ {2}max error \d/)
    const csv = lab(['export', runs.es.id, '--format', 'csv', '--db', dbPath]).stdout.split('\n')
    expect(csv[0]).toBe('index,prior,w,delta')
    expect(csv).toHaveLength(40 + 2)
    const replay = lab(['replay', runs.es.id, '--trace', join(tmp, 't.json'), '--db', dbPath])
    expect(replay.code).not.toBe(0)
    expect(replay.stderr).toMatch(/quadratic environment, which has no trace to replay/)
  })
})

describe.skipIf(!HAS_CHROMIUM)('the app shows the toy environment by its own metrics', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const row = (id: string): Locator => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('lists, details and plots the runs with distance and max error', async () => {
    await page.goto(`${server.url}#/runs/${runs.es.id}`)
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2)
    const best = row(runs.es.id).getByTestId('run-food')
    await expect.poll(async () => (await best.textContent()) ?? '').toContain('distance')
    expect(Number(await best.getAttribute('data-value'))).toBeCloseTo(runs.es.bestMetrics!.distance, 9)
    const detail = page.getByTestId('run-detail')
    await expect.poll(() => detail.getAttribute('data-run-id')).toBe(runs.es.id)
    expect(await detail.textContent()).toMatch(/Best distance/i)
    // The arena replay and connectome diff are the worm's: the toy has its overview only.
    expect(await page.getByTestId('tab-replay').count()).toBe(0)
    expect(await page.getByTestId('tab-diff').count()).toBe(0)
    const pick = page.getByTestId('curves-metric')
    await pick.waitFor()
    expect(await pick.locator('option').allTextContents()).toEqual(['distance', 'max error'])
    await pick.selectOption('maxError')
    await page.screenshot({ path: join(SHOTS, 'runs-quadratic.png'), fullPage: true })
    expect(await page.locator('body').textContent()).not.toMatch(/food/i)
    expect(problems).toEqual([])
  })
})
