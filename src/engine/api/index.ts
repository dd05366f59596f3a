/**
 * Backend implementation of the app API (src/shared/api.ts), in plain Node: the Electron main process
 * and the WebSocket bridge (src/engine/serve.ts) both answer through `handle`.
 */
import { DEFAULT_CONNECTOME, readConnectome } from '../resources'
import type { ApiEnvelope, ChannelHandlers } from '../../shared/api'
import { createDispatcher, type DispatcherOptions } from './dispatch'
import { createHandlers, type BackendContext } from './handlers'
import { readAppVersion } from './version'

export { createDispatcher, type Dispatch, type DispatcherOptions } from './dispatch'
export { createHandlers, appInfo, connectomeSummary, runRollout, type BackendContext } from './handlers'
export { readAppVersion } from './version'

export interface LabBackendOptions extends DispatcherOptions {
  runtime: BackendContext['runtime']
  /** Defaults to package.json's version. */
  version?: string
  /** Connectome resource id (resources/connectomes/<id>.json). */
  connectomeId?: string
}

export interface LabBackend {
  handlers: ChannelHandlers
  /** Validates `rawPayload` for `channel`, runs it and returns an envelope; never throws. */
  handle(channel: unknown, rawPayload: unknown): Promise<ApiEnvelope>
}

export function createLabBackend(opts: LabBackendOptions): LabBackend {
  const id = opts.connectomeId ?? DEFAULT_CONNECTOME
  const handlers = createHandlers({
    runtime: opts.runtime,
    version: opts.version ?? readAppVersion(),
    connectome: () => readConnectome(id)
  })
  return { handlers, handle: createDispatcher(handlers, opts) }
}

let defaultBackend: LabBackend | undefined

/** `handle` of a lazily created default backend (bridge runtime, default connectome). */
export function handle(channel: unknown, rawPayload: unknown): Promise<ApiEnvelope> {
  defaultBackend ??= createLabBackend({ runtime: 'bridge' })
  return defaultBackend.handle(channel, rawPayload)
}
