/**
 * UI harness: builds the app with electron-vite (no Electron binary needed), serves the renderer and the
 * WebSocket bridge with startServe, and drives the real UI in headless Chromium via playwright-core.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocket as NodeWebSocket } from 'ws'
import { startServe, type LabServer } from '../../src/engine/serve'
import { CSP_BASE } from '../../src/shared/csp'
import { connect, exchange, withToken, type BridgeReply } from './bridge-client'
import { buildApp, CHROMIUM, HAS_CHROMIUM, launchChromium, painted, ROOT, type Browser } from './browser'

const SCREENSHOT = join(ROOT, 'test/ui/__screenshots__/pentagon.png')

if (!HAS_CHROMIUM) {
  console.warn(
    `[test/ui] SKIPPING the browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`
  )
}

let outDir = ''
let server: LabServer

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'connectome-lab-ui-'))
  await buildApp(outDir)
  // A fresh workspace: the page lists runs (the sidebar's runs card), never the user's own workspace.
  server = await startServe({
    port: 0,
    host: '127.0.0.1',
    staticDir: join(outDir, 'renderer'),
    dbPath: join(outDir, 'workspace.db')
  })
})

afterAll(async () => {
  await server?.close()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

describe('electron-vite build', () => {
  it('bundles the sandboxed preload as one CommonJS file that only requires electron', () => {
    const preload = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8')
    const code = preload.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    const requires = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))
    expect([...requires]).toEqual(['electron'])
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    expect(preload).toContain('exposeInMainWorld')
  })

  it('builds an ESM main process and a renderer with the strict CSP meta tag', () => {
    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8')
    expect(main).toMatch(/^import .* from "electron";$/m)
    expect(main).toContain('sandbox: true')
    const html = readFileSync(join(outDir, 'renderer/index.html'), 'utf8')
    expect(html).toContain(`content="${CSP_BASE.join('; ')}"`)
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/)
  })
})

describe('WebSocket bridge', () => {
  let ws: NodeWebSocket
  beforeAll(async () => {
    ws = await connect(server.bridgeUrl, server.token)
  })
  afterAll(() => ws?.close())

  it('binds to 127.0.0.1 and serves the renderer with a CSP header', async () => {
    expect(server.host).toBe('127.0.0.1')
    const res = await fetch(server.url)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    for (const directive of CSP_BASE) expect(csp).toContain(directive)
    expect(csp).toContain(`connect-src 'self' ${server.bridgeUrl}`)
    expect((await fetch(`http://127.0.0.1:${server.port}/../package.json`)).status).not.toBe(200)
  })

  it('rejects a malformed message (bad task name) with a validation error', async () => {
    const reply = await exchange(
      ws,
      JSON.stringify({ id: 41, channel: 'rollout:run', payload: { task: 'dodecagon' } })
    )
    expect(reply).toMatchObject({ id: 41, ok: false, error: { code: 'bad-request' } })
    expect(reply.error?.message).toMatch(/^rollout:run: invalid request: task: Invalid option/)
    expect(reply.error?.issues?.[0]?.path).toBe('task')
  })

  it('rejects unknown channels, extra keys, bad envelopes and non-JSON frames', async () => {
    const cases: [string, string][] = [
      [JSON.stringify({ id: 1, channel: 'fs:read', payload: '/etc/passwd' }), 'unknown-channel'],
      [
        JSON.stringify({ id: 2, channel: 'rollout:run', payload: { task: 'pentagon', steps: 1e9 } }),
        'bad-request'
      ],
      [JSON.stringify({ id: 3, channel: 'app:info', payload: { sneaky: true } }), 'bad-request'],
      [JSON.stringify({ channel: 'app:info' }), 'bad-request'],
      ['{not json', 'bad-request']
    ]
    for (const [frame, code] of cases) {
      const reply: BridgeReply = await exchange(ws, frame)
      expect(reply.ok, frame).toBe(false)
      expect(reply.error?.code, frame).toBe(code)
    }
  })

  it('answers a valid rollout inside the contract', async () => {
    const reply = await exchange(
      ws,
      JSON.stringify({ id: 'r1', channel: 'rollout:run', payload: { task: 'pentagon' } })
    )
    expect(reply.ok).toBe(true)
    const result = reply.result as { foodEaten: number; trace: { x: number[]; steps: number } }
    expect(result.foodEaten).toBe(3)
    expect(result.trace.x).toHaveLength(result.trace.steps + 1)
  })

  it('refuses WebSocket upgrades from other origins, even with the token', async () => {
    await expect(connect(server.bridgeUrl, server.token, { origin: 'https://evil.example' })).rejects.toThrow(
      /403/
    )
  })

  it('has a random session token, and refuses upgrades without it or with a wrong one (401)', async () => {
    expect(server.token).toMatch(/^[\w-]{32}$/)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A')
    for (const token of [null, '', wrong, server.token.slice(0, 16), server.token + 'x']) {
      await expect(connect(server.bridgeUrl, token), String(token)).rejects.toThrow(/^HTTP 401$/)
    }
    // The page's own origin does not stand in for the token.
    const page = `http://127.0.0.1:${server.port}`
    await expect(connect(server.bridgeUrl, null, { origin: page })).rejects.toThrow(/^HTTP 401$/)
    const ok = await connect(server.bridgeUrl, server.token, { origin: page })
    ok.close()
  })

  it('passes the token on from the page URL to the bridge URL, and never fills it in itself', async () => {
    const to = async (path: string, headers: Record<string, string> = {}): Promise<URLSearchParams> => {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { redirect: 'manual', headers })
      expect(res.status).toBe(302)
      return new URL(res.headers.get('location')!, 'http://x').searchParams
    }
    const given = await to(`/?token=${server.token}`)
    expect(given.get('bridge')).toBe(server.bridgeUrl)
    expect(given.get('token')).toBe(server.token)
    // Without the token the page is refused; with the session cookie instead it is redirected to add the
    // bridge, and the token is not filled in.
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { redirect: 'manual' })
    expect(res.status).toBe(401)
    expect(await res.text()).not.toContain(server.token)
    const page = await fetch(server.url, { redirect: 'manual' })
    const cookie = page.headers.get('set-cookie')!.split(';')[0]
    const none = await to('/', { cookie })
    expect(none.get('bridge')).toBe(server.bridgeUrl)
    expect(none.has('token')).toBe(false)
  })

  it('takes a given session token, and refuses short or unsafe ones', async () => {
    const token = 'a-given-token_0123456789'
    const other = await startServe({
      staticDir: join(outDir, 'renderer'),
      dbPath: join(outDir, 'other.db'),
      token
    })
    try {
      expect(other.token).toBe(token)
      await expect(connect(other.bridgeUrl, server.token)).rejects.toThrow(/^HTTP 401$/)
      const ws = await connect(other.bridgeUrl, token)
      ws.close()
    } finally {
      await other.close()
    }
    for (const bad of ['', 'short', 'a token with spaces!', 'x'.repeat(15)])
      await expect(startServe({ token: bad }), bad).rejects.toThrow(/session token/)
  })
})

describe.skipIf(!HAS_CHROMIUM)('renderer in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    await page.goto(server.url)
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('shows the app info and the connectome summary (3689 connections)', async () => {
    const connections = page.getByTestId('connections-count')
    await connections.waitFor()
    expect(await connections.getAttribute('data-value')).toBe('3689')
    expect((await connections.textContent())?.trim()).toBe('3,689')
    expect((await page.getByTestId('neurons-count').textContent())?.trim()).toBe('302')
    expect((await page.getByTestId('app-version').textContent())?.trim()).toMatch(/^v\d+\.\d+\.\d+/)
  })

  it('runs an untrained rollout on pentagon: 3 food eaten, arena and chart drawn', async () => {
    await page.getByTestId('task-pentagon').click()
    await page.getByTestId('run-rollout').click()
    await page.locator('[data-testid="rollout-stats"][data-task="pentagon"]').waitFor()
    expect((await page.getByTestId('food-eaten').textContent())?.trim()).toBe('3')
    // The arena canvas has the path drawn (not just the empty floor).
    expect(await painted(page.getByTestId('arena-canvas'))).toBeGreaterThan(20)
    await page.getByTestId('trace-chart').locator('canvas').first().waitFor()
    mkdirSync(dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  it('switches the chart to cumulative reward', async () => {
    await page.getByTestId('view-reward').click()
    expect(await page.getByTestId('view-reward').getAttribute('aria-selected')).toBe('true')
    await page
      .getByTestId('trace-chart')
      .screenshot({ path: SCREENSHOT.replace('.png', '-reward-chart.png') })
  })

  it("rejects a bad task name sent from the page's own WebSocket with a validation error", async () => {
    const reply = await page.evaluate(
      (url) =>
        new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve, reject) => {
          const ws = new WebSocket(url)
          ws.onerror = () => reject(new Error('websocket error'))
          ws.onopen = () =>
            ws.send(JSON.stringify({ id: 9, channel: 'rollout:run', payload: { task: 'circle' } }))
          ws.onmessage = (ev) => {
            ws.close()
            resolve(JSON.parse(String(ev.data)) as { ok: boolean; error?: { code: string; message: string } })
          }
        }),
      withToken(server.bridgeUrl, server.token)
    )
    expect(reply.ok).toBe(false)
    expect(reply.error?.code).toBe('bad-request')
    expect(reply.error?.message).toContain('task')
  })

  it('goes to the Runs view and back with the browser history, keeping the rollout', async () => {
    expect(page.url()).toMatch(/\?bridge=ws[^#]*#\/$/)
    expect(await page.getByTestId('nav-rollout').getAttribute('aria-current')).toBe('page')
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-empty').waitFor()
    // The page's query string (the bridge address) stays; the route is in the hash.
    expect(page.url()).toMatch(/\?bridge=ws[^#]*#\/runs$/)
    expect(await page.getByTestId('nav-runs').getAttribute('aria-current')).toBe('page')
    expect(await page.getByTestId('rollout-view').count()).toBe(0)
    await page.screenshot({ path: SCREENSHOT.replace('pentagon.png', 'runs-empty.png'), fullPage: true })

    await page.goBack()
    await page.getByTestId('rollout-view').waitFor()
    expect(page.url()).toMatch(/#\/$/)
    expect(await page.getByTestId('runs-view').count()).toBe(0)
    // The rollout of the first visit is still on screen.
    expect((await page.getByTestId('food-eaten').textContent())?.trim()).toBe('3')
    expect(await painted(page.getByTestId('arena-canvas'))).toBeGreaterThan(20)

    await page.goForward()
    await page.getByTestId('runs-view').waitFor()
    expect(page.url()).toMatch(/#\/runs$/)
    await page.getByTestId('nav-rollout').click()
    await page.getByTestId('rollout-view').waitFor()
  })

  it('sends an unknown address to the rollout', async () => {
    await page.goto('about:blank')
    await page.goto(`${server.url}#/no/such/page`)
    await page.getByTestId('rollout-view').waitFor()
    expect(page.url()).toMatch(/\?bridge=ws[^#]*#\/$/)
    await page.getByTestId('connections-count').waitFor()
  })

  it('logged no errors, warnings or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
