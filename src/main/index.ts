/**
 * Electron main process: a thin shell. It opens one locked-down window, forwards the typed API channels
 * to the backend (src/engine/api), which validates every payload, and forwards the backend's run events
 * to the window. The backend's runs use the per-user workspace shared with the `lab` CLI.
 */
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { createLabBackend, type LabBackend } from '../engine/api'
import { defaultDbPath } from '../engine/paths'
import { forwardRunEvents, registerApi } from './ipc'
import { denyPermissions, installCsp, lockNavigation, makeAppUrlCheck } from './security'

const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const rendererFile = join(import.meta.dirname, '../renderer/index.html')
const preloadFile = join(import.meta.dirname, '../preload/index.cjs')
const isAppUrl = makeAppUrlCheck({ rendererFile, devServerUrl })

// Before app ready: renderers run sandboxed, whatever a window asks for.
app.enableSandbox()

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 980,
    minHeight: 640,
    show: false,
    title: 'Connectome Lab',
    backgroundColor: '#0f1216',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(rendererFile)
  return win
}

const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

let backend: LabBackend | null = null

void app.whenReady().then(() => {
  installCsp(session.defaultSession, devServerUrl)
  denyPermissions(session.defaultSession)
  backend = createLabBackend({
    runtime: 'electron',
    version: app.getVersion(),
    dbPath: defaultDbPath(),
    onInternalError: (channel, error) => console.error(`[api] ${channel}:`, error)
  })
  registerApi(ipcMain, backend.handle, isTrustedSender)
  forwardRunEvents(
    backend.onRunEvent,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    isAppUrl
  )
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
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
