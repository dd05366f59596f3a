/** createWindow (src/main/window.ts) with Electron mocked: the remembered state and the security settings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeBrowserWindow } from './fake-electron'

vi.mock('electron', () => ({ BrowserWindow: FakeBrowserWindow }))
const { createWindow, windowOptions } = await import('../../src/main/window')

const dir = mkdtempSync(join(tmpdir(), 'connectome-lab-window-'))
const stateFile = join(dir, 'window-state.json')
const base = {
  preloadFile: '/app/out/preload/index.cjs',
  rendererFile: '/app/out/renderer/index.html',
  stateFile,
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1080 }]
}
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeEach(() => {
  FakeBrowserWindow.all = []
  rmSync(stateFile, { force: true })
})

describe('createWindow', () => {
  it('opens where the window was left, maximised again if it was', () => {
    writeFileSync(stateFile, JSON.stringify({ x: 200, y: 100, width: 1100, height: 700, maximized: true }))
    const win = createWindow(base) as unknown as FakeBrowserWindow
    expect(win.options).toMatchObject({ x: 200, y: 100, width: 1100, height: 700, show: false })
    expect(win.maximized).toBe(true)
    expect(win.loaded).toEqual({ file: base.rendererFile })
  })

  it('falls back to the defaults for a corrupt state file, and says so', () => {
    writeFileSync(stateFile, '\u0000garbage')
    const logs: string[] = []
    const win = createWindow({ ...base, log: (m) => logs.push(m) }) as unknown as FakeBrowserWindow
    expect(win.options).toMatchObject({ width: 1360, height: 900 })
    expect(win.options.x).toBeUndefined()
    expect(logs[0]).toMatch(/window state: .* using the defaults/)
  })

  it('loads the dev server in development', () => {
    const win = createWindow({
      ...base,
      devServerUrl: 'http://localhost:5173'
    }) as unknown as FakeBrowserWindow
    expect(win.loaded).toEqual({ url: 'http://localhost:5173' })
  })
})

describe('windowOptions', () => {
  it('always has the locked-down web preferences, whatever the state', () => {
    const prefs = windowOptions('/p.cjs', { width: 1000, height: 700, maximized: false }).webPreferences
    expect(prefs).toEqual({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false
    })
  })
})
