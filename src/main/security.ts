import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { pathToFileURL } from 'node:url'
import { contentSecurityPolicy } from '../shared/csp'

/** Whether a URL belongs to the app: the packaged renderer file, or the dev server in development. */
export function makeAppUrlCheck(opts: {
  rendererFile: string
  devServerUrl?: string
}): (url: string) => boolean {
  const fileUrl = pathToFileURL(opts.rendererFile)
  const devOrigin = opts.devServerUrl ? new URL(opts.devServerUrl).origin : null
  return (raw) => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return false
    }
    if (url.protocol === 'file:') return url.pathname === fileUrl.pathname
    return devOrigin !== null && url.origin === devOrigin
  }
}

/** CSP header on every response of the session (the renderer's <meta> tag carries the same policy). */
export function installCsp(session: Session, devServerUrl?: string): void {
  // In development the Vite dev server needs its HMR WebSocket.
  const connect = devServerUrl ? [new URL(devServerUrl).origin.replace(/^http/, 'ws')] : []
  const policy = contentSecurityPolicy({ connect })
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
}

/** No permissions (camera, notifications, ...) for anything. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** The window stays on the app: no navigation away, no new windows, no <webview>. */
export function lockNavigation(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** Whether an IPC call comes from the app's own top-level frame (not an iframe, not another page). */
export function makeTrustedSenderCheck(
  isAppUrl: (url: string) => boolean
): (event: Pick<IpcMainInvokeEvent, 'senderFrame'>) => boolean {
  return (event) => {
    const frame = event.senderFrame
    return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url)
  }
}
