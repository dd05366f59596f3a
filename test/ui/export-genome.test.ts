/**
 * Genome export from the run detail's Export menu, in headless Chromium over the real backend (a temp
 * SQLite workspace with a run trained by a real worker pool, served by startServe): in browser mode the
 * file arrives as a download, whose bytes must be the stored genome, in .npy (header checked, and
 * numpy.load where Python with NumPy is present), JSON and CSV. Then the Electron path of the same page:
 * with a stand-in for the preload's `window.labShell` (the native dialog is main's, tested in test/main),
 * the file goes to `saveFile` with its filters instead of a download, and the menu's commands open the
 * Export menu and the new-run form.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { genomeFromCsv, genomeFromJson } from '../../src/core/connectome/genome'
import { loadEnvironment } from '../../src/engine/environments'
import { decodeNpy } from '../../src/engine/formats/npy'
import { readConnectome } from '../../src/engine/resources'
import type { LabServer } from '../../src/engine/serve'
import { serveWorkspace, trainEa, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
const c = readConnectome()
let ws: ServedWorkspace<string>
let tmp = ''
let server: LabServer
let runId = ''
let genome: Float64Array
let generation = 0

beforeAll(async () => {
  ws = await serveWorkspace('export-ui', async ({ store, manager }) => {
    const id = await trainEa(manager, 3, 3)
    const g = store.bestGenome(id, loadEnvironment(store.getRun(id).envSpec).prior)
    genome = g.weights
    generation = g.generation
    return id
  })
  ;({ tmp, server, seeded: runId } = ws)
})

afterAll(async () => {
  await ws?.close()
})

describe.skipIf(!HAS_CHROMIUM)('Export menu of the run detail (browser mode: downloads)', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    await page.getByTestId('runs-card').waitFor()
    await page.goto(`${page.url().split('#')[0]}#/runs/${runId}`)
    await page.locator(`[data-testid="run-detail"][data-run-id="${runId}"]`).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** Clicks one genome entry of the menu and returns the downloaded file's name and bytes. */
  async function exportAs(format: 'npy' | 'json' | 'csv'): Promise<{ name: string; bytes: Buffer }> {
    await page.getByTestId('export-toggle').click()
    const started = performance.now()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`export-genome-${format}`).click()
    ])
    const path = await download.path()
    console.log(`export ${format}: click → download in ${(performance.now() - started).toFixed(0)} ms`)
    return { name: download.suggestedFilename(), bytes: readFileSync(path) }
  }

  it('opens a menu with the three genome formats; Escape closes it', async () => {
    await page.getByTestId('export-toggle').click()
    const menu = page.getByRole('menu', { name: 'Export' })
    await menu.waitFor()
    for (const f of ['npy', 'json', 'csv'])
      expect(await page.getByTestId(`export-genome-${f}`).isEnabled()).toBe(true)
    expect(await menu.textContent()).toContain(`gen ${generation}`)
    expect(await menu.textContent()).toContain('Downloads the file')
    // The first entry has the focus (keyboard use), ArrowDown moves it.
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('export-genome-npy')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('export-genome-json')
    await page.screenshot({ path: join(SHOTS, 'export-menu.png') })
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'export-menu-detail.png') })
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'detached' })
  })

  it('exports the genome as .npy: float64 of the genome length, equal to the stored genome', async () => {
    const { name, bytes } = await exportAs('npy')
    expect(name).toMatch(new RegExp(`${runId.slice(0, 12)}-gen${generation}\\.npy$`))
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])
    const headerLength = bytes.readUInt16LE(8)
    const header = bytes.toString('latin1', 10, 10 + headerLength)
    expect(header).toMatch(/'descr': '<f8'/)
    expect(header).toMatch(new RegExp(`'shape': \\(${c.w0.length},\\)`))
    expect(header).toMatch(/'fortran_order': False/)
    expect(bytes.length).toBe(10 + headerLength + 8 * c.w0.length)
    expect(Array.from(decodeNpy(bytes))).toEqual(Array.from(genome))
    expect(genome.some((w, k) => w !== c.w0[k])).toBe(true)
    await page.getByTestId('export-done').waitFor()
    expect(await page.getByTestId('export-done').textContent()).toContain(name)

    const file = join(tmp, name)
    writeFileSync(file, bytes)
    const expected = join(tmp, 'expected.json')
    writeFileSync(expected, JSON.stringify(Array.from(genome)))
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys,numpy; a=numpy.load(sys.argv[1]); e=numpy.array(json.load(open(sys.argv[2])));' +
          'print(a.dtype, a.shape, bool(numpy.array_equal(a, e)))',
        file,
        expected
      ],
      { encoding: 'utf8' }
    )
    if (py.status !== 0) return console.log('numpy.load: skipped (no python3 with numpy)')
    console.log(`numpy.load: ${py.stdout.trim()}`)
    expect(py.stdout.trim()).toBe(`float64 (${c.w0.length},) True`)
  })

  it('exports the genome as JSON and as CSV with the same numbers', async () => {
    const json = await exportAs('json')
    expect(json.name).toMatch(/\.json$/)
    const data = JSON.parse(json.bytes.toString('utf8')) as { meta: { run: string; generation: number } }
    expect(data.meta).toMatchObject({ run: runId, generation })
    expect(Array.from(genomeFromJson(c, data))).toEqual(Array.from(genome))
    const csv = await exportAs('csv')
    expect(csv.name).toMatch(/\.csv$/)
    expect(csv.bytes.toString('utf8').split('\n')[0]).toBe('pre,post,w0,w,delta')
    expect(Array.from(genomeFromCsv(c, csv.bytes.toString('utf8')))).toEqual(Array.from(genome))
    await page.getByTestId('export-done').waitFor()
    expect(await page.getByTestId('export-done').textContent()).toContain(csv.name)
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'export-done.png') })
  })

  it('logged no console errors or page errors', () => {
    expect(problems).toEqual([])
  })
})

/** A stand-in for the preload's `window.labShell`: records saveFile calls, answers as told. */
const FAKE_SHELL = `
  const calls = []
  let menu = null
  window.__shell = { calls, answer: 'save', menu: (c) => menu && menu(c) }
  Object.defineProperty(window, 'labShell', {
    value: Object.freeze({
      saveFile: async (req) => {
        calls.push({ name: req.suggestedName, filters: req.filters, u8: req.bytes instanceof Uint8Array, bytes: Array.from(req.bytes) })
        if (window.__shell.answer === 'fail')
          throw new Error("Error invoking remote method 'files:save': Error: [bad-request] files:save: invalid request: bytes: at most 512 MiB")
        return window.__shell.answer === 'cancel' ? { saved: false } : { saved: true, path: '/home/lab/Downloads/' + req.suggestedName }
      },
      onMenuCommand: (listener) => { menu = listener; return () => { menu = null } }
    })
  })
`

interface SaveCall {
  name: string
  filters: { name: string; extensions: string[] }[]
  u8: boolean
  bytes: number[]
}
type ShellProbe = { __shell: { calls: SaveCall[]; answer: string; menu: (c: string) => void } }

describe.skipIf(!HAS_CHROMIUM)('Export menu in Electron mode (a stand-in preload shell)', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const downloads: string[] = []
  const calls = () => page.evaluate(() => (globalThis as unknown as ShellProbe).__shell.calls)
  const answer = (a: string) =>
    page.evaluate((x) => void ((globalThis as unknown as ShellProbe).__shell.answer = x), a)
  const menu = (c: string) => page.evaluate((x) => (globalThis as unknown as ShellProbe).__shell.menu(x), c)

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    page.on('download', (d) => downloads.push(d.suggestedFilename()))
    await page.addInitScript({ content: FAKE_SHELL })
    await page.goto(server.url)
    await page.getByTestId('runs-card').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('File → Export genome… shows the Runs page with the Export menu open', async () => {
    expect(page.url()).not.toContain('#/runs')
    await menu('export-genome')
    await page.getByRole('menu', { name: 'Export' }).waitFor()
    expect(page.url()).toContain('#/runs')
    expect(await page.getByRole('menu', { name: 'Export' }).textContent()).toContain('Opens a save dialog')
  })

  it('saves through the shell: the .npy bytes as a Uint8Array with its filter, no download', async () => {
    await page.getByTestId('export-genome-npy').click()
    await page.getByTestId('export-done').waitFor()
    const [call] = await calls()
    expect(call.u8).toBe(true)
    expect(call.name).toMatch(/-gen\d+\.npy$/)
    expect(call.filters).toEqual([{ name: 'NumPy array', extensions: ['npy'] }])
    expect(Array.from(decodeNpy(Buffer.from(call.bytes)))).toEqual(Array.from(genome))
    expect(await page.getByTestId('export-done').textContent()).toContain(`/home/lab/Downloads/${call.name}`)
    expect(downloads).toEqual([])
  })

  it('a cancelled dialog saves nothing and says nothing; a refused save shows the reason', async () => {
    await answer('cancel')
    await page.getByTestId('export-toggle').click()
    await page.getByTestId('export-genome-csv').click()
    await expect.poll(async () => (await calls()).length).toBe(2)
    await expect.poll(() => page.getByTestId('export-toggle').isEnabled()).toBe(true)
    expect(await page.getByTestId('export-done').count()).toBe(0)
    expect(await page.getByTestId('export-error').count()).toBe(0)

    await answer('fail')
    await page.getByTestId('export-toggle').click()
    await page.getByTestId('export-genome-json').click()
    const error = page.getByTestId('export-error')
    await error.waitFor()
    const text = (await error.textContent()) ?? ''
    expect(text).toContain('files:save: invalid request: bytes: at most 512 MiB')
    expect(text).not.toContain('[bad-request]')
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'export-error.png') })
    expect(downloads).toEqual([])
  })

  it('File → New run opens the new-run form', async () => {
    await page.goto(`${page.url().split('#')[0]}#/`)
    await page.getByTestId('runs-card').waitFor()
    await menu('new-run')
    await page.getByTestId('new-run-form').waitFor()
    expect(page.url()).toContain('#/runs')
  })

  it('logged no console errors or page errors', () => {
    expect(problems).toEqual([])
  })
})
