/**
 * Saving files the renderer made (genomes, videos, figures, CSV). Every view saves through `save`: in
 * Electron it goes to the main process's native save dialog; in browser mode the browser downloads it.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'

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

  async function save(req: SaveRequest): Promise<SaveResult> {
    download(req.suggestedName, req.data)
    last.value = { name: req.suggestedName, bytes: req.data.size }
    return Promise.resolve({ saved: true })
  }

  return { last, save }
})
