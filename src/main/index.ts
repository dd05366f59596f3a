/**
 * Electron main process: a thin shell. It opens one locked-down window (./window.ts), installs the menu
 * (./menu.ts), forwards the typed API channels to the backend (src/engine/api), which validates every
 * payload, answers the save-file channel itself with the native dialog (./dialogs.ts, validated here),
 * and forwards the backend's run events to the window. CPU work runs only in the backend's worker pool.
 * The backend's runs use the per-user workspace shared with the `lab` CLI.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session } from 'electron'
import { join } from 'node:path'
import { createLabBackend, type LabBackend } from '../engine/api'
import { defaultDbPath } from '../engine/paths'
import { registerSaveFile } from './dialogs'
import { forwardRunEvents, registerApi } from './ipc'
import { aboutText, menuTemplate, sendMenuCommand } from './menu'
import {
  denyPermissions,
  installCsp,
  lockNavigation,
  makeAppUrlCheck,
  makeTrustedSenderCheck
} from './security'
import { createWindow } from './window'

const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const rendererFile = join(import.meta.dirname, '../renderer/index.html')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')
const isAppUrl = makeAppUrlCheck({ rendererFile, devServerUrl })
const isTrustedSender = makeTrustedSenderCheck(isAppUrl)
const log = (message: string): void => console.error(`[main] ${message}`)

// Before app ready: renderers run sandboxed, whatever a window asks for.
app.enableSandbox()

function openWindow(): BrowserWindow {
  return createWindow({
    preloadFile,
    rendererFile,
    devServerUrl,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    workAreas: screen.getAllDisplays().map((d) => d.workArea),
    log
  })
}

function showAbout(): void {
  const { message, detail } = aboutText(app.getName(), app.getVersion(), process.versions)
  const win = BrowserWindow.getFocusedWindow()
  const options = { type: 'info' as const, title: `About ${app.getName()}`, message, detail, buttons: ['OK'] }
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))
}

let backend: LabBackend | null = null

void app.whenReady().then(() => {
  const dbPath = defaultDbPath()
  installCsp(session.defaultSession, devServerUrl)
  denyPermissions(session.defaultSession)
  backend = createLabBackend({
    runtime: 'electron',
    version: app.getVersion(),
    dbPath,
    onInternalError: (channel, error) => console.error(`[api] ${channel}:`, error)
  })
  registerApi(ipcMain, backend.handle, isTrustedSender)
  registerSaveFile(
    ipcMain,
    {
      showSaveDialog: (event, options) => {
        const win = BrowserWindow.fromWebContents(event.sender)
        return win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options)
      },
      defaultDir: () => app.getPath('downloads'),
      avoid: [dbPath]
    },
    isTrustedSender
  )
  forwardRunEvents(
    backend.onRunEvent,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    isAppUrl
  )
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        isDev: !app.isPackaged,
        platform: process.platform,
        appName: app.getName(),
        command: (command) =>
          void sendMenuCommand(BrowserWindow.getFocusedWindow()?.webContents ?? null, command, isAppUrl),
        about: showAbout
      })
    )
  )
  openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
})

// Every web contents (the main window included) stays on the app: no navigation, pop-ups or <webview>.
app.on('web-contents-created', (_event, contents) => lockNavigation(contents, isAppUrl))

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// Before quitting: runs training here are left paused (resumable with `lab resume` or from the app), the
// worker pool is closed and the workspace database flushed.
let closing = false
app.on('before-quit', (event) => {
  if (!backend || closing) return
  event.preventDefault()
  closing = true
  const b = backend
  void b
    .close()
    .catch((e: unknown) => console.error('[runs] shutdown:', e))
    .finally(() => {
      backend = null
      app.quit()
    })
})
