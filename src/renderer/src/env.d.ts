/// <reference types="vite/client" />
import type { LabApi } from '../../shared/api'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser (then the WebSocket bridge is used). */
    readonly lab?: LabApi
  }
}

export {}
