import {
  API_CHANNELS,
  LabApiError,
  describeIssues,
  isChannel,
  type ApiEnvelope,
  type ApiErrorCode,
  type ApiResponse,
  type Channel,
  type ChannelHandlers
} from '../../shared/api'
import { labErrorCode } from '../errors'

export type Dispatch = (channel: unknown, rawPayload: unknown) => Promise<ApiEnvelope>

export interface DispatcherOptions {
  /** Called with unexpected handler failures (the caller only gets a short message). */
  onInternalError?: (channel: Channel, error: unknown) => void
}

/**
 * The single entry point of the backend: checks the channel name, validates the payload against the
 * contract, runs the handler, validates its answer, and never throws: every outcome is an envelope.
 */
export function createDispatcher(handlers: ChannelHandlers, opts: DispatcherOptions = {}): Dispatch {
  return async (channel, rawPayload) => {
    if (!isChannel(channel)) {
      const name = typeof channel === 'string' ? `'${channel.slice(0, 64)}'` : `a ${typeof channel}`
      return fail(
        'unknown-channel',
        `unknown channel ${name}; expected one of ${Object.keys(API_CHANNELS).join(', ')}`
      )
    }
    const spec = API_CHANNELS[channel]
    const request = spec.request.safeParse(rawPayload)
    if (!request.success) {
      const issues = describeIssues(request.error)
      return fail('bad-request', `${channel}: invalid request: ${formatIssues(issues)}`, issues)
    }
    let result: unknown
    try {
      // The parsed request matches this channel's handler by construction (same contract entry).
      const run = handlers[channel] as (req: unknown) => ApiResponse<Channel> | Promise<ApiResponse<Channel>>
      result = await run(request.data)
    } catch (e) {
      // Expected failures (unknown run, a run that cannot be resumed, ...) carry their own code.
      if (e instanceof LabApiError && e.code !== 'internal') {
        return fail(e.code, `${channel}: ${e.message}`, e.issues.length ? e.issues : undefined)
      }
      const code = labErrorCode(e)
      if (code) return fail(code, `${channel}: ${(e as Error).message}`)
      opts.onInternalError?.(channel, e)
      return fail('internal', `${channel} failed: ${e instanceof Error ? e.message : String(e)}`)
    }
    const response = spec.response.safeParse(result)
    if (!response.success) {
      const issues = describeIssues(response.error)
      opts.onInternalError?.(channel, response.error)
      return fail(
        'bad-response',
        `${channel}: the backend answered outside the contract: ${formatIssues(issues)}`,
        issues
      )
    }
    return { ok: true, result: response.data }
  }
}

function fail(
  code: ApiErrorCode,
  message: string,
  issues?: { path: string; message: string }[]
): ApiEnvelope {
  return { ok: false, error: issues ? { code, message, issues } : { code, message } }
}

const formatIssues = (issues: { path: string; message: string }[]): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ') + (issues.length > 5 ? ` (+${issues.length - 5} more)` : '')
