/**
 * Sandboxed preload (bundled as CommonJS; may only require 'electron'): exposes the typed LabApi as
 * `window.lab` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { ApiEnvelope } from '../shared/methods'
import { createLabApi } from './api'

contextBridge.exposeInMainWorld(
  'lab',
  createLabApi((channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<ApiEnvelope>)
)
