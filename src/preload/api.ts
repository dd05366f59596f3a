import {
  LAB_METHODS,
  encodeErrorMessage,
  type ApiEnvelope,
  type Channel,
  type LabMethod
} from '../shared/methods'
import type { LabApi, RunEvent, Unsubscribe } from '../shared/api'
import {
  MENU_COMMANDS,
  type LabShell,
  type MenuCommand,
  type SaveFileRequest,
  type SaveFileResult
} from '../shared/shell'

export type Invoke = (channel: Channel, payload?: unknown) => Promise<ApiEnvelope>

/** Subscribes to the main process's run events (RUN_EVENT_CHANNEL); gets the payload only, never the IPC event. */
export type SubscribeRunEvents = (listener: (payload: unknown) => void) => Unsubscribe

/**
 * Builds the object exposed as `window.lab`: exactly one function per LabApi method, each bound to its
 * own channel, plus `onRunEvent(listener) → unsubscribe` for the run event stream. There is no generic
 * send/invoke/on; failures reject with an Error whose message carries the error code (decoded again by
 * the renderer's api module), and events are validated against the contract by the renderer.
 */
export function createLabApi(invoke: Invoke, subscribe: SubscribeRunEvents): LabApi {
  const api: Partial<Record<LabMethod, (payload?: unknown) => Promise<unknown>>> = {}
  for (const [method, channel] of Object.entries(LAB_METHODS) as [LabMethod, Channel][]) {
    api[method] = async (payload?: unknown) => {
      const envelope = await invoke(channel, payload)
      if (!envelope.ok) throw new Error(encodeErrorMessage(envelope.error))
      return envelope.result
    }
  }
  const onRunEvent = (listener: (event: RunEvent) => void): Unsubscribe => {
    if (typeof listener !== 'function') throw new TypeError('onRunEvent: expected a listener function')
    const unsubscribe = subscribe((payload) => listener(payload as RunEvent))
    let done = false
    return () => {
      if (done) return
      done = true
      unsubscribe()
    }
  }
  return Object.freeze({ ...api, onRunEvent }) as unknown as LabApi
}

/**
 * Builds `window.labShell`: `saveFile(request)` on SAVE_FILE_CHANNEL (validated by main) and
 * `onMenuCommand(listener)`, which passes on only the known menu commands.
 */
export function createLabShell(
  invokeSave: (request: unknown) => Promise<ApiEnvelope>,
  subscribe: SubscribeRunEvents
): LabShell {
  const saveFile = async (request: SaveFileRequest): Promise<SaveFileResult> => {
    const envelope = await invokeSave(request)
    if (!envelope.ok) throw new Error(encodeErrorMessage(envelope.error))
    return envelope.result as SaveFileResult
  }
  const onMenuCommand = (listener: (command: MenuCommand) => void): Unsubscribe => {
    if (typeof listener !== 'function') throw new TypeError('onMenuCommand: expected a listener function')
    return subscribe((payload) => {
      if ((MENU_COMMANDS as readonly unknown[]).includes(payload)) listener(payload as MenuCommand)
    })
  }
  return Object.freeze({ saveFile, onMenuCommand })
}
