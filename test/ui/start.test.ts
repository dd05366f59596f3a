/**
 * `npm start` as a user runs it, with no Electron binary: a real `npm start` in its own process group, on
 * a temporary workspace and HOME. It must print the browser-mode line with its token URL, serve the lab
 * (checked in headless Chromium: the connectome card, a rollout), keep the bridge behind the token, and
 * stop on Ctrl-C or SIGTERM with its server and worker pool closed and no process of its group left.
 * With an Electron binary (a stand-in script here), it runs `electron-vite preview` instead. Also `lab
 * serve`, which prints its URL with the token too.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { browserCommand, buildNeeded, electronBinary } from '../../scripts/start'
import { Store } from '../../src/engine/store/store'
import { GroupProcess, groupMembers } from '../helpers/processes'
import { connect } from './bridge-client'
import { HAS_CHROMIUM, launchChromium, ROOT } from './browser'

const LINE =
  /^Connectome Lab in browser mode \(no Electron binary found\): (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{32}))  \(Ctrl-C to stop\)$/m
const SCREENSHOT = join(ROOT, 'test/ui/__screenshots__/start-browser-mode.png')
const FIRST_START_MS = 180_000 // the first start builds the app

let tmp = ''
const started: GroupProcess[] = []

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-start-'))
  for (const dir of ['home', 'config', 'no-electron', 'electron']) mkdirSync(join(tmp, dir))
  // A stand-in for the system browser, and one for the Electron binary: each notes how it was called.
  writeScript(join(tmp, 'browser'), `printf '%s\\n' "$1" >> "${join(tmp, 'browser.log')}"`)
  writeScript(join(tmp, 'electron', 'electron'), `printf '%s\\n' "$*" > "${join(tmp, 'electron.log')}"`)
})

afterEach(() => {
  for (const p of started.splice(0)) p.killGroup()
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

function writeScript(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
}

/** The environment of a user's shell: this Node first on PATH, none of the test runner's variables. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_ENV$|NODE_OPTIONS$|ELECTRON_|BROWSER$|CONNECTOME_LAB_)/.test(k)) continue
    env[k] = v
  }
  return {
    ...env,
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    HOME: join(tmp, 'home'),
    XDG_CONFIG_HOME: join(tmp, 'config'),
    npm_config_update_notifier: 'false',
    ...extra
  }
}

function npmStart(extra: Record<string, string> = {}): GroupProcess {
  const p = new GroupProcess('npm', ['start'], {
    cwd: ROOT,
    env: userEnv({
      CONNECTOME_LAB_DB: join(tmp, 'workspace', 'workspace.db'),
      ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'no-electron'), // no binary, even where Electron is installed
      BROWSER: join(tmp, 'browser'),
      ...extra
    })
  })
  started.push(p)
  return p
}

/** Lines the program printed on stdout (npm's own `> script` header left out). */
const programLines = (stdout: string): string[] =>
  stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('> '))

describe('npm start helpers', () => {
  it('finds the Electron binary as the electron package does', () => {
    const root = join(tmp, 'fake-root')
    const pkg = join(root, 'node_modules', 'electron')
    mkdirSync(join(pkg, 'dist'), { recursive: true })
    expect(electronBinary(root, {})).toBeNull() // no path.txt: the binary was never downloaded
    writeFileSync(join(pkg, 'path.txt'), 'electron')
    expect(electronBinary(root, {})).toBeNull() // path.txt, but no binary
    writeFileSync(join(pkg, 'dist', 'electron'), '')
    expect(electronBinary(root, {})).toBe(join(pkg, 'dist', 'electron'))
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'no-electron') })).toBeNull()
    const standIn = join(tmp, 'electron', 'electron')
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'electron') })).toBe(standIn)
    expect(electronBinary(root, { ELECTRON_EXEC_PATH: standIn })).toBe(standIn)
    expect(electronBinary(root, { ELECTRON_EXEC_PATH: join(tmp, 'nothing') })).toBeNull()
  })

  it('picks the system browser: $BROWSER, none, or xdg-open only with a display', () => {
    const url = 'http://127.0.0.1:1/?token=t'
    expect(browserCommand(url, { BROWSER: 'firefox' }, 'linux')).toEqual(['firefox', [url]])
    expect(browserCommand(url, { BROWSER: 'chromium --new-window %s:lynx' }, 'linux')).toEqual([
      'chromium',
      ['--new-window', url]
    ])
    expect(browserCommand(url, { BROWSER: 'none', DISPLAY: ':0' }, 'linux')).toBeNull()
    expect(browserCommand(url, { PATH: '/usr/bin:/bin' }, 'linux')).toBeNull()
    expect(browserCommand(url, { PATH: tmp, DISPLAY: ':0' }, 'linux')).toBeNull() // no xdg-open there
    expect(browserCommand(url, {}, 'darwin')).toEqual(['open', [url]])
  })

  it('rebuilds when out/renderer is missing or older than the sources', () => {
    const root = join(tmp, 'build-root')
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'src', 'a.ts'), '')
    expect(buildNeeded(root)).toMatch(/no build/)
    mkdirSync(join(root, 'out', 'renderer'), { recursive: true })
    writeFileSync(join(root, 'out', 'renderer', 'index.html'), '')
    expect(buildNeeded(root)).toBeNull()
    const later = new Date(Date.now() + 60_000)
    writeFileSync(join(root, 'package.json'), '{}')
    utimesSync(join(root, 'package.json'), later, later)
    expect(buildNeeded(root)).toBe('package.json changed since the last build')
  })
})

const readLog = (name: string): string =>
  existsSync(join(tmp, name)) ? readFileSync(join(tmp, name), 'utf8') : ''

interface Frame {
  id?: unknown
  ok?: boolean
  result?: { id: string }
  event?: string
  payload?: { type: string; runId?: string }
}

describe('npm start without an Electron binary: browser mode', () => {
  const dbPath = (): string => join(tmp, 'workspace', 'workspace.db')

  it.skipIf(!HAS_CHROMIUM)(
    'prints one line with the token URL, serves the lab, and stops on Ctrl-C leaving no process behind',
    async () => {
      const p = npmStart()
      const [line, url, port, token] = await p.waitFor('stdout', LINE, FIRST_START_MS)
      expect(programLines(p.stdout)).toEqual([line])
      // The system browser was asked to open exactly that URL (the stand-in runs detached).
      await expect.poll(() => readLog('browser.log'), { timeout: 10_000 }).toBe(`${url}\n`)

      const problems: string[] = []
      const browser = await launchChromium(problems)
      try {
        const page = browser.page
        await page.goto(url)
        // The page keeps the token (memory, HttpOnly cookie) and takes it out of the address bar.
        await expect.poll(() => new URL(page.url()).searchParams.get('token')).toBeNull()
        const connections = page.getByTestId('connections-count')
        await connections.waitFor()
        expect(await connections.getAttribute('data-value')).toBe('3689')
        expect((await page.getByTestId('neurons-count').textContent())?.trim()).toBe('302')
        // A rollout of the default task (pentagon) from the page: the untrained worm eats 3 foods.
        await page.getByTestId('run-rollout').click()
        await page.locator('[data-testid="rollout-stats"][data-task="pentagon"]').waitFor()
        expect((await page.getByTestId('food-eaten').textContent())?.trim()).toBe('3')
        mkdirSync(dirname(SCREENSHOT), { recursive: true })
        await page.screenshot({ path: SCREENSHOT, fullPage: true })
        expect(problems).toEqual([])
      } finally {
        await browser.close()
      }

      // The bridge wants the token; with it, start a run so that the worker pool is up when Ctrl-C comes.
      const bridge = `ws://127.0.0.1:${port}/bridge`
      await expect(connect(bridge, null)).rejects.toThrow(/^HTTP 401$/)
      await expect(
        connect(
          bridge,
          token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
        )
      ).rejects.toThrow(/^HTTP 401$/)
      const ws: WebSocket = await connect(bridge, token)
      const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
      const frames: Frame[] = []
      ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame))
      const budget = { generations: 100_000 }
      ws.send(
        JSON.stringify({
          id: 1,
          channel: 'runs:start',
          payload: { algorithm: 'ea', config: { populationSize: 6 }, budget }
        })
      )
      await expect.poll(() => frames.find((f) => f.id === 1)?.ok, { timeout: 30_000 }).toBe(true)
      const runId = frames.find((f) => f.id === 1)!.result!.id
      const progressed = (): boolean =>
        frames.some((f) => f.payload?.type === 'progress' && f.payload.runId === runId)
      await expect.poll(progressed, { timeout: 60_000 }).toBe(true)
      const workers = groupMembers(p.pgid).filter((m) => m.cmd.includes('pool/worker.ts'))
      expect(workers.length).toBeGreaterThan(0)

      // Ctrl-C: the terminal signals the whole group.
      p.signalGroup('SIGINT')
      const exit = await p.waitExit(30_000)
      expect(p.stderr).toContain('npm start: stopped (SIGINT)')
      // The launcher exits 0; npm then re-raises the SIGINT it got itself.
      expect(exit.signal === 'SIGINT' || exit.code === 0, p.output()).toBe(true)
      await wsClosed
      await expect.poll(() => groupMembers(p.pgid), { timeout: 5_000 }).toEqual([])
      // The backend closed cleanly: the run is left paused, resumable.
      const store = Store.open(dbPath())
      try {
        expect(store.getRun(runId).status).toBe('paused')
      } finally {
        store.close()
      }
      expect(p.stderr).not.toMatch(/error/i)
    },
    240_000
  )

  it('starts without rebuilding a fresh out/, and stops on SIGTERM with exit code 0', async () => {
    const before = readLog('browser.log')
    const p = npmStart({ BROWSER: 'none' })
    await p.waitFor('stdout', LINE, FIRST_START_MS)
    if (HAS_CHROMIUM) expect(p.stderr).not.toContain('building') // the test above built it
    const launcher = groupMembers(p.pgid).find((m) => /^\S*node --import tsx scripts\/start\.ts/.test(m.cmd))
    expect(launcher, JSON.stringify(groupMembers(p.pgid))).toBeDefined()
    // SIGTERM to the launcher alone (npm does not pass SIGTERM on).
    process.kill(launcher!.pid, 'SIGTERM')
    expect(await p.waitExit(30_000)).toEqual({ code: 0, signal: null })
    expect(p.stderr).toContain('npm start: stopped (SIGTERM)')
    await expect.poll(() => groupMembers(p.pgid), { timeout: 5_000 }).toEqual([])
    expect(readLog('browser.log')).toBe(before) // BROWSER=none opens nothing
  }, 240_000)
})

describe('lab serve', () => {
  it('prints its URL with the session token; its bridge refuses connections without it', async () => {
    const staticDir = join(tmp, 'static')
    mkdirSync(staticDir, { recursive: true })
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title>')
    const args = ['serve', '--static', staticDir, '--db', join(tmp, 'serve.db'), '--workers', '1']
    const p = new GroupProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args], {
      cwd: ROOT,
      env: userEnv({})
    })
    started.push(p)
    const [line, , port, token] = await p.waitFor(
      'stdout',
      /^Connectome Lab at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{32}))  \(Ctrl-C to stop\)$/m,
      60_000
    )
    expect(programLines(p.stdout)).toEqual([line])
    const bridge = `ws://127.0.0.1:${port}/bridge`
    await expect(connect(bridge, null)).rejects.toThrow(/^HTTP 401$/)
    const ws = await connect(bridge, token)
    ws.close()
    p.signalGroup('SIGINT')
    expect(await p.waitExit(30_000)).toEqual({ code: 0, signal: null })
    await expect.poll(() => groupMembers(p.pgid), { timeout: 5_000 }).toEqual([])
  })
})

describe('npm start with an Electron binary', () => {
  it('runs electron-vite preview: it builds, then starts that binary on the app', async () => {
    // Last: electron-vite preview rebuilds out/.
    const p = npmStart({ ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'electron') })
    const exit = await p.waitExit(FIRST_START_MS)
    expect(exit, p.output()).toEqual({ code: 0, signal: null })
    expect(readLog('electron.log')).toBe('.\n')
    expect(p.stdout).toContain('starting electron app')
    expect(p.stdout).not.toContain('browser mode')
    expect(groupMembers(p.pgid)).toEqual([])
  }, 240_000)
})
