/* Longer than 400 lines on purpose: one seeded workspace and one browser session drive the whole Runs
 * view in order (each step builds on the page state the previous one left). */
/**
 * The Runs view end to end: a temp workspace seeded with real runs (RunManager + a real WorkerPool),
 * served by startServe on the built renderer, driven in headless Chromium. Checks the table, the compared
 * training curves, the connectome diff, the replay, and a run started, paused, resumed, cancelled and
 * deleted from the page with live progress over the bridge's event stream.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { timeProfile } from '../../src/engine/runs/profile'
import { startServe, type LabServer } from '../../src/engine/serve'
import { Store, type MetricRow, type RunRow } from '../../src/engine/store/store'
import { RUN_EVENT_CHANNEL, type RunEvent } from '../../src/shared/api'
import { connect, exchange } from './bridge-client'
import { buildApp, HAS_CHROMIUM, launchChromium, painted, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
const REFERENCE = join(ROOT, 'docs/screenshots/app-runs.png')

interface Seeded {
  run: RunRow
  metrics: MetricRow[]
}

let tmp = ''
let outDir = ''
let dbPath = ''
let server: LabServer
const seeded: Record<'ea' | 'renomad', Seeded> = {} as never

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-runs-ui-'))
  dbPath = join(tmp, 'workspace', 'workspace.db')
  mkdirSync(dirname(dbPath))
  // Real runs, trained by the engine exactly as the CLI would.
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const ea = manager.create({
      algorithm: 'ea',
      seed: 2,
      config: { populationSize: 6 },
      budget: { generations: 3 }
    })
    await manager.start(ea.id)
    const rn = manager.create({
      algorithm: 'renomad',
      seed: 2,
      config: { populationSize: 4, madsEvaluations: 10, madsCoordinates: 5 },
      budget: { generations: 3 }
    })
    await manager.start(rn.id)
    for (const [key, id] of [
      ['ea', ea.id],
      ['renomad', rn.id]
    ] as const) {
      seeded[key] = { run: store.getRun(id), metrics: store.metrics(id) }
    }
  } finally {
    await pool.close()
    store.close()
  }

  outDir = join(tmp, 'out')
  await buildApp(outDir)
  server = await startServe({ port: 0, staticDir: join(outDir, 'renderer'), dbPath, workers: 1 })
})

afterAll(async () => {
  await server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('seeded workspace', () => {
  it('has two completed runs of 3 generations with changed weights', () => {
    for (const s of Object.values(seeded)) {
      expect(s.run.status).toBe('completed')
      expect(s.run.generation).toBe(3)
      expect(s.metrics.at(-1)!.metrics.l0).toBeGreaterThan(0)
    }
  })

  it('answers runs:list and runs:get over the bridge, and refuses unknown runs with unknown-run', async () => {
    const ws = await connect(server.bridgeUrl, server.token)
    try {
      const list = await exchange(ws, JSON.stringify({ id: 1, channel: 'runs:list', payload: {} }))
      expect(list.ok).toBe(true)
      const r = list.result as { workspace: string; runs: { id: string; generation: number }[] }
      expect(r.workspace).toBe(dbPath)
      expect(r.runs.map((x) => x.id).sort()).toEqual([seeded.ea.run.id, seeded.renomad.run.id].sort())
      const get = await exchange(
        ws,
        JSON.stringify({ id: 2, channel: 'runs:get', payload: { id: seeded.ea.run.id.slice(0, 9) } })
      )
      expect(get.ok).toBe(true)
      const g = get.result as { run: { id: string; config: { populationSize: number } }; metrics: unknown[] }
      expect(g.run.id).toBe(seeded.ea.run.id)
      expect(g.run.config.populationSize).toBe(6)
      expect(g.metrics).toEqual(seeded.ea.metrics)
      const missing = await exchange(
        ws,
        JSON.stringify({ id: 3, channel: 'runs:get', payload: { id: 'rnope' } })
      )
      expect(missing).toMatchObject({ id: 3, ok: false, error: { code: 'unknown-run' } })
      const resume = await exchange(
        ws,
        JSON.stringify({ id: 4, channel: 'runs:resume', payload: { id: seeded.ea.run.id } })
      )
      expect(resume).toMatchObject({ id: 4, ok: false, error: { code: 'not-allowed' } })
    } finally {
      ws.close()
    }
  })
})

describe.skipIf(!HAS_CHROMIUM)('Runs view in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const events: RunEvent[] = []

  const row = (id: string): Locator => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
  const detail = (): Locator => page.getByTestId('run-detail')

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    // Every run event the page receives over the bridge.
    page.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => {
        if (typeof frame.payload !== 'string') return
        const msg = JSON.parse(frame.payload) as { event?: string; payload?: RunEvent }
        if (msg.event === RUN_EVENT_CHANNEL && msg.payload) events.push(msg.payload)
      })
    )
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('replaces the placeholder with a runs card, and opens the Runs view from the header', async () => {
    const card = page.getByTestId('runs-card')
    await card.waitFor()
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('completed')
    await page.screenshot({ path: join(SHOTS, 'runs-rollout-view.png'), fullPage: true })
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-view').waitFor()
    expect(page.url()).toMatch(/#\/runs$/)
  })

  it('lists both runs with their status, generation count and best food', async () => {
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2)
    for (const { run } of Object.values(seeded)) {
      const r = row(run.id)
      expect(await r.getByTestId('status-badge').getAttribute('data-status')).toBe('completed')
      expect(await r.getByTestId('run-generation').getAttribute('data-value')).toBe('3')
      expect((await r.getByTestId('run-food').textContent())?.trim()).toBe(String(run.bestMetrics!.foodEaten))
      expect(await r.textContent()).toContain(run.algorithm)
    }
    // The newest run is focused by default.
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(seeded.renomad.run.id)
  })

  it('compares the selected runs: two series in each training-curve chart, vs generation and vs time', async () => {
    for (const { run } of Object.values(seeded)) await row(run.id).getByTestId('run-select').check()
    const fitness = page.getByTestId('curves-fitness')
    const food = page.getByTestId('curves-food')
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('2')
    await expect.poll(() => food.getAttribute('data-series')).toBe('2')
    expect(await page.getByTestId('curves-legend').locator('li').count()).toBe(2)
    expect(await painted(fitness.locator('canvas').first())).toBeGreaterThan(5)
    // The time profile of the focused run: the same figures as `lab show`.
    await page.getByTestId('profile-chart').locator('canvas').first().waitFor()
    const profile = timeProfile(seeded.renomad.metrics)!
    for (const key of ['rollouts', 'mads', 'transport', 'idle', 'algorithm'] as const) {
      const shown = Number(await page.getByTestId(`profile-${key}`).getAttribute('data-value'))
      expect(shown, key).toBeCloseTo(profile[key], 12)
    }
    expect(await page.getByTestId('run-config').textContent()).toContain('madsEvaluations')
    await page.screenshot({ path: join(SHOTS, 'runs.png'), fullPage: true })

    await page.getByTestId('axis-seconds').click()
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('2')
    await expect.poll(() => food.getAttribute('data-series')).toBe('2')
    await page.getByTestId('run-curves').screenshot({ path: join(SHOTS, 'runs-curves-seconds.png') })
    await page.getByTestId('axis-generation').click()
  })

  it("diffs each run's best genome against W0: the changed weights are the run's best L0", async () => {
    await page.getByTestId('tab-diff').click()
    for (const key of ['renomad', 'ea'] as const) {
      const { run, metrics } = seeded[key]
      await row(run.id).locator('td.run').click() // show this run (the selection stays)
      await expect.poll(() => detail().getAttribute('data-run-id')).toBe(run.id)
      const total = page.getByTestId('diff-total')
      await expect.poll(() => total.getAttribute('data-value')).toBe(String(metrics.at(-1)!.metrics.l0))
      expect(await page.getByTestId('diff-row').count()).toBe(metrics.at(-1)!.metrics.l0)
      expect(await page.getByTestId('detail-l0').textContent()).toBe(String(metrics.at(-1)!.metrics.l0))
    }
    // Both runs are compared (ticked in the previous test) in the reference screenshot.
    await row(seeded.renomad.run.id).getByTestId('run-select').check()
    await page.screenshot({ path: join(SHOTS, 'runs-diff.png'), fullPage: true })
  })

  it('replays the best genome: the food eaten matches the stored best food', async () => {
    const { run, metrics } = seeded.ea
    await page.getByTestId('tab-replay').click()
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-stats"][data-generation="3"]').waitFor()
    expect((await page.getByTestId('replay-food').textContent())?.trim()).toBe(
      String(run.bestMetrics!.foodEaten)
    )
    expect(run.bestMetrics!.foodEaten).toBe(metrics.at(-1)!.metrics.foodEaten)
    expect(await page.getByTestId('replay-check').getAttribute('class')).toContain('ok')
    expect(await painted(page.getByTestId('run-replay').getByTestId('arena-canvas'))).toBeGreaterThan(20)
    await page.screenshot({ path: join(SHOTS, 'runs-replay.png'), fullPage: true })
    // The committed reference screenshot is refreshed only on request (UPDATE_SCREENSHOTS=1).
    if (process.env.UPDATE_SCREENSHOTS) copyFileSync(join(SHOTS, 'runs-replay.png'), REFERENCE)

    // An earlier generation's best genome replays too.
    await page.getByTestId('replay-generation').selectOption('1')
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-stats"][data-generation="1"]').waitFor()
    expect((await page.getByTestId('replay-food').textContent())?.trim()).toBe(
      String(metrics[0].metrics.foodEaten)
    )
  })

  it('starts a new run from the form and follows its live progress to completion', async () => {
    await page.getByTestId('new-run-toggle').click()
    const form = page.getByTestId('new-run-form')
    await form.waitFor()
    await page.getByTestId('new-algorithm').selectOption('ea')
    await page.getByTestId('new-task').selectOption('square')
    await page.getByTestId('new-seed').fill('7')
    await page.getByTestId('new-budget-value').fill('4')
    await page.getByTestId('new-budget-kind').selectOption('generations')
    await page.getByTestId('new-population').fill('6')
    await page.screenshot({ path: join(SHOTS, 'runs-new-form.png') })
    await page.getByTestId('new-run-start').click()
    await form.waitFor({ state: 'detached' })

    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3)
    const known = new Set([seeded.ea.run.id, seeded.renomad.run.id])
    const id = await detail().getAttribute('data-run-id')
    expect(id && !known.has(id)).toBe(true)
    const badge = row(id!).getByTestId('status-badge')
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed')
    expect(await row(id!).getByTestId('run-generation').getAttribute('data-value')).toBe('4')
    expect(await row(id!).textContent()).toContain('square')
    await expect
      .poll(() => detail().getByTestId('progress').first().getAttribute('data-fraction'))
      .toBe('1.0000')

    // The page was told: running, one progress event per generation up to the whole budget, completed.
    const mine = events.filter(
      (e) => (e.type === 'progress' ? e.runId : e.type === 'status' ? e.run.id : '') === id
    )
    const progress = mine.filter((e) => e.type === 'progress')
    expect(progress.map((e) => e.generation)).toEqual([1, 2, 3, 4])
    expect(progress.at(-1)!.fraction).toBe(1)
    const statuses = mine.flatMap((e) => (e.type === 'status' ? [e.run.status] : []))
    expect(statuses).toContain('running')
    expect(statuses.at(-1)).toBe('completed')

    // The run is in the workspace, as the CLI sees it.
    const store = Store.open(dbPath)
    try {
      const stored = store.getRun(id!)
      expect(stored).toMatchObject({
        algorithm: 'ea',
        task: 'square',
        seed: 7,
        status: 'completed',
        generation: 4
      })
      expect(stored.config.populationSize).toBe(6)
      expect((await row(id!).getByTestId('run-food').textContent())?.trim()).toBe(
        String(stored.bestMetrics!.foodEaten)
      )
    } finally {
      store.close()
    }
    await page.screenshot({ path: join(SHOTS, 'runs-new-completed.png'), fullPage: true })
  })

  it('pauses, resumes, cancels and deletes a run from the detail panel', async () => {
    await page.getByTestId('new-run-toggle').click()
    await page.getByTestId('new-algorithm').selectOption('ea')
    await page.getByTestId('new-task').selectOption('pentagon')
    await page.getByTestId('new-seed').fill('11')
    await page.getByTestId('new-budget-value').fill('100000')
    await page.getByTestId('new-population').fill('6')
    await page.getByTestId('new-run-start').click()
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(4)
    const id = (await detail().getAttribute('data-run-id'))!
    const badge = row(id).getByTestId('status-badge')
    const generation = async (): Promise<number> =>
      Number(await row(id).getByTestId('run-generation').getAttribute('data-value'))

    await expect.poll(generation, { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
    expect(await badge.getAttribute('data-status')).toBe('running')
    await page.getByTestId('tab-overview').click()
    await detail().getByTestId('run-eta').waitFor()
    await page.screenshot({ path: join(SHOTS, 'runs-live.png'), fullPage: true })

    await page.getByTestId('run-pause').click()
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('paused')
    const pausedAt = await generation()
    await new Promise((r) => setTimeout(r, 300))
    expect(await generation()).toBe(pausedAt)

    await page.getByTestId('run-resume').click()
    await expect.poll(() => badge.getAttribute('data-status')).toBe('running')
    await expect.poll(generation, { timeout: 30_000 }).toBeGreaterThan(pausedAt)

    await page.getByTestId('run-cancel').click()
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled')
    expect(await page.getByTestId('run-resume').isDisabled()).toBe(true)

    await page.getByTestId('run-delete').click()
    expect((await page.getByTestId('run-delete').textContent())?.trim()).toBe('Confirm delete')
    await page.getByTestId('run-delete').click()
    await expect.poll(() => row(id).count()).toBe(0)
    const store = Store.open(dbPath)
    try {
      expect(store.listRuns().map((r) => r.id)).not.toContain(id)
      expect(store.listRuns()).toHaveLength(3)
    } finally {
      store.close()
    }
  })

  it('watches a run trained by the lab CLI in another process, and cancels it there', async () => {
    const before = new Set(
      await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')))
    )
    const args = ['train', '--algo', 'ea', '--config', '{"populationSize":6}', '--generations', '100000']
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/lab.ts'),
        ...args,
        '--seed',
        '21',
        '--db',
        dbPath,
        '--workers',
        '1'
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? -1)))
    try {
      // The page re-reads the workspace on its own: the CLI's run appears, trained "elsewhere".
      await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 30_000 }).toBe(before.size + 1)
      const ids = await page
        .getByTestId('run-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')))
      const id = ids.find((x) => !before.has(x))!
      const badge = row(id).getByTestId('status-badge')
      await expect.poll(async () => (await badge.textContent()) ?? '', { timeout: 30_000 }).toContain('CLI')
      await row(id).locator('td.run').click()
      await expect.poll(() => detail().getAttribute('data-run-id')).toBe(id)
      expect(await page.getByTestId('run-progress-text').textContent()).toMatch(/pid \d+/)
      // The engine's lifecycle decides: pause and cancel reach the other process, resume and delete do not.
      await expect.poll(() => page.getByTestId('run-cancel').isDisabled()).toBe(false)
      expect(await page.getByTestId('run-pause').isDisabled()).toBe(false)
      expect(await page.getByTestId('run-delete').isDisabled()).toBe(true)
      await page.screenshot({ path: join(SHOTS, 'runs-cli.png'), fullPage: true })
      await page.getByTestId('run-cancel').click()
      // The CLI's trainer sees the request before its next generation and ends the run cancelled.
      expect(await exited).toBe(0)
      await expect.poll(() => badge.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled')
      const generations = Number(await row(id).getByTestId('run-generation').getAttribute('data-value'))
      expect(generations).toBeGreaterThan(0)
      expect(generations).toBeLessThan(100_000)
    } finally {
      if (child.exitCode === null) child.kill('SIGINT')
      await exited
      if (stderr.includes('error')) console.log(stderr)
    }
  })

  it('opens a run from its address (#/runs/<id> or a unique prefix), and goes back and forward', async () => {
    const ea = seeded.ea.run.id
    const rn = seeded.renomad.run.id
    const at = (path: string): RegExp => new RegExp(`#${path}$`)
    const fitness = page.getByTestId('curves-fitness')

    // A deep link, loaded from scratch: that run is shown, marked in the table and compared alone.
    await page.goto('about:blank')
    await page.goto(`${server.url}#/runs/${ea}`)
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(ea)
    expect(page.url()).toMatch(at(`/runs/${ea}`))
    expect(await row(ea).getAttribute('class')).toContain('focused')
    expect(await row(ea).getByTestId('run-select').isChecked()).toBe(true)
    expect(await row(rn).getByTestId('run-select').isChecked()).toBe(false)
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('1')
    expect(await page.getByTestId('nav-runs').getAttribute('aria-current')).toBe('page')
    await page.getByTestId('tab-overview').click()
    await page.getByTestId('profile-chart').locator('canvas').first().waitFor()
    await page.screenshot({ path: join(SHOTS, 'runs-deep-link.png'), fullPage: true })

    // A click on another run is a new history entry; it opens the run and leaves the selection alone.
    await row(rn).locator('td.run').click()
    await expect.poll(() => page.url()).toMatch(at(`/runs/${rn}`))
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(rn)
    expect(await row(ea).getByTestId('run-select').isChecked()).toBe(true)
    expect(await row(rn).getByTestId('run-select').isChecked()).toBe(false)

    // Back: the first run again, in the detail, the table and the curves; forward: the second.
    await page.goBack()
    await expect.poll(() => page.url()).toMatch(at(`/runs/${ea}`))
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(ea)
    expect(await row(ea).getAttribute('class')).toContain('focused')
    expect(await row(ea).getByTestId('run-select').isChecked()).toBe(true)
    expect(await row(rn).getByTestId('run-select').isChecked()).toBe(false)
    await expect.poll(() => fitness.getAttribute('data-series')).toBe('1')
    await page.goForward()
    await expect.poll(() => page.url()).toMatch(at(`/runs/${rn}`))
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(rn)

    // To the rollout and back (the browser's Back, then the header's Runs link): the same run.
    await page.getByTestId('nav-rollout').click()
    await page.getByTestId('rollout-view').waitFor()
    expect(page.url()).toMatch(at('/'))
    await page.goBack()
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(rn)
    await page.getByTestId('nav-rollout').click()
    await page.getByTestId('rollout-view').waitFor()
    await page.getByTestId('nav-runs').click()
    await expect.poll(() => page.url()).toMatch(at(`/runs/${rn}`))
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(rn)

    // A unique prefix of an id, as the CLI takes: the address then names the run in full.
    await page.goto('about:blank')
    await page.goto(`${server.url}#/runs/${ea.slice(0, 9)}`)
    await expect.poll(() => page.url()).toMatch(at(`/runs/${ea}`))
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(ea)

    // An unknown run: said so, with the list still there.
    await page.goto('about:blank')
    await page.goto(`${server.url}#/runs/rnope`)
    await page.getByTestId('run-not-found').waitFor()
    expect(await page.getByTestId('run-not-found').textContent()).toContain('No run rnope')
    expect(await detail().getAttribute('data-run-id')).toBe('')
    await expect.poll(() => page.getByTestId('run-row').count()).toBeGreaterThanOrEqual(2)
    await page.screenshot({ path: join(SHOTS, 'runs-not-found.png'), fullPage: true })
  })

  it('logged no errors, warnings or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
