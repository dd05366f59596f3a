/**
 * Client side of the contract, transport-agnostic: turns a raw `call(channel, payload)` (Electron IPC or
 * the WebSocket bridge) into a LabApi whose every response is validated against the contract.
 */
import {
  API_CHANNELS,
  LAB_METHODS,
  LabApiError,
  describeIssues,
  type Channel,
  type LabApi,
  type LabMethod
} from './api'

/** Resolves with the result of a successful call; rejects with a LabApiError otherwise. */
export type RawCall = (channel: Channel, payload: unknown) => Promise<unknown>

export function createApi(call: RawCall): LabApi {
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
  return Object.freeze(api) as unknown as LabApi
}

/** Bridge URL from a `?bridge=` query parameter, if it is a ws(s) URL. */
export function bridgeUrlFrom(search: string): string | null {
  const raw = new URLSearchParams(search).get('bridge')
  if (!raw) return null
  try {
    const url = new URL(raw)
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : null
  } catch {
    return null
  }
}
