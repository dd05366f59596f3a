/**
 * Backend implementation of the app API (src/shared/api.ts), in plain Node: the Electron main process
 * and the WebSocket bridge (src/engine/serve.ts) both answer through `handle`.
 */
import { DEFAULT_CONNECTOME, readConnectome } from '../resources'
import type { ApiEnvelope, ChannelHandlers, RunEvent, Unsubscribe } from '../../shared/api'
import { createDispatcher, type DispatcherOptions } from './dispatch'
import { createHandlers, type BackendContext } from './handlers'
import { createRunsService, type RunsService } from './runs'
import { readAppVersion } from './version'

export { createDispatcher, type Dispatch, type DispatcherOptions } from './dispatch'
export { createHandlers, appInfo, connectomeSummary, runRollout, type BackendContext } from './handlers'
export { createRunsService, type RunsService, type RunsServiceOptions } from './runs'
export { readAppVersion } from './version'

export interface LabBackendOptions extends DispatcherOptions {
  runtime: BackendContext['runtime']
  /** Defaults to package.json's version. */
  version?: string
  /** Connectome resource id (resources/connectomes/<id>.json). */
  connectomeId?: string
  /**
   * The workspace database of the runs:* channels (default: the per-user workspace shared with the CLI,
   * `defaultDbPath()`). It is opened on the first runs:* call; the worker pool only when a run starts.
   */
  dbPath?: string
  /** Worker processes for runs started here (default: CPU count − 1). */
  workers?: number
  /** Where their rollouts run: 'local' or a redis:// URL (RunsServiceOptions.rollouts). */
  rollouts?: string
}

export interface LabBackend {
  handlers: ChannelHandlers
  /** Validates `rawPayload` for `channel`, runs it and returns an envelope; never throws. */
  handle(channel: unknown, rawPayload: unknown): Promise<ApiEnvelope>
  runs: RunsService
  /** The run event stream (progress, status, deletions), validated against the contract. */
  onRunEvent(listener: (event: RunEvent) => void): Unsubscribe
  /** Stops runs training here (left paused, resumable), closes the worker pool and the database. */
  close(): Promise<void>
}

export function createLabBackend(opts: LabBackendOptions): LabBackend {
  const id = opts.connectomeId ?? DEFAULT_CONNECTOME
  const runs = createRunsService({
    dbPath: opts.dbPath,
    workers: opts.workers,
    rollouts: opts.rollouts,
    log: (message, error) => console.error(`[runs] ${message}`, error ?? '')
  })
  const handlers = createHandlers({
    runtime: opts.runtime,
    version: opts.version ?? readAppVersion(),
    connectome: () => readConnectome(id),
    runs
  })
  return {
    handlers,
    handle: createDispatcher(handlers, opts),
    runs,
    onRunEvent: (listener) => runs.onEvent(listener),
    close: () => runs.close()
  }
}

let defaultBackend: LabBackend | undefined

/** `handle` of a lazily created default backend (bridge runtime, default connectome). */
export function handle(channel: unknown, rawPayload: unknown): Promise<ApiEnvelope> {
  defaultBackend ??= createLabBackend({ runtime: 'bridge' })
  return defaultBackend.handle(channel, rawPayload)
}
