/**
 * The LabApi method → IPC channel table. Dependency-free on purpose: the sandboxed preload script
 * imports it, and a sandboxed preload can only `require('electron')` (./errors.ts is dependency-free too). The schemas of every channel
 * live in ./api.ts, which checks at compile time that both lists name the same channels.
 */
import { LAB_ERROR_CODES, type LabErrorCode } from './errors'

export const LAB_METHODS = {
  appInfo: 'app:info',
  connectomeSummary: 'connectome:summary',
  runRollout: 'rollout:run',
  listRuns: 'runs:list',
  getRun: 'runs:get',
  replayRun: 'runs:replay',
  replayQuadruped: 'runs:quadruped-replay',
  diffRun: 'runs:diff',
  startRun: 'runs:start',
  pauseRun: 'runs:pause',
  resumeRun: 'runs:resume',
  cancelRun: 'runs:cancel',
  deleteRun: 'runs:delete',
  renameRun: 'runs:rename',
  startSweep: 'sweeps:start',
  compareRuns: 'runs:compare',
  annotateRun: 'runs:annotate',
  exportGenome: 'runs:export-genome',
  exportMetricsCsv: 'runs:export-metrics',
  reportFig4: 'runs:report-fig4',
  listAnalyses: 'runs:analyses',
  analyseRun: 'runs:analyse',
  rolloutBackend: 'runs:backend'
} as const

export type LabMethod = keyof typeof LAB_METHODS
export type Channel = (typeof LAB_METHODS)[LabMethod]

export const CHANNELS = Object.values(LAB_METHODS) as Channel[]

export const isChannel = (value: unknown): value is Channel =>
  typeof value === 'string' && (CHANNELS as string[]).includes(value)

/**
 * The one server → renderer event stream (run progress and status changes): Electron sends it with
 * `webContents.send(RUN_EVENT_CHANNEL, event)`, the WebSocket bridge pushes `{ event: RUN_EVENT_CHANNEL,
 * payload }`. The renderer subscribes with `onRunEvent(listener) → unsubscribe` and validates every event
 * against `runEventSchema` (./api.ts).
 */
export const RUN_EVENT_CHANNEL = 'runs:event'

/**
 * Machine-readable failure kinds of the contract: those of the transport and the contract itself, and the
 * lab's own (./errors.ts: unknown-run, ambiguous-id, invalid-config, busy, not-allowed, ...).
 */
export type ApiErrorCode =
  'bad-request' | 'unknown-channel' | 'bad-response' | 'internal' | 'transport' | LabErrorCode

export const API_ERROR_CODES: readonly ApiErrorCode[] = [
  'bad-request',
  'unknown-channel',
  'bad-response',
  'internal',
  'transport',
  ...LAB_ERROR_CODES
]

export interface ApiErrorInfo {
  code: ApiErrorCode
  message: string
  /** Validation issues (bad-request / bad-response): where, and what is wrong. */
  issues?: { path: string; message: string }[]
}

/** What a backend returns for one call, over IPC or the WebSocket bridge. */
export type ApiEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorInfo }

/** A failed API call, as seen by callers of LabApi. */
export class LabApiError extends Error {
  override name = 'LabApiError'
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues: { path: string; message: string }[] = []
  ) {
    super(message)
  }
}

/**
 * Errors cross the contextBridge as plain `Error`s with only their message kept, so the preload encodes
 * the code as a `[code] ` prefix and the renderer decodes it back.
 */
export const encodeErrorMessage = (e: ApiErrorInfo): string => `[${e.code}] ${e.message}`

export function decodeErrorMessage(message: string): LabApiError {
  const m = /^(?:Error invoking remote method '[^']*': )?(?:\w*Error: )?\[([a-z-]+)\] ([\s\S]*)$/.exec(
    message
  )
  if (m && (API_ERROR_CODES as string[]).includes(m[1])) return new LabApiError(m[1] as ApiErrorCode, m[2])
  return new LabApiError('internal', message)
}
