/**
 * The save-file channel (SAVE_FILE_CHANNEL): the renderer hands over bytes and a suggested name, main shows
 * the native save dialog and writes the file atomically where the user chose. Every message is checked
 * here (trusted sender, then the zod schema) before any dialog opens; a refused message writes nothing.
 */
import type { IpcMain, IpcMainInvokeEvent, SaveDialogOptions } from 'electron'
import { join } from 'node:path'
import { writeFileAtomicAsync } from '../engine/fs-async'
import { checkOutputPath } from '../engine/fs-util'
import { describeIssues, type ApiEnvelope, type ApiErrorCode } from '../shared/api'
import { saveFileRequestSchema } from '../shared/shell-schema'
import { SAVE_FILE_CHANNEL, type SaveFileResult } from '../shared/shell'

export interface SaveFileDeps {
  /** The native dialog, parented to the sender's window. */
  showSaveDialog(
    event: IpcMainInvokeEvent,
    options: SaveDialogOptions
  ): Promise<{ canceled: boolean; filePath?: string }>
  /** Folder the dialog starts in (e.g. app.getPath('downloads')). */
  defaultDir(): string
  /** Files never to overwrite (the workspace database). */
  avoid?: string[]
  /** Writes the bytes (default: writeFileAtomicAsync). */
  write?: (path: string, bytes: Uint8Array) => Promise<void>
}

class SaveFileError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[]
  ) {
    super(message)
  }
}

/** Validates one save request, asks where to save it, writes it. Throws SaveFileError on a bad request. */
export async function saveFile(
  event: IpcMainInvokeEvent,
  raw: unknown,
  deps: SaveFileDeps
): Promise<SaveFileResult> {
  const parsed = saveFileRequestSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = describeIssues(parsed.error)
    throw new SaveFileError(
      'bad-request',
      `${SAVE_FILE_CHANNEL}: invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues
    )
  }
  const req = parsed.data
  const choice = await deps.showSaveDialog(event, {
    title: 'Save',
    defaultPath: join(deps.defaultDir(), req.suggestedName),
    ...(req.filters?.length ? { filters: req.filters } : {}),
    properties: ['createDirectory', 'showOverwriteConfirmation']
  })
  if (choice.canceled || !choice.filePath) return { saved: false }
  try {
    checkOutputPath(choice.filePath, 'save path', { avoid: deps.avoid ?? [] })
    await (deps.write ?? writeFileAtomicAsync)(choice.filePath, req.bytes)
  } catch (e) {
    throw new SaveFileError('transport', `${SAVE_FILE_CHANNEL}: ${(e as Error).message}`)
  }
  return { saved: true, path: choice.filePath }
}

/** Registers the save-file handler: untrusted senders and invalid payloads get an error envelope. */
export function registerSaveFile(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  deps: SaveFileDeps,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean
): () => void {
  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, raw: unknown): Promise<ApiEnvelope<SaveFileResult>> => {
    if (!isTrustedSender(event))
      return {
        ok: false,
        error: { code: 'transport', message: `${SAVE_FILE_CHANNEL}: refused a call from an untrusted frame` }
      }
    try {
      return { ok: true, result: await saveFile(event, raw, deps) }
    } catch (e) {
      if (e instanceof SaveFileError)
        return {
          ok: false,
          error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) }
        }
      return { ok: false, error: { code: 'internal', message: `${SAVE_FILE_CHANNEL} failed: ${String(e)}` } }
    }
  })
  return () => ipcMain.removeHandler(SAVE_FILE_CHANNEL)
}
