/**
 * The page and its bridge, in headless Chromium over two real `lab serve` servers:
 * - regression: a `?bridge=` on another port (blocked by the page's CSP) used to leave the page on
 *   "Loading…" forever; now the page names the refused bridge and what to do, and never connects to it
 *   (so the session token is not sent to another local server);
 * - the session token leaves the address bar once the page has it, and the page still reloads (session
 *   cookie) and reconnects after the server went away (token kept in memory);
 * - the app works offline: the built renderer declares no external URL (HTML, CSS, script and style
 *   sources), and no request of the page leaves its own server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type LabServer } from '../../src/engine/serve'
import { buildApp, HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
let tmp = ''
let staticDir = ''
let a: LabServer
let b: LabServer

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-bridge-ui-'))
  await buildApp(join(tmp, 'out'))
  staticDir = join(tmp, 'out', 'renderer')
  a = await startServe({ staticDir, dbPath: join(tmp, 'a.db'), workers: 1 })
  // Same token on purpose: the page must refuse the other bridge for being another server, not for a bad token.
  b = await startServe({ staticDir, dbPath: join(tmp, 'b.db'), workers: 1, token: a.token })
})

afterAll(async () => {
  await a?.close()
  await b?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe.skipIf(!HAS_CHROMIUM)('the page and its bridge', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const sockets: string[] = []
  const requests: string[] = []

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    page.on('websocket', (ws) => sockets.push(ws.url()))
    page.on('request', (r) => requests.push(r.url()))
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('names a refused bridge on another port instead of showing "Loading…" forever', async () => {
    const url = `http://127.0.0.1:${a.port}/?bridge=${encodeURIComponent(b.bridgeUrl)}&token=${a.token}`
    const started = performance.now()
    await page.goto(url)
    const banner = page.getByTestId('backend-error')
    await banner.waitFor({ timeout: 5000 })
    console.log(`refused bridge reported in ${(performance.now() - started).toFixed(0)} ms`)
    const text = (await banner.textContent()) ?? ''
    expect(text).toContain(`refused the bridge ${b.bridgeUrl}`)
    expect(text).toContain(`127.0.0.1:${a.port}/bridge`)
    expect(text).toMatch(/Open the URL that `lab serve` or `npm start` printed/)
    expect(text).not.toContain(a.token)
    // Nothing on the page is left loading: the header and the connectome card gave up too.
    await expect.poll(async () => (await page.locator('body').textContent()) ?? '').not.toMatch(/Loading/)
    expect(await page.getByTestId('connectome-summary').textContent()).toContain('Could not load')
    // No connection was even tried: the token went nowhere.
    expect(sockets).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'bridge-refused.png') })
  })

  it('takes the session token out of the address bar once loaded, and reloads with the cookie', async () => {
    problems.length = 0
    await page.goto(a.url)
    await page.getByTestId('runs-card').waitFor()
    await expect.poll(() => page.url()).not.toContain('token=')
    const address = new URL(page.url())
    expect(address.searchParams.get('bridge')).toBe(a.bridgeUrl)
    await page.reload()
    await page.getByTestId('runs-card').waitFor()
    await expect
      .poll(async () => (await page.getByTestId('runs-card').textContent()) ?? '')
      .toContain('Start a training run')
    expect(await page.getByTestId('backend-error').count()).toBe(0)
    expect(page.url()).not.toContain('token=')
  })

  it('reconnects with the token it kept in memory after the server went away and came back', async () => {
    await page.goto(a.url)
    await page.getByTestId('runs-card').waitFor()
    await expect.poll(() => page.url()).not.toContain('token=')
    // Without the cookie, only the token held by the page's bridge client can open the new connection.
    await browser.context.clearCookies()
    const { port, token } = a
    await a.close()
    a = await startServe({ staticDir, dbPath: join(tmp, 'a.db'), workers: 1, port, token })
    const before = sockets.length
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBeGreaterThan(before)
    await page.getByTestId('runs-empty').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('runs-error').count()).toBe(0)
    expect(sockets.at(-1)).toContain(`127.0.0.1:${port}/bridge?token=`)
  })

  it("works offline: no request leaves the page's own server, and the build declares no external URL", () => {
    const own = new Set([`127.0.0.1:${a.port}`])
    const away = requests.filter((u) => {
      const url = new URL(u)
      return !(url.protocol === 'data:' || url.protocol === 'blob:' || own.has(url.host))
    })
    console.log(`page requests: ${requests.length}, to other hosts: ${away.length}`)
    expect(requests.length).toBeGreaterThan(5)
    expect(away).toEqual([])

    const files = readdirSync(staticDir, { recursive: true, encoding: 'utf8' })
    const text = (ext: string) =>
      files.filter((f) => f.endsWith(ext)).map((f) => readFileSync(join(staticDir, f), 'utf8'))
    const html = text('.html')
    const css = text('.css')
    const js = text('.js')
    expect(html.length).toBe(1)
    expect(css.length + js.length).toBeGreaterThan(0)
    // HTML and CSS: no external URL at all (fonts, stylesheets, scripts, images).
    for (const t of [...html, ...css]) expect(t.match(/https?:\/\/[^\s"')]+/g) ?? []).toEqual([])
    // Scripts: no external URL as a fetch, import, worker, socket, script/style/font source or CSS url() (the libraries'
    // comments, docs links in error messages and XML namespace names are not fetched).
    const loads =
      /(?:fetch|import|importScripts|new (?:Worker|SharedWorker|WebSocket|EventSource))\(\s*["'`]https?:|(?:src|href)\s*[:=]\s*["'`]https?:|url\(\s*["']?https?:|@import\s+["']https?:/g
    for (const t of js) expect(t.match(loads) ?? []).toEqual([])
  })

  it('logged no page errors', () => {
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([])
  })
})
