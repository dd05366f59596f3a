/**
 * The real main process (src/main/index.ts) started against a fake `electron` module: the window's
 * security settings, the CSP on every response, locked navigation and pop-ups, denied permissions, the
 * IPC handlers (untrusted senders and invalid payloads refused, nothing written), the menu installed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../src/shared/methods'
import { SAVE_FILE_CHANNEL } from '../../src/shared/shell'
import { createFakeElectron, FakeBrowserWindow, FakeWebContents } from './fake-electron'

const dir = mkdtempSync(join(tmpdir(), 'connectome-lab-main-'))
const fake = vi.hoisted(() => ({ current: null as ReturnType<typeof createFakeElectron> | null }))
vi.mock('electron', () => fake.current!.electron)

let win: FakeBrowserWindow
const trusted = (): unknown => ({
  sender: win.webContents,
  senderFrame: { url: win.webContents.getURL(), parent: null }
})

beforeAll(async () => {
  process.env.CONNECTOME_LAB_DB = join(dir, 'workspace.db')
  fake.current = createFakeElectron(join(dir, 'userData'))
  await import('../../src/main/index')
  await vi.waitFor(() => expect(FakeBrowserWindow.all.length).toBe(1))
  win = FakeBrowserWindow.all[0]
})

afterAll(async () => {
  // before-quit closes the backend (runs paused, pool and database closed), then quits.
  fake.current!.electron.app.emit('before-quit', { preventDefault: () => {} })
  await vi.waitFor(() => expect(fake.current!.state.quitCalls).toBe(1))
  rmSync(dir, { recursive: true, force: true })
  delete process.env.CONNECTOME_LAB_DB
})

describe('the window', () => {
  it('is locked down: context isolation, sandbox, no Node, web security on', () => {
    expect(fake.current!.state.sandboxEnabled).toBe(true)
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(String(win.options.webPreferences!.preload)).toMatch(/preload[\\/]index\.cjs$/)
    expect(win.loaded.file).toMatch(/renderer[\\/]index\.html$/)
  })

  it('starts with the default size when no state was saved', () => {
    expect(win.options).toMatchObject({ width: 1360, height: 900 })
    expect(win.options.x).toBeUndefined()
  })
})

describe('the session', () => {
  it('puts the CSP on every response', () => {
    let out: { responseHeaders: Record<string, string[]> } | null = null
    fake.current!.headersHook()!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (out = r as typeof out))
    const csp = out!.responseHeaders['Content-Security-Policy'][0]
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toMatch(/unsafe-eval|https?:/)
    expect(out!.responseHeaders['X-Other']).toEqual(['1'])
  })

  it('denies every permission request and check', () => {
    const answers: boolean[] = []
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read'])
      fake.current!.permissionRequest()!({}, p, (ok) => answers.push(ok))
    expect(answers).toEqual([false, false, false, false])
    expect(fake.current!.permissionCheck()!({}, 'media')).toBe(false)
  })

  it('keeps every web contents on the app: no navigation away, no pop-ups, no <webview>', () => {
    const wc = new FakeWebContents()
    fake.current!.electron.app.emit('web-contents-created', {}, wc)
    const navigate = (event: string, url: string): boolean => {
      let prevented = false
      wc.emit(event, { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(navigate('will-navigate', 'https://example.com/')).toBe(true)
    expect(navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true)
    expect(navigate('will-navigate', win.webContents.getURL())).toBe(false)
    expect(navigate('will-attach-webview', 'file:///x')).toBe(true)
    expect(wc.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  })
})

describe('IPC', () => {
  const call = (channel: string, event: unknown, payload: unknown) =>
    fake.current!.handlers.get(channel)!(event, payload) as Promise<{
      ok: boolean
      error?: { code: string; message: string }
      result?: unknown
    }>

  it('registers exactly the API channels and the save-file channel', () => {
    expect([...fake.current!.handlers.keys()].sort()).toEqual([...CHANNELS, SAVE_FILE_CHANNEL].sort())
  })

  it('answers the API from the app frame and refuses other frames', async () => {
    const ok = await call('app:info', trusted(), undefined)
    expect(ok).toMatchObject({ ok: true, result: { runtime: 'electron', version: '0.1.0-test' } })
    const iframe = { sender: win.webContents, senderFrame: { url: win.webContents.getURL(), parent: {} } }
    const other = { sender: win.webContents, senderFrame: { url: 'https://example.com/', parent: null } }
    for (const e of [iframe, other, { sender: win.webContents, senderFrame: null }]) {
      const r = await call('app:info', e, undefined)
      expect(r).toMatchObject({ ok: false, error: { code: 'transport' } })
      expect(r.error!.message).toMatch(/untrusted frame/)
    }
    const bad = await call('runs:export-genome', trusted(), { id: 'r1', format: 'xls' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })

  it('refuses a save-file call from an untrusted frame without opening a dialog', async () => {
    const before = fake.current!.state.saveDialogCalls.length
    const r = await call(
      SAVE_FILE_CHANNEL,
      { sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      {
        suggestedName: 'g.npy',
        bytes: new Uint8Array([1, 2, 3])
      }
    )
    expect(r).toMatchObject({ ok: false, error: { code: 'transport' } })
    expect(fake.current!.state.saveDialogCalls.length).toBe(before)
  })

  it('refuses invalid save-file payloads with a clear error naming the field, and writes nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { suggestedName: '../../.bashrc', bytes: new Uint8Array(1) },
        /suggestedName: a file name only, without path separators/
      ],
      [{ suggestedName: 'C:\\x.npy', bytes: new Uint8Array(1) }, /suggestedName: a file name only/],
      [{ suggestedName: '', bytes: new Uint8Array(1) }, /suggestedName: the file name is empty/],
      [{ suggestedName: 'x'.repeat(201), bytes: new Uint8Array(1) }, /suggestedName: at most 200 characters/],
      [{ suggestedName: 'g.npy', bytes: [1, 2, 3] }, /bytes: expected a Uint8Array/],
      [{ suggestedName: 'g.npy', bytes: 'AAAA' }, /bytes: expected a Uint8Array/],
      [
        { suggestedName: 'g.npy', bytes: new Uint8Array(1), filters: [{ name: 'x', extensions: ['.npy'] }] },
        /filters\.0\.extensions\.0: an extension is 1-16 letters/
      ],
      [{ suggestedName: 'g.npy', bytes: new Uint8Array(1), path: '/etc/passwd' }, /Unrecognized key/],
      [null, /expected object/]
    ]
    fake.current!.state.saveDialogAnswer = { canceled: false, filePath: join(dir, 'should-not-exist.npy') }
    const before = fake.current!.state.saveDialogCalls.length
    for (const [payload, message] of cases) {
      const r = await call(SAVE_FILE_CHANNEL, trusted(), payload)
      expect(r.ok, JSON.stringify(payload)).toBe(false)
      expect(r.error!.code).toBe('bad-request')
      expect(r.error!.message).toMatch(message)
    }
    expect(fake.current!.state.saveDialogCalls.length).toBe(before)
    expect(existsSync(join(dir, 'should-not-exist.npy'))).toBe(false)
  })

  it('saves through the native dialog: the chosen file gets exactly the bytes; cancel writes nothing', async () => {
    const target = join(dir, 'chosen.npy')
    fake.current!.state.saveDialogAnswer = { canceled: false, filePath: target }
    const bytes = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
    const r = await call(SAVE_FILE_CHANNEL, trusted(), {
      suggestedName: 'genome.npy',
      bytes,
      filters: [{ name: 'NumPy array', extensions: ['npy'] }]
    })
    expect(r).toEqual({ ok: true, result: { saved: true, path: target } })
    expect(Array.from(readFileSync(target))).toEqual(Array.from(bytes))
    const options = fake.current!.state.saveDialogCalls.at(-1) as { defaultPath: string; filters: unknown }
    expect(options.defaultPath).toBe(join(dir, 'userData', 'downloads', 'genome.npy'))
    expect(options.filters).toEqual([{ name: 'NumPy array', extensions: ['npy'] }])
    // No temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])

    fake.current!.state.saveDialogAnswer = { canceled: true }
    const cancelled = await call(SAVE_FILE_CHANNEL, trusted(), { suggestedName: 'other.npy', bytes })
    expect(cancelled).toEqual({ ok: true, result: { saved: false } })
    expect(existsSync(join(dir, 'userData', 'downloads', 'other.npy'))).toBe(false)
  })

  it('refuses to overwrite the workspace database', async () => {
    fake.current!.state.saveDialogAnswer = { canceled: false, filePath: join(dir, 'workspace.db') }
    const r = await call(SAVE_FILE_CHANNEL, trusted(), { suggestedName: 'g.npy', bytes: new Uint8Array(4) })
    expect(r.ok).toBe(false)
    expect(r.error!.message).toMatch(/is the workspace database/)
  })
})

describe('the menu', () => {
  it('is installed, and File → Export genome… reaches the focused window', () => {
    const template = fake.current!.state.menuTemplate as {
      label?: string
      submenu: { id?: string; click?: () => void }[]
    }[]
    const file = template.find((m) => m.label === 'File')!
    file.submenu.find((i) => i.id === 'export-genome')!.click!()
    file.submenu.find((i) => i.id === 'new-run')!.click!()
    expect(win.webContents.sent).toEqual([
      { channel: 'menu:command', payload: 'export-genome' },
      { channel: 'menu:command', payload: 'new-run' }
    ])
  })
})
