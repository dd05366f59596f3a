import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import type { RunEvent, Unsubscribe } from '../shared/api'
import { CHANNELS, RUN_EVENT_CHANNEL, type ApiEnvelope, type Channel } from '../shared/methods'

export interface ApiHandle {
  (channel: Channel, rawPayload: unknown): Promise<ApiEnvelope>
}

/**
 * Registers one `ipcMain.handle` per channel of the contract, and nothing else. Payloads are validated
 * by the backend dispatcher; callers must come from the app's own top-level frame.
 */
export function registerApi(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handle: ApiHandle,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, rawPayload: unknown): Promise<ApiEnvelope> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'transport', message: `${channel}: refused a call from an untrusted frame` }
        }
      }
      return handle(channel, rawPayload)
    })
  }
  return () => CHANNELS.forEach((c) => ipcMain.removeHandler(c))
}

/** The bits of a window's WebContents the event forwarding needs. */
export interface RunEventTarget {
  isDestroyed(): boolean
  getURL(): string
  send(channel: typeof RUN_EVENT_CHANNEL, event: RunEvent): void
}

/**
 * Forwards the backend's run events (already validated against the contract) to every window showing
 * the app, on the one event channel the preload listens to. Returns the unsubscribe function.
 */
export function forwardRunEvents(
  subscribe: (listener: (event: RunEvent) => void) => Unsubscribe,
  targets: () => RunEventTarget[],
  isAppUrl: (url: string) => boolean
): Unsubscribe {
  return subscribe((event) => {
    for (const t of targets()) {
      if (!t.isDestroyed() && isAppUrl(t.getURL())) t.send(RUN_EVENT_CHANNEL, event)
    }
  })
}
