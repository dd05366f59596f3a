/**
 * Saving files the renderer made (genomes, videos, figures, CSV). Every view saves through `save`: in
 * Electron it goes to the main process's native save dialog (`shell.saveFile`, validated by main); in
 * browser mode the browser downloads it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { shell } from '../api'
import { message } from './lab'

export interface SaveRequest {
  /** File name offered to the user, with its extension. */
  suggestedName: string
  data: Blob
  /** Dialog filters, e.g. [{ name: 'NumPy array', extensions: ['npy'] }]. */
  filters?: { name: string; extensions: string[] }[]
}

export interface SaveResult {
  saved: boolean
  /** Where it went, when known (Electron); the browser does not tell. */
  path?: string
}

/** Hands a Blob to the browser as a download. */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export const useFilesStore = defineStore('files', () => {
  /** The last file saved (name and size), shown by the views as a confirmation. */
  const last = ref<{ name: string; bytes: number; path?: string } | null>(null)
  /** Why the last save failed (null after a success or a cancel). */
  const error = ref<string | null>(null)
  /** Whether saves go to a native dialog (Electron) or a download (browser). */
  const native = shell !== null

  async function save(req: SaveRequest): Promise<SaveResult> {
    error.value = null
    if (!shell) {
      download(req.suggestedName, req.data)
      last.value = { name: req.suggestedName, bytes: req.data.size }
      return { saved: true }
    }
    try {
      const bytes = new Uint8Array(await req.data.arrayBuffer())
      const result = await shell.saveFile({
        suggestedName: req.suggestedName,
        bytes,
        ...(req.filters ? { filters: req.filters } : {})
      })
      if (result.saved) last.value = { name: req.suggestedName, bytes: bytes.length, path: result.path }
      return result
    } catch (e) {
      error.value = message(e)
      throw e
    }
  }

  return { last, error, native, save }
})
