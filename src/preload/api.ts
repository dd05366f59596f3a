import {
  LAB_METHODS,
  encodeErrorMessage,
  type ApiEnvelope,
  type Channel,
  type LabMethod
} from '../shared/methods'
import type { LabApi } from '../shared/api'

export type Invoke = (channel: Channel, payload?: unknown) => Promise<ApiEnvelope>

/**
 * Builds the object exposed as `window.lab`: exactly one function per LabApi method, each bound to its
 * own channel. There is no generic send/invoke; failures reject with an Error whose message carries the
 * error code (decoded again by the renderer's api module).
 */
export function createLabApi(invoke: Invoke): LabApi {
  const api: Partial<Record<LabMethod, (payload?: unknown) => Promise<unknown>>> = {}
  for (const [method, channel] of Object.entries(LAB_METHODS) as [LabMethod, Channel][]) {
    api[method] = async (payload?: unknown) => {
      const envelope = await invoke(channel, payload)
      if (!envelope.ok) throw new Error(encodeErrorMessage(envelope.error))
      return envelope.result
    }
  }
  return Object.freeze(api) as unknown as LabApi
}
