/**
 * Client side of the contract, transport-agnostic: turns a raw `call(channel, payload)` (Electron IPC or
 * the WebSocket bridge) into a LabApi whose every response is validated against the contract, and a raw
 * event subscription into `onRunEvent`, whose every event is validated too.
 */
import {
  API_CHANNELS,
  LAB_METHODS,
  LabApiError,
  describeIssues,
  runEventSchema,
  type Channel,
  type LabApi,
  type LabMethod,
  type RunEvent,
  type Unsubscribe
} from './api'

/** Resolves with the result of a successful call; rejects with a LabApiError otherwise. */
export type RawCall = (channel: Channel, payload: unknown) => Promise<unknown>

/** Subscribes to the raw run events of a transport. */
export type RawSubscribe = (listener: (raw: unknown) => void) => Unsubscribe

/** Events outside the contract are dropped and reported here (default: console.error). */
export type InvalidEventHandler = (error: LabApiError) => void

const reportInvalidEvent: InvalidEventHandler = (e) => console.error(e.message)

export function createApi(
  call: RawCall,
  subscribe: RawSubscribe,
  onInvalidEvent: InvalidEventHandler = reportInvalidEvent
): LabApi {
  const api: Partial<Record<LabMethod, (payload?: unknown) => Promise<unknown>>> = {}
  for (const [method, channel] of Object.entries(LAB_METHODS) as [LabMethod, Channel][]) {
    api[method] = async (payload?: unknown) => {
      const result = await call(channel, payload)
      const parsed = API_CHANNELS[channel].response.safeParse(result)
      if (!parsed.success) {
        const issues = describeIssues(parsed.error)
        const first = issues[0] ? ` (${issues[0].path}: ${issues[0].message})` : ''
        throw new LabApiError('bad-response', `${channel}: response outside the contract${first}`, issues)
      }
      return parsed.data
    }
  }
  const onRunEvent = (listener: (event: RunEvent) => void): Unsubscribe =>
    subscribe((raw) => {
      const parsed = runEventSchema.safeParse(raw)
      if (parsed.success) listener(parsed.data)
      else {
        const issues = describeIssues(parsed.error)
        const first = issues[0] ? ` (${issues[0].path}: ${issues[0].message})` : ''
        onInvalidEvent(new LabApiError('bad-response', `run event outside the contract${first}`, issues))
      }
    })
  return Object.freeze({ ...api, onRunEvent }) as unknown as LabApi
}

/**
 * Bridge URL from a `?bridge=` query parameter, if it is a ws(s) URL, carrying the page's session token
 * (`&token=`) as the bridge's own `?token=`.
 */
export function bridgeUrlFrom(search: string): string | null {
  const params = new URLSearchParams(search)
  const raw = params.get('bridge')
  if (!raw) return null
  try {
    const url = new URL(raw)
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null
    const token = params.get('token')
    if (token) url.searchParams.set('token', token)
    return url.href
  } catch {
    return null
  }
}

/**
 * Why a page may not use `bridgeUrl`, or null when it may. The page's Content-Security-Policy (set by
 * `lab serve`, src/shared/csp.ts) lets it connect to its own server's bridge only, and the browser blocks
 * any other one without telling the page (the WebSocket neither opens nor closes). Refusing first gives a
 * clear message instead of a page that waits forever, and never sends the session token elsewhere.
 */
export function bridgeRefusal(bridgeUrl: string, page: { protocol: string; host: string }): string | null {
  const url = new URL(bridgeUrl)
  url.search = ''
  const own = page.protocol === 'https:' ? `wss://${page.host}` : `ws://${page.host}`
  if ((page.protocol === 'http:' || page.protocol === 'https:') && url.origin === own) return null
  const where = page.protocol === 'http:' || page.protocol === 'https:' ? page.host : page.protocol
  return (
    `refused the bridge ${url.href}: this page (${where}) may only connect to the bridge of the server ` +
    `that served it (${own}/bridge), by its Content-Security-Policy. Open the URL that \`lab serve\` ` +
    `or \`npm start\` printed for that workspace instead.`
  )
}
