import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNELS, type ApiEnvelope, type Channel } from '../shared/methods'

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
