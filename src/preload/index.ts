/**
 * Sandboxed preload (bundled as CommonJS; may only require 'electron'): exposes the typed LabApi as
 * `window.lab` and nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { RUN_EVENT_CHANNEL, type ApiEnvelope } from '../shared/methods'
import { createLabApi } from './api'

contextBridge.exposeInMainWorld(
  'lab',
  createLabApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<ApiEnvelope>,
    (listener) => {
      // The renderer gets the payload only: never the IpcRendererEvent (and with it `sender`).
      const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
      ipcRenderer.on(RUN_EVENT_CHANNEL, handler)
      return () => void ipcRenderer.removeListener(RUN_EVENT_CHANNEL, handler)
    }
  )
)
