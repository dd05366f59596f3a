/**
 * The Electron shell's own channels, beside the API channels of ./methods.ts (those go to the engine; these
 * are answered by the main process itself): saving a file through the native save dialog, and the
 * application menu's commands. Dependency-free on purpose: the sandboxed preload imports it. The zod
 * schema main validates a save request with is in ./shell-schema.ts.
 */
import type { Unsubscribe } from './api'

/** renderer → main (invoke): `{ suggestedName, filters?, bytes }` → ApiEnvelope<SaveFileResult>. */
export const SAVE_FILE_CHANNEL = 'files:save'
/** main → renderer (send): one MenuCommand. */
export const MENU_COMMAND_CHANNEL = 'menu:command'

export const MENU_COMMANDS = ['new-run', 'export-genome'] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

export const SAVE_FILE_LIMITS = {
  /** Largest file the renderer may hand over (a long replay video at a high resolution fits). */
  maxBytes: 512 * 1024 * 1024,
  maxNameLength: 200,
  maxFilters: 10,
  maxExtensions: 10
} as const

export interface SaveFileFilter {
  /** Shown in the dialog, e.g. "NumPy array". */
  name: string
  /** Without the dot, e.g. ['npy']. */
  extensions: string[]
}

export interface SaveFileRequest {
  /** File name offered in the dialog (no directory part). */
  suggestedName: string
  filters?: SaveFileFilter[]
  bytes: Uint8Array
}

export interface SaveFileResult {
  /** False when the user cancelled the dialog (then nothing was written). */
  saved: boolean
  /** The file written. */
  path?: string
}

/** What the preload exposes as `window.labShell` in Electron (absent in a browser). */
export interface LabShell {
  readonly saveFile: (request: SaveFileRequest) => Promise<SaveFileResult>
  readonly onMenuCommand: (listener: (command: MenuCommand) => void) => Unsubscribe
}
