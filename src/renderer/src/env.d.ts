/// <reference types="vite/client" />
import type { LabApi } from '../../shared/api'
import type { LabShell } from '../../shared/shell'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser (then the WebSocket bridge is used). */
    readonly lab?: LabApi
    /** Exposed by the Electron preload: the native save dialog and the menu's commands. */
    readonly labShell?: LabShell
  }
}

export {}
