/**
 * The renderer's only way to the backend: a typed LabApi over Electron IPC (`window.lab`, exposed by the
 * preload) or, in a plain browser, over the WebSocket bridge of `lab serve` / `npm start` given as
 * `?bridge=ws://...&token=...` (the bridge refuses connections without the server's session token).
 * Every response and every pushed run event is validated against the shared contract on receipt.
 */
import {
  LAB_METHODS,
  LabApiError,
  RUN_EVENT_CHANNEL,
  decodeErrorMessage,
  type ApiEnvelope,
  type Channel,
  type LabApi,
  type LabMethod,
  type Unsubscribe
} from '../../shared/api'
import { bridgeRefusal, bridgeUrlFrom, createApi, type RawCall, type RawSubscribe } from '../../shared/client'
import type { MenuCommand, SaveFileRequest, SaveFileResult } from '../../shared/shell'

export type Transport = 'electron' | 'bridge' | 'none'
type Call = RawCall

const REQUEST_TIMEOUT_MS = 60_000
/** A bridge that neither opens nor fails in this time is reported unreachable (the page never hangs). */
const CONNECT_TIMEOUT_MS = 10_000

/**
 * A minimal client for the bridge protocol: requests `{id, channel, payload}` → `{id, ok, ...}`, and
 * pushed run events `{event: 'runs:event', payload}`.
 */
export class BridgeClient {
  private readonly eventListeners = new Set<(raw: unknown) => void>()
  private socket: WebSocket | null = null
  private opening: Promise<WebSocket> | null = null
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve: (e: ApiEnvelope) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >()

  constructor(readonly url: string) {}

  call(channel: Channel, payload: unknown): Promise<ApiEnvelope> {
    return this.open().then(
      (ws) =>
        new Promise<ApiEnvelope>((resolve, reject) => {
          const id = this.nextId++
          const timer = setTimeout(() => {
            this.pending.delete(id)
            reject(
              new LabApiError(
                'transport',
                `${channel}: no answer from the bridge in ${REQUEST_TIMEOUT_MS / 1000} s`
              )
            )
          }, REQUEST_TIMEOUT_MS)
          this.pending.set(id, { resolve, reject, timer })
          ws.send(JSON.stringify(payload === undefined ? { id, channel } : { id, channel, payload }))
        })
    )
  }

  /** Listens to pushed run events; opens the connection so the server starts sending them. */
  subscribe(listener: (raw: unknown) => void): Unsubscribe {
    this.eventListeners.add(listener)
    this.open().catch(() => {
      /* reported by the next call */
    })
    return () => void this.eventListeners.delete(listener)
  }

  private open(): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket)
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url)
      // A connection the page's CSP blocks fires no event on the socket: only this one on the document.
      const onViolation = (ev: SecurityPolicyViolationEvent): void => {
        if (ev.blockedURI && this.url.startsWith(ev.blockedURI))
          fail(`the page's Content-Security-Policy blocked it`)
      }
      const timer = setTimeout(
        () => fail(`no connection in ${CONNECT_TIMEOUT_MS / 1000} s`),
        CONNECT_TIMEOUT_MS
      )
      let settled = false
      const settle = (): void => {
        settled = true
        clearTimeout(timer)
        document.removeEventListener('securitypolicyviolation', onViolation)
      }
      const fail = (why: string): void => {
        if (settled) return
        settle()
        this.opening = null
        ws.close()
        reject(new LabApiError('transport', `cannot reach the bridge at ${redacted(this.url)}: ${why}`))
      }
      document.addEventListener('securitypolicyviolation', onViolation)
      ws.addEventListener('open', () => {
        settle()
        this.socket = ws
        this.opening = null
        resolve(ws)
      })
      ws.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data))
      ws.addEventListener('close', () => {
        settle()
        const wasOpen = this.socket === ws
        this.socket = null
        this.opening = null
        // Keep the event stream alive across a dropped connection (one retry per drop).
        if (wasOpen && this.eventListeners.size) {
          setTimeout(() => this.open().catch(() => {}), 1500)
        }
        reject(new LabApiError('transport', `cannot reach the bridge at ${redacted(this.url)}`))
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer)
          p.reject(new LabApiError('transport', 'the bridge connection closed'))
          this.pending.delete(id)
        }
      })
    })
    return this.opening
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return
    let msg: { id?: unknown; event?: unknown; payload?: unknown } & Partial<ApiEnvelope>
    try {
      msg = JSON.parse(data) as typeof msg
    } catch {
      return
    }
    if (msg.event === RUN_EVENT_CHANNEL && msg.id === undefined) {
      for (const listener of this.eventListeners) listener(msg.payload)
      return
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined
    if (!p) return
    clearTimeout(p.timer)
    this.pending.delete(msg.id as number)
    if (msg.ok === true) p.resolve({ ok: true, result: msg.result })
    else if (msg.ok === false && msg.error) p.resolve({ ok: false, error: msg.error })
    else p.reject(new LabApiError('transport', 'the bridge sent a malformed answer'))
  }
}

/** The bridge URL without its session token, for messages. */
function redacted(url: string): string {
  const u = new URL(url)
  if (u.searchParams.has('token')) u.searchParams.set('token', '…')
  return u.href
}

function detect(): { transport: Transport; api: LabApi; bridgeUrl: string | null } {
  const lab = typeof window !== 'undefined' ? window.lab : undefined
  if (lab) {
    const call: Call = async (channel, payload) => {
      const method = (Object.keys(LAB_METHODS) as LabMethod[]).find((m) => LAB_METHODS[m] === channel)!
      try {
        return await (lab[method] as (p?: unknown) => Promise<unknown>)(payload)
      } catch (e) {
        throw decodeErrorMessage(e instanceof Error ? e.message : String(e))
      }
    }
    const subscribe: RawSubscribe = (listener) => lab.onRunEvent(listener)
    return { transport: 'electron', api: createApi(call, subscribe), bridgeUrl: null }
  }
  const bridgeUrl = typeof location !== 'undefined' ? bridgeUrlFrom(location.search) : null
  const refused = bridgeUrl ? bridgeRefusal(bridgeUrl, location) : null
  if (refused) {
    const call: Call = () => Promise.reject(new LabApiError('transport', refused))
    return { transport: 'none', api: createApi(call, () => () => {}), bridgeUrl: null }
  }
  if (bridgeUrl) {
    const client = new BridgeClient(bridgeUrl)
    const call: Call = async (channel, payload) => {
      const envelope = await client.call(channel, payload)
      if (!envelope.ok)
        throw new LabApiError(envelope.error.code, envelope.error.message, envelope.error.issues)
      return envelope.result
    }
    return { transport: 'bridge', api: createApi(call, (listener) => client.subscribe(listener)), bridgeUrl }
  }
  const none: Call = () =>
    Promise.reject(
      new LabApiError(
        'transport',
        'no backend: open Connectome Lab in its window, or the URL `npm start` or `lab serve` prints'
      )
    )
  return { transport: 'none', api: createApi(none, () => () => {}), bridgeUrl: null }
}

/**
 * Takes the session token out of the address bar once the bridge client holds it (in memory: reconnects
 * use it); a reload is let in by the session cookie `lab serve` set (HttpOnly), so the address keeps only
 * `?bridge=`. The token then shows neither in the address bar nor in the history or a copied link.
 */
function forgetTokenInAddress(): void {
  const url = new URL(location.href)
  if (!url.searchParams.has('token')) return
  url.searchParams.delete('token')
  history.replaceState(history.state, '', url.href)
}

const detected = detect()
if (detected.transport === 'bridge') forgetTokenInAddress()

export const api: LabApi = detected.api
export const transport: Transport = detected.transport
export { LabApiError }

/** The Electron shell's native save dialog and menu commands (null in a browser). */
export interface Shell {
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>
  onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe
}

function detectShell(): Shell | null {
  const s = typeof window !== 'undefined' ? window.labShell : undefined
  if (!s) return null
  return {
    async saveFile(request) {
      try {
        return await s.saveFile(request)
      } catch (e) {
        throw decodeErrorMessage(e instanceof Error ? e.message : String(e))
      }
    },
    onMenuCommand: (listener) => s.onMenuCommand(listener)
  }
}

export const shell: Shell | null = detectShell()
