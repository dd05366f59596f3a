/**
 * Sandboxed preload (bundled as CommonJS; may only require 'electron'): exposes the typed LabApi as
 * `window.lab` and the shell's two narrow methods (save a file, listen to menu commands) as
 * `window.labShell`, and nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { RUN_EVENT_CHANNEL, type ApiEnvelope } from '../shared/methods'
import { MENU_COMMAND_CHANNEL, SAVE_FILE_CHANNEL } from '../shared/shell'
import { createLabApi, createLabShell } from './api'

/** Listens to one main → renderer channel; the listener gets the payload only, never the IpcRendererEvent. */
function listen(channel: string, listener: (payload: unknown) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
  ipcRenderer.on(channel, handler)
  return () => void ipcRenderer.removeListener(channel, handler)
}

contextBridge.exposeInMainWorld(
  'lab',
  createLabApi(
    (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<ApiEnvelope>,
    (listener) => listen(RUN_EVENT_CHANNEL, listener)
  )
)

contextBridge.exposeInMainWorld(
  'labShell',
  createLabShell(
    (request) => ipcRenderer.invoke(SAVE_FILE_CHANNEL, request) as Promise<ApiEnvelope>,
    (listener) => listen(MENU_COMMAND_CHANNEL, listener)
  )
)
