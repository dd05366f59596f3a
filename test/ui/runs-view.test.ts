/* Longer than 400 lines on purpose: one seeded workspace and one browser session walk the Runs view's
 * filters, grouping, selection, keyboard and annotations in order. */
/**
 * The Runs view as W&B and Aim users expect it, end to end: a temp workspace seeded with real short runs
 * (RunManager + a real WorkerPool; four of them in a sweep), served by startServe on the built renderer,
 * driven in headless Chromium. Filters by every field, groups by sweep, keeps a multi-run selection when
 * a run is opened, walks the table with the keyboard only, renames, tags and annotates runs (persisted:
 * the page reloaded, the Store and the CLI read back), and remembers the sort across reloads.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSweep, runSweep } from '../../src/engine/runs/sweeps'
import type { LabServer } from '../../src/engine/serve'
import { Store, type RunRow } from '../../src/engine/store/store'
import { PREFS_KEY } from '../../src/renderer/src/lib/runsViewPrefs'
import { lab } from '../helpers/cli'
import { serveWorkspace, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')

/** The bit of the page's document used in page.evaluate (tests compile without the DOM lib). */
interface DocLike {
  activeElement: { getAttribute(name: string): string | null } | null
}

let dbPath = ''
let server: LabServer
let sweepId = ''
/** The sweep's four runs (ea and renomad × seeds 1, 2), a lone ea run on the square, a cancelled one. */
let sweepRuns: RunRow[] = []
let square: RunRow
let cancelled: RunRow

const readRun = (id: string): RunRow => {
  const store = Store.open(dbPath)
  try {
    return store.getRun(id)
  } finally {
    store.close()
  }
}

let ws: ServedWorkspace<void>

beforeAll(async () => {
  const t0 = performance.now()
  ws = await serveWorkspace('runs-view', async ({ store, manager }) => {
    const sweep = createSweep(
      store,
      {
        algorithms: ['ea', 'renomad'],
        tasks: ['pentagon'],
        seeds: [1, 2],
        budget: { generations: 2 },
        config: {
          ea: { populationSize: 6 },
          renomad: { populationSize: 4, madsEvaluations: 10, madsCoordinates: 5 }
        }
      },
      'tiny sweep'
    )
    sweepId = sweep.id
    await runSweep(manager, sweep.runs)
    const sq = manager.create({
      algorithm: 'ea',
      task: 'square',
      seed: 5,
      config: { populationSize: 6 },
      budget: { generations: 2 },
      name: 'square alone'
    })
    await manager.start(sq.id)
    const c = manager.create({
      algorithm: 'ea',
      seed: 9,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    await manager.cancel(c.id)
    sweepRuns = sweep.runs.map((r) => store.getRun(r.id))
    square = store.getRun(sq.id)
    cancelled = store.getRun(c.id)
    console.log(`seeded 6 runs (5 trained, 2 generations each) in ${(performance.now() - t0).toFixed(0)} ms`)
  })
  ;({ dbPath, server } = ws)
})

afterAll(async () => {
  await ws?.close()
})

describe('seeded workspace', () => {
  it('has a sweep of four completed runs, a lone completed run and a cancelled one', () => {
    expect(sweepRuns.map((r) => [r.algorithm, r.status, r.sweepId])).toEqual([
      ['ea', 'completed', sweepId],
      ['renomad', 'completed', sweepId],
      ['ea', 'completed', sweepId],
      ['renomad', 'completed', sweepId]
    ])
    expect(square).toMatchObject({ status: 'completed', task: 'square', sweepId: null })
    expect(cancelled).toMatchObject({ status: 'cancelled', sweepId: null })
  })
})

describe.skipIf(!HAS_CHROMIUM)('the Runs view in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []

  const rows = (): Locator => page.getByTestId('run-row')
  const row = (id: string): Locator => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)
  const detail = (): Locator => page.getByTestId('run-detail')
  /** The tag chips of a run's row. */
  const tagsOf = async (id: string): Promise<string[]> =>
    (await row(id).getByTestId('run-tag').allTextContents()).map((t) => t.trim())
  const shownIds = (): Promise<(string | null)[]> =>
    rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-run-id')))
  const selectedCount = async (): Promise<number> =>
    Number(await page.getByTestId('selection-count').getAttribute('data-value'))
  /** An attribute of the element that has the focus. */
  const focusedAttr = (name: string): Promise<string | null> =>
    page.evaluate(
      (n) => (globalThis as unknown as { document: DocLike }).document.activeElement?.getAttribute(n) ?? null,
      name
    )
  const focusedRunId = (): Promise<string | null> => focusedAttr('data-run-id')
  const sortOf = (label: string): Promise<string | null> =>
    page
      .locator('th', { has: page.getByRole('button', { name: label, exact: true }) })
      .getAttribute('aria-sort')

  /** Opens a run with a plain click on its row (on the algorithm cell: away from the name's editor). */
  const openRow = (id: string): Promise<void> => row(id).locator('td').nth(3).click()

  async function openRuns(): Promise<void> {
    await page.goto(`${server.url}#/runs`)
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => rows().count()).toBe(6)
  }

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    // A fresh profile: nothing remembered.
    expect(await page.evaluate((k) => localStorage.getItem(k), PREFS_KEY)).toBeNull()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('shows tags and notes set outside the app (the CLI), in the table and the run detail', async () => {
    // The bug: the schema had tags and notes, nothing showed them.
    const add = lab(['tag', square.id, '--add', 'baseline', '--add', 'lr:0.1', '--db', dbPath])
    expect(add.stderr).toBe('')
    expect(lab(['note', square.id, 'square layout, for the held-out check', '--db', dbPath]).code).toBe(0)
    await openRuns()
    const r = row(square.id)
    await expect.poll(() => tagsOf(square.id)).toEqual(['baseline', 'lr:0.1'])
    expect(await r.getByTestId('run-has-notes').getAttribute('title')).toBe(
      'square layout, for the held-out check'
    )
    await r.getByTestId('run-name').click()
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(square.id)
    expect(
      (await detail().getByTestId('tag-chip').allTextContents()).map((t) => t.replace('×', '').trim())
    ).toEqual(['baseline', 'lr:0.1'])
    expect(await detail().getByTestId('notes-input').inputValue()).toBe(
      'square layout, for the held-out check'
    )
  })

  it('filters by text (name, id, tag, notes), status, algorithm, task, environment and sweep', async () => {
    const filter = async (testid: string, value: string): Promise<(string | null)[]> => {
      const t0 = performance.now()
      if (testid === 'filter-text') await page.getByTestId(testid).fill(value)
      else await page.getByTestId(testid).selectOption(value)
      const ids = await shownIds()
      console.log(
        `filter ${testid}=${JSON.stringify(value)}: ${ids.length} rows in ${(performance.now() - t0).toFixed(0)} ms`
      )
      return ids
    }
    const all = [...sweepRuns, square, cancelled]
    const sorted = (ids: (string | null)[]) => [...ids].sort()
    expect(sorted(await filter('filter-text', 'BASELINE'))).toEqual([square.id])
    expect(sorted(await filter('filter-text', 'held-out'))).toEqual([square.id])
    expect(sorted(await filter('filter-text', 'square alone'))).toEqual([square.id])
    expect(sorted(await filter('filter-text', sweepRuns[1].id.slice(0, 10)))).toEqual([sweepRuns[1].id])
    expect(await page.getByTestId('runs-count').textContent()).toMatch(/1 of 6 runs/)
    // A tag chip in the table filters by its tag.
    await filter('filter-text', '')
    await row(square.id).getByTestId('run-tag').first().click()
    expect(await page.getByTestId('filter-text').inputValue()).toBe('baseline')
    await expect.poll(shownIds).toEqual([square.id])
    expect(await filter('filter-text', 'no such run')).toEqual([])
    await page.getByTestId('runs-none-match').waitFor()
    await filter('filter-text', '')

    expect(await filter('filter-status', 'cancelled')).toEqual([cancelled.id])
    await filter('filter-status', '')
    expect(sorted(await filter('filter-algorithm', 'renomad'))).toEqual(
      sorted(sweepRuns.filter((r) => r.algorithm === 'renomad').map((r) => r.id))
    )
    await filter('filter-algorithm', '')
    expect(await filter('filter-task', 'square')).toEqual([square.id])
    await filter('filter-task', '')
    expect(sorted(await filter('filter-environment', 'worm'))).toEqual(sorted(all.map((r) => r.id)))
    const envOptions = await page.getByTestId('filter-environment').locator('option').allTextContents()
    expect(envOptions.map((o) => o.trim())).toEqual(['Environment: any', 'Environment: worm (6)'])
    await filter('filter-environment', '')
    expect(sorted(await filter('filter-sweep', sweepId))).toEqual(sorted(sweepRuns.map((r) => r.id)))
    // Facets combine.
    expect(sorted(await filter('filter-algorithm', 'ea'))).toEqual(
      sorted(sweepRuns.filter((r) => r.algorithm === 'ea').map((r) => r.id))
    )
    await page.screenshot({ path: join(SHOTS, 'runs-view-filtered.png'), fullPage: true })
    await page.getByTestId('filter-clear').click()
    await expect.poll(() => rows().count()).toBe(6)
  })

  it('groups by sweep: collapsible sweep header rows with their counts', async () => {
    await page.getByTestId('group-by-sweep').check()
    const groups = page.getByTestId('sweep-group')
    await expect.poll(() => groups.count()).toBe(2)
    expect(await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-sweep')))).toEqual([
      sweepId,
      '(none)'
    ])
    expect(
      await groups
        .getByTestId('sweep-group-count')
        .evaluateAll((cs) => cs.map((c) => c.getAttribute('data-value')))
    ).toEqual(['4', '2'])
    expect(await groups.first().textContent()).toContain('tiny sweep')
    // The sweep's rows come right after its header.
    expect((await shownIds()).slice(0, 4).sort()).toEqual(sweepRuns.map((r) => r.id).sort())
    const toggle = groups.first().getByTestId('sweep-group-toggle')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await expect.poll(() => rows().count()).toBe(2)
    await page.getByTestId('runs-table').screenshot({ path: join(SHOTS, 'runs-view-grouped-collapsed.png') })
    await toggle.click()
    await expect.poll(() => rows().count()).toBe(6)
    await row(sweepRuns[0].id).getByTestId('run-select').check()
    await expect.poll(async () => (await groups.first().textContent()) ?? '').toContain('1 selected')
    await page.getByTestId('runs-table').screenshot({ path: join(SHOTS, 'runs-view-grouped.png') })
    await page.getByTestId('select-clear').click()
    await page.getByTestId('group-by-sweep').uncheck()
    await expect.poll(() => groups.count()).toBe(0)
  })

  it('says "No generations yet" for ticked runs without any, instead of empty axes', async () => {
    expect(await selectedCount()).toBe(0) // the grouping test cleared it
    const curves = page.getByTestId('run-curves')
    await row(cancelled.id).getByTestId('run-select').check()
    await expect.poll(selectedCount).toBe(1)
    await expect.poll(() => curves.getByTestId('curves-empty').count()).toBe(2)
    expect(await curves.getByTestId('curves-empty').first().textContent()).toContain('No generations yet')
    // A run with generations beside it: its curves are drawn, no message.
    await row(square.id).getByTestId('run-select').check()
    await expect.poll(() => curves.getByTestId('curves-empty').count()).toBe(0)
    await page.getByTestId('select-clear').click()
    await expect.poll(selectedCount).toBe(0)
  })

  it('keeps a multi-run selection when a run is opened; Shift-click ticks a range; select all and clear', async () => {
    expect(await selectedCount()).toBe(0) // the grouping test cleared it
    const t0 = performance.now()
    const [a, b, c] = sweepRuns
    await row(a.id).getByTestId('run-select').check()
    await row(b.id).getByTestId('run-select').check()
    expect(await selectedCount()).toBe(2)
    // The bug: a plain click on a row wiped the selection. Now it only opens the run.
    await openRow(c.id)
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(c.id)
    expect(page.url()).toMatch(new RegExp(`#/runs/${c.id}$`))
    expect(await selectedCount()).toBe(2)
    console.log(`ticked two runs and opened a third in ${(performance.now() - t0).toFixed(0)} ms`)
    expect(await row(a.id).getByTestId('run-select').isChecked()).toBe(true)
    expect(await row(b.id).getByTestId('run-select').isChecked()).toBe(true)
    expect(await row(c.id).getByTestId('run-select').isChecked()).toBe(false)
    expect(await row(c.id).getAttribute('class')).toContain('focused')
    await expect.poll(() => page.getByTestId('curves-fitness').getAttribute('data-series')).toBe('2')
    // Back and forward between opened runs leave it alone too.
    await openRow(a.id)
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(a.id)
    await page.goBack()
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(c.id)
    expect(await selectedCount()).toBe(2)

    // Shift-click: from the last ticked row (b) to this one, in the table's order.
    const order = await shownIds()
    const target = order.at(-1)!
    await row(target)
      .getByTestId('run-select')
      .click({ modifiers: ['Shift'] })
    const from = order.indexOf(b.id)
    const range = order.slice(Math.min(from, order.length - 1), order.length)
    const expected = [...new Set([a.id, ...range])].sort()
    await expect.poll(selectedCount).toBe(expected.length)
    for (const id of range) expect(await row(id!).getByTestId('run-select').isChecked(), id!).toBe(true)

    const compareBtn = page.getByTestId('compare-selected')
    const n = await selectedCount()
    expect((await compareBtn.textContent())?.trim()).toBe(`Compare ${n} runs`)
    expect((await compareBtn.getAttribute('data-ids'))!.split(',').sort()).toEqual(expected)

    // Select all of the filtered runs only; clear.
    await page.getByTestId('select-clear').click()
    expect(await selectedCount()).toBe(0)
    expect(await compareBtn.isDisabled()).toBe(true)
    await page.getByTestId('filter-algorithm').selectOption('renomad')
    await page.getByTestId('select-all').click()
    expect(await selectedCount()).toBe(2)
    await page.getByTestId('filter-algorithm').selectOption('')
    expect(await page.getByTestId('selection-count').textContent()).toMatch(/2 selected/)
    expect(await page.getByTestId('select-all').textContent()).toMatch(/Select all/)
    await page.getByTestId('select-all').click()
    expect(await selectedCount()).toBe(6)
    await page.screenshot({ path: join(SHOTS, 'runs-view-selection.png'), fullPage: true })

    // "Compare N runs" asks for the Compare view with the ids in the address.
    const ids = (await compareBtn.getAttribute('data-ids'))!
    await compareBtn.click()
    await expect.poll(() => page.url()).not.toMatch(/#\/runs/)
    // Without a Compare route yet (another branch builds it) the router's catch-all redirects to #/,
    // keeping the query; with it, the address is #/compare?ids=…
    expect(decodeURIComponent(page.url())).toMatch(new RegExp(`#/(compare)?\\?ids=${ids}$`))
    await page.goBack()
    await page.getByTestId('runs-view').waitFor()
    await page.getByTestId('select-clear').click()
    console.log(`the selection flow took ${(performance.now() - t0).toFixed(0)} ms`)
  })

  it('is reachable and driven with the keyboard alone: sort headers, rows, open, select', async () => {
    await openRuns()
    await page.locator('body').focus()
    // Tab to the Seed column header.
    let onSeed = false
    for (let i = 0; i < 40 && !onSeed; i++) {
      await page.keyboard.press('Tab')
      onSeed = (await focusedAttr('data-testid')) === 'sort-seed'
    }
    expect(onSeed).toBe(true)
    expect(await sortOf('Seed')).toBe('none')
    await page.keyboard.press('Enter')
    await expect.poll(() => sortOf('Seed')).toBe('ascending')
    const seeds = async (): Promise<number[]> =>
      (await rows().locator('td:nth-child(6)').allTextContents()).map(Number)
    expect(await seeds()).toEqual([...(await seeds())].sort((x, y) => x - y))
    await page.keyboard.press('Space')
    await expect.poll(() => sortOf('Seed')).toBe('descending')
    expect(await seeds()).toEqual([...(await seeds())].sort((x, y) => y - x))
    expect(await sortOf('Run')).toBe('none')

    // Tab on into the rows: one tab stop, on the shown run.
    let inRows = false
    for (let i = 0; i < 10 && !inRows; i++) {
      await page.keyboard.press('Tab')
      inRows = (await focusedRunId()) !== null
    }
    expect(inRows).toBe(true)
    const order = await shownIds()
    const start = await focusedRunId()
    expect(start).toBe(await detail().getAttribute('data-run-id'))
    expect(
      await rows().evaluateAll((rs) => rs.filter((r) => r.getAttribute('tabindex') === '0').length)
    ).toBe(1)
    await page.keyboard.press('Home')
    expect(await focusedRunId()).toBe(order[0])
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focusedRunId()).toBe(order[2])
    await page.keyboard.press('ArrowUp')
    expect(await focusedRunId()).toBe(order[1])
    await page.keyboard.press('End')
    expect(await focusedRunId()).toBe(order.at(-1))
    await page.keyboard.press('ArrowDown') // stays on the last row
    expect(await focusedRunId()).toBe(order.at(-1))
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    // Enter opens the run; the focus stays on its row.
    await page.keyboard.press('Enter')
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(order[1])
    expect(await focusedRunId()).toBe(order[1])
    // Space ticks and unticks it; another row ticked too: a selection made with the keyboard only.
    const before = await selectedCount()
    await page.keyboard.press('Space')
    await expect.poll(() => row(order[1]!).getByTestId('run-select').isChecked()).toBe(!before ? true : true)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Space')
    expect(await row(order[2]!).getByTestId('run-select').isChecked()).toBe(true)
    const ticked = await selectedCount()
    await page.keyboard.press('Space')
    expect(await selectedCount()).toBe(ticked - 1)
    // Shift+Tab leaves the rows for the headers again: the grid is one tab stop.
    await page.keyboard.press('Shift+Tab')
    expect(await focusedRunId()).toBeNull()
    expect(await focusedAttr('data-testid')).toBe('sort-time')
    await page.screenshot({ path: join(SHOTS, 'runs-view-keyboard.png'), fullPage: true })
  })

  it('remembers the sort (and the filters) across a reload; a corrupt stored value falls back to the default', async () => {
    // The previous test left the table sorted by seed, descending.
    await page.getByTestId('filter-task').selectOption('pentagon')
    await page.reload()
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => rows().count()).toBe(5)
    expect(await sortOf('Seed')).toBe('descending')
    expect(await page.getByTestId('filter-task').inputValue()).toBe('pentagon')
    const stored = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), PREFS_KEY))!)
    expect(stored.sort).toEqual({ key: 'seed', desc: true })

    await page.evaluate(
      (k) => localStorage.setItem(k, '{"sort": {"key": "nonsense"}, "filters": 12'),
      PREFS_KEY
    )
    await page.reload()
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => rows().count()).toBe(6)
    expect(await sortOf('Run')).toBe('descending')
    expect(await page.getByTestId('filter-task').inputValue()).toBe('')
    await page.evaluate(
      (k) =>
        localStorage.setItem(k, JSON.stringify({ sort: { key: 'seed', desc: 'x' }, groupBySweep: true })),
      PREFS_KEY
    )
    await page.reload()
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => page.getByTestId('sweep-group').count()).toBe(2)
    expect(await sortOf('Run')).toBe('descending')
    await page.getByTestId('group-by-sweep').uncheck()
  })

  it('renames a run in the table (double-click, Enter saves, Escape cancels) and in the detail header', async () => {
    await openRuns()
    const run = sweepRuns[2]
    await openRow(square.id)
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(square.id)
    const name = row(run.id).getByTestId('run-name')
    // Escape cancels.
    await name.getByTestId('inline-edit-text').dblclick()
    const input = row(run.id).getByTestId('inline-edit-input')
    await input.fill('never saved')
    await input.press('Escape')
    expect(await name.getByTestId('inline-edit-text').textContent()).toBe(run.name)
    expect(readRun(run.id).name).toBe(run.name)
    // Enter saves.
    await name.getByTestId('inline-edit-text').dblclick()
    await input.fill('  ea seed 2, baseline  ')
    await input.press('Enter')
    await expect.poll(() => name.getByTestId('inline-edit-text').textContent()).toBe('ea seed 2, baseline')
    await expect.poll(() => readRun(run.id).name).toBe('ea seed 2, baseline')
    // A double-click is two clicks too: the run renamed is the run opened.
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(run.id)

    // In the detail header: the pencil.
    const head = detail().getByTestId('detail-name')
    await head.getByTestId('inline-edit-button').click()
    await head.getByTestId('inline-edit-input').fill('ea seed 2 · renamed twice')
    await head.getByTestId('inline-edit-input').press('Enter')
    await expect.poll(() => readRun(run.id).name).toBe('ea seed 2 · renamed twice')
    await expect
      .poll(() => name.getByTestId('inline-edit-text').textContent())
      .toBe('ea seed 2 · renamed twice')
    // F2 on the focused row.
    await row(run.id).focus()
    await page.keyboard.press('F2')
    await page.keyboard.press('Escape')
    expect(readRun(run.id).name).toBe('ea seed 2 · renamed twice')
  })

  it('tags a run (chips) and writes its notes in the detail; a bad tag is refused naming the rule', async () => {
    const run = sweepRuns[2]
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(run.id)
    const tagInput = detail().getByTestId('tag-input')
    await tagInput.fill('pop:6')
    await tagInput.press('Enter')
    await tagInput.fill('keep')
    await tagInput.press(',')
    await expect.poll(() => readRun(run.id).tags).toEqual(['pop:6', 'keep'])
    await tagInput.fill('two words')
    await tagInput.press('Enter')
    expect(await detail().getByTestId('tag-error').textContent()).toMatch(/letters, digits and \. _ - : \+/)
    expect(readRun(run.id).tags).toEqual(['pop:6', 'keep'])
    await tagInput.fill('keep')
    await tagInput.press('Enter')
    expect(await detail().getByTestId('tag-error').textContent()).toMatch(/tagged 'keep' already/)
    await tagInput.fill('drop-me')
    await tagInput.press('Enter')
    await expect.poll(() => readRun(run.id).tags).toEqual(['pop:6', 'keep', 'drop-me'])
    await detail().getByRole('button', { name: 'Remove tag drop-me' }).click()
    await expect.poll(() => readRun(run.id).tags).toEqual(['pop:6', 'keep'])
    await expect.poll(() => tagsOf(run.id)).toEqual(['pop:6', 'keep'])

    const notes = detail().getByTestId('notes-input')
    await notes.fill('Good seed.\nCompare with renomad at 100 generations.')
    await detail().getByTestId('notes-save').click()
    await expect
      .poll(() => readRun(run.id).notes)
      .toBe('Good seed.\nCompare with renomad at 100 generations.')
    await page.getByTestId('filter-text').fill('keep')
    await expect.poll(shownIds).toEqual([run.id])
    await page.screenshot({ path: join(SHOTS, 'runs-view-annotated.png'), fullPage: true })
    await detail().screenshot({ path: join(SHOTS, 'runs-view-annotated-detail.png') })
    await page.getByTestId('filter-text').fill('')

    // Persisted: the page reloaded, and the CLI, read them back.
    await page.reload()
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => detail().getAttribute('data-run-id')).toBe(run.id)
    expect(await detail().getByTestId('notes-input').inputValue()).toBe(
      'Good seed.\nCompare with renomad at 100 generations.'
    )
    expect(await tagsOf(run.id)).toEqual(['pop:6', 'keep'])
    expect(await row(run.id).getByTestId('inline-edit-text').textContent()).toBe('ea seed 2 · renamed twice')
    const shown = JSON.parse(lab(['show', run.id, '--json', '--db', dbPath]).stdout) as Record<
      string,
      unknown
    >
    expect(shown).toMatchObject({
      name: 'ea seed 2 · renamed twice',
      tags: ['pop:6', 'keep'],
      notes: 'Good seed.\nCompare with renomad at 100 generations.'
    })
    // And a tag added by the CLI meanwhile reaches the open page (it re-reads the workspace).
    lab(['tag', run.id, '--add', 'from-cli', '--db', dbPath])
    await expect.poll(() => tagsOf(run.id), { timeout: 10_000 }).toEqual(['pop:6', 'keep', 'from-cli'])
  })

  it('logged no errors, warnings or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
