/**
 * A stand-in for the `electron` module, enough for the main process to start under vitest: it records
 * what the main process sets up (IPC handlers, windows and their options, session hooks, the menu, app
 * event listeners) so the tests can drive and inspect it. Used with `vi.mock('electron', ...)`.
 */
import { EventEmitter } from 'node:events'

type Handler = (event: unknown, payload: unknown) => unknown

export class FakeWebContents extends EventEmitter {
  url = ''
  sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  isDestroyed = (): boolean => false
  getURL = (): string => this.url
  send = (channel: string, payload: unknown): void => void this.sent.push({ channel, payload })
  setWindowOpenHandler = (h: (details: { url: string }) => { action: string }): void => {
    this.windowOpenHandler = h
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = []
  static focused: FakeBrowserWindow | null = null
  webContents = new FakeWebContents()
  maximized = false
  loaded: { file?: string; url?: string } = {}
  bounds: { x: number; y: number; width: number; height: number }
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super()
    this.bounds = {
      x: (options.x as number) ?? 0,
      y: (options.y as number) ?? 0,
      width: options.width as number,
      height: options.height as number
    }
    FakeBrowserWindow.all.push(this)
    FakeBrowserWindow.focused = this
  }
  static getAllWindows = (): FakeBrowserWindow[] => FakeBrowserWindow.all
  static getFocusedWindow = (): FakeBrowserWindow | null => FakeBrowserWindow.focused
  static fromWebContents = (wc: FakeWebContents): FakeBrowserWindow | null =>
    FakeBrowserWindow.all.find((w) => w.webContents === wc) ?? null
  maximize = (): void => void (this.maximized = true)
  isMaximized = (): boolean => this.maximized
  isDestroyed = (): boolean => false
  getNormalBounds = (): typeof this.bounds => this.bounds
  show = (): void => {}
  loadFile = (file: string): Promise<void> => {
    this.loaded = { file }
    this.webContents.url = `file://${file}`
    return Promise.resolve()
  }
  loadURL = (url: string): Promise<void> => {
    this.loaded = { url }
    this.webContents.url = url
    return Promise.resolve()
  }
}

export function createFakeElectron(userData: string) {
  const handlers = new Map<string, Handler>()
  const appEvents = new EventEmitter()
  let headersHook: ((details: unknown, cb: (r: unknown) => void) => void) | null = null
  let permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null
  let permissionCheck: ((...args: unknown[]) => boolean) | null = null
  const state = {
    sandboxEnabled: false,
    menuTemplate: null as unknown[] | null,
    saveDialogCalls: [] as unknown[],
    saveDialogAnswer: { canceled: true } as { canceled: boolean; filePath?: string },
    quitCalls: 0
  }
  const app = Object.assign(appEvents, {
    isPackaged: false,
    enableSandbox: () => void (state.sandboxEnabled = true),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? userData : `${userData}/${name}`),
    getVersion: () => '0.1.0-test',
    getName: () => 'Connectome Lab',
    quit: () => void state.quitCalls++
  })
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, h: Handler) => void handlers.set(channel, h),
      removeHandler: (channel: string) => void handlers.delete(channel)
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: typeof headersHook) => void (headersHook = h) },
        setPermissionRequestHandler: (h: typeof permissionRequest) => void (permissionRequest = h),
        setPermissionCheckHandler: (h: typeof permissionCheck) => void (permissionCheck = h)
      }
    },
    dialog: {
      showSaveDialog: (...args: unknown[]) => {
        state.saveDialogCalls.push(args.at(-1))
        return Promise.resolve(state.saveDialogAnswer)
      },
      showMessageBox: () => Promise.resolve({ response: 0 })
    },
    Menu: {
      buildFromTemplate: (t: unknown[]) => t,
      setApplicationMenu: (m: unknown[]) => void (state.menuTemplate = m)
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
  }
  return {
    electron,
    state,
    handlers,
    headersHook: () => headersHook,
    permissionRequest: () => permissionRequest,
    permissionCheck: () => permissionCheck
  }
}
