/**
 * Exports of a run (the Export menu of the run detail): the genome as JSON, CSV or .npy, made by the
 * engine's exporter (`runs:export-genome`) and saved through the files store (native dialog or download).
 * Other exports (video, figures, metrics CSV) hang their entries on the same menu.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { GenomeExportFormat } from '../../../shared/api'
import { api } from '../api'
import { decodeBase64 } from '../lib/base64'
import { useFilesStore } from './files'
import { message } from './lab'

export const GENOME_FORMATS: { format: GenomeExportFormat; label: string; filter: string }[] = [
  { format: 'npy', label: 'NumPy array (.npy)', filter: 'NumPy array' },
  { format: 'json', label: 'JSON (.json)', filter: 'JSON' },
  { format: 'csv', label: 'CSV (.csv)', filter: 'CSV' }
]

export const useExportsStore = defineStore('exports', () => {
  /** What is being exported now (e.g. 'genome-npy'), or null. */
  const pending = ref<string | null>(null)
  const error = ref<string | null>(null)
  /** The last export: its file name and size, for the menu's confirmation line. */
  const done = ref<{ fileName: string; bytes: number; path?: string } | null>(null)
  /** Bumped by the application menu's File → Export genome…; the run detail's Export menu opens and
   * marks it handled (also when it mounts after the request, e.g. once the Runs page is shown). */
  const menuRequests = ref(0)
  const menuHandled = ref(0)

  async function exportGenome(runId: string, format: GenomeExportFormat, generation?: number): Promise<void> {
    pending.value = `genome-${format}`
    error.value = null
    done.value = null
    try {
      const file = await api.exportGenome({ id: runId, format, ...(generation ? { generation } : {}) })
      const bytes = decodeBase64(file.bytes)
      if (bytes.length !== file.size)
        throw new Error(`the genome file arrived with ${bytes.length} bytes, expected ${file.size}`)
      const spec = GENOME_FORMATS.find((f) => f.format === format)!
      const result = await useFilesStore().save({
        suggestedName: file.fileName,
        data: new Blob([bytes], { type: file.mime }),
        filters: [{ name: spec.filter, extensions: [format] }]
      })
      if (result.saved) done.value = { fileName: file.fileName, bytes: bytes.length, path: result.path }
    } catch (e) {
      error.value = message(e)
    } finally {
      pending.value = null
    }
  }

  return { pending, error, done, menuRequests, menuHandled, exportGenome }
})
