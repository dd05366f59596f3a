/**
 * The Compare view's "Paper report" tab end to end: a temp workspace with real worm runs (rENOMAD, the
 * EA and the random-init control × 2 seeds, trained by a real worker pool, and one EA run at another
 * budget), served by startServe on the built renderer, driven in headless Chromium. The page's figure,
 * tables and exports are checked against the channel's own answer (reportFig4Of on the same store);
 * and the New sweep form's Paper Fig. 4 preset fills in the paper's design.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIGS1_METHODS, PAPER_ROLLOUTS, PAPER_SEEDS } from '../../src/core/analysis/fig4-figure'
import { ALGORITHM_LABELS, ALGORITHM_NAMES } from '../../src/core/training/config'
import { reportFig4Of } from '../../src/engine/api/report-fig4'
import { createSweep, runSweep } from '../../src/engine/runs/sweeps'
import { Store } from '../../src/engine/store/store'
import type { RunsReportFig4Response } from '../../src/shared/api'
import { serveWorkspace, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, painted, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
const small = { populationSize: 4, madsEvaluations: 5, madsCoordinates: 4 }
let ws: ServedWorkspace<{ ids: string[]; extra: string }>

beforeAll(async () => {
  ws = await serveWorkspace(
    'paper-report-ui',
    async ({ store, manager }) => {
      const sweep = createSweep(store, {
        algorithms: ['renomad', 'ea', 'renomad-random'],
        tasks: ['pentagon'],
        seeds: [1, 2],
        budget: { evaluations: 30 },
        config: { renomad: small, 'renomad-random': small, ea: { populationSize: 4 } }
      })
      await runSweep(manager, sweep.runs, { concurrency: 2 })
      const extra = manager.create({
        algorithm: 'ea',
        seed: 3,
        config: { populationSize: 4 },
        budget: { generations: 2 }
      })
      await manager.start(extra.id)
      return { ids: sweep.runs.map((r) => r.id), extra: extra.id }
    },
    { poolSize: 2 }
  )
}, 240_000)

afterAll(async () => {
  await ws?.close()
})

/** The channel's answer for these runs, from the workspace itself. */
function channel(ids: string[]): RunsReportFig4Response {
  const store = Store.open(ws.dbPath)
  try {
    return reportFig4Of(store, { ids })
  } finally {
    store.close()
  }
}

describe.skipIf(!HAS_CHROMIUM)('Paper report tab in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const fig = () => page.getByTestId('paper-figure')
  const open = (ids: string[]) =>
    page.evaluate(
      (list) =>
        ((globalThis as unknown as { location: { hash: string } }).location.hash =
          `#/compare?ids=${list.join(',')}`),
      ids
    )

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

  async function download(testid: string): Promise<{ name: string; bytes: Buffer }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) }
  }

  it('draws Fig. 4 of the five methods, and Suppl. S1 with the random-init control', async () => {
    await open(ws.seeded.ids)
    await page.getByTestId('compare-tab-report').click()
    await expect.poll(() => fig().getAttribute('data-figure')).toBe('fig4')
    const labels = (keys: string[]) => keys.map((k) => ALGORITHM_LABELS[k as 'ea']).join('|')
    await expect.poll(() => fig().getAttribute('data-legend')).toBe(labels(['renomad', 'ea']))
    const canvas = fig().locator('canvas').first()
    expect(await painted(canvas)).toBeGreaterThan(6) // the lines and bands of two methods on white
    // Equal budgets and seeds: no design note.
    expect(await page.getByTestId('paper-report-note').count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, 'compare-paper-report.png'), fullPage: true })

    await page.getByTestId('paper-figure-figS1').click()
    await expect
      .poll(() => fig().getAttribute('data-legend'))
      .toBe(labels(['renomad', 'ea', 'renomad-random']))
    expect(await fig().getAttribute('data-figure')).toBe('figS1')
    await fig().screenshot({ path: join(SHOTS, 'compare-paper-figS1.png') })
  })

  it('shows the statistics tables and the paper’s claims of the channel', async () => {
    const want = channel(ws.seeded.ids)
    for (const metric of ['foodEaten', 'l0', 'l2'] as const) {
      const rows = page.locator(`[data-testid="paper-summary-${metric}"] tbody tr`)
      expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-method')))).toEqual(want.methods)
      for (const s of want.table.summary.filter((x) => x.metric === metric)) {
        const row = page.locator(`[data-testid="paper-summary-${metric}"] tr[data-method="${s.method}"]`)
        expect(await row.textContent()).toContain(s.label)
        expect(Number(await row.locator('[data-mean]').getAttribute('data-mean'))).toBe(s.mean)
      }
    }
    const pairs = page.locator('[data-testid="paper-tests"] tbody tr')
    expect(await pairs.count()).toBe(want.table.tests.length)
    const claims = page.locator('[data-testid="paper-claims"] tbody tr')
    expect(await claims.evaluateAll((r) => r.map((x) => x.getAttribute('data-status')))).toEqual(
      want.table.claims.map((c) => c.status)
    )
    for (const c of want.table.claims) {
      const row = page.locator(`[data-testid="paper-claims"] tr[data-claim="${c.id}"]`)
      expect(await row.textContent()).toContain(c.evidence)
    }
    await page.getByTestId('paper-tables').screenshot({ path: join(SHOTS, 'compare-paper-tables.png') })
  })

  it('exports the table as the channel’s CSV and Markdown, the figure as PNG and SVG', async () => {
    const want = channel(ws.seeded.ids)
    const csv = await download('paper-export-csv')
    expect(csv.name).toBe('stats.csv')
    expect(csv.bytes.toString('utf8')).toBe(want.csv)
    const md = await download('paper-export-md')
    expect(md.name).toBe('stats.md')
    expect(md.bytes.toString('utf8')).toBe(want.markdown)
    const png = await download('paper-export-png')
    expect(png.name).toBe('figS1.png')
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
    const svg = await download('paper-export-svg')
    expect(svg.name).toBe('figS1.svg')
    const text = svg.bytes.toString('utf8')
    expect(text).toMatch(/^<svg[\s\S]*<\/svg>$/)
    expect(text).toContain('Suppl. Fig. S1')
    expect(text).toContain('#ffffff') // the journal figure's white, not the app's dark background
  })

  it('fills the New sweep form with the paper’s design (Paper Fig. 4 preset), starting nothing', async () => {
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-view').waitFor()
    await page.getByTestId('new-run-toggle').click()
    const form = page.getByTestId('new-run-form')
    await form.waitFor()
    await page.getByTestId('new-preset-fig4').click()
    expect(await page.getByTestId('new-mode-sweep').isChecked()).toBe(true)
    for (const m of ALGORITHM_NAMES)
      expect(await page.getByTestId(`new-sweep-${m}`).isChecked(), m).toBe(FIGS1_METHODS.includes(m))
    expect(await page.getByTestId('new-seeds').inputValue()).toBe(`1-${PAPER_SEEDS}`)
    expect(await page.getByTestId('new-budget-kind').inputValue()).toBe('evaluations')
    expect(Number(await page.getByTestId('new-budget-value').inputValue())).toBe(PAPER_ROLLOUTS)
    await form.screenshot({ path: join(SHOTS, 'new-sweep-fig4-preset.png') })
    await form.getByRole('button', { name: 'Cancel' }).click()
    expect(await form.count()).toBe(0)
  })

  it('says when the runs are not an equal-budget design, and logged no problems', async () => {
    await open([...ws.seeded.ids, ws.seeded.extra])
    const note = page.getByTestId('paper-report-note')
    await expect
      .poll(async () => (await note.count()) > 0 && (await note.textContent()))
      .toContain('Not an equal-budget design: the budgets differ (30 rollouts; 2 generations).')
    expect(await note.textContent()).toContain(
      `Unequal seeds: ${ALGORITHM_LABELS.renomad} 2, ${ALGORITHM_LABELS.ea} 3`
    )
    await page.getByTestId('paper-report').screenshot({ path: join(SHOTS, 'compare-paper-note.png') })
    expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([])
  })
})
