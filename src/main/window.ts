/** The app's one window: locked-down web preferences, the remembered bounds, the renderer loaded. */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron'
import { keepWindowState, MIN_WINDOW, readWindowState, type Rect, type WindowState } from './window-state'

/** The window's options. The web preferences are the security settings test/main asserts. */
export function windowOptions(preloadFile: string, state: WindowState): BrowserWindowConstructorOptions {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'Connectome Lab',
    backgroundColor: '#0f1216',
    webPreferences: {
      preload: preloadFile,
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
    }
  }
}

export interface CreateWindowOptions {
  preloadFile: string
  rendererFile: string
  devServerUrl?: string
  /** userData/window-state.json. */
  stateFile: string
  /** The displays' work areas (screen.getAllDisplays()), to tell an off-screen position. */
  workAreas: Rect[]
  log?: (message: string) => void
}

export function createWindow(o: CreateWindowOptions): BrowserWindow {
  const { state, problem } = readWindowState(o.stateFile, o.workAreas)
  if (problem) o.log?.(`window state: ${problem}; using the defaults`)
  const win = new BrowserWindow(windowOptions(o.preloadFile, state))
  if (state.maximized) win.maximize()
  keepWindowState(win, o.stateFile, { log: o.log })
  win.once('ready-to-show', () => win.show())
  if (o.devServerUrl) void win.loadURL(o.devServerUrl)
  else void win.loadFile(o.rendererFile)
  return win
}
