/** Saving a run's figures (PNG, SVG) and its metrics CSV, through the files store. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import { useFilesStore } from './files'
import { message } from './lab'

const FILTERS = {
  png: [{ name: 'PNG image', extensions: ['png'] }],
  svg: [{ name: 'SVG image', extensions: ['svg'] }],
  csv: [{ name: 'CSV table', extensions: ['csv'] }]
}

export const useFiguresStore = defineStore('figures', () => {
  const files = useFilesStore()
  const error = ref<string | null>(null)
  const busy = ref(false)

  /** Saves a figure drawn by a chart (null when the chart is not drawn yet). */
  async function saveFigure(name: string, type: 'png' | 'svg', data: Blob | null): Promise<void> {
    error.value = null
    if (!data) {
      error.value = `The figure ${name} is not drawn yet`
      return
    }
    try {
      await files.save({ suggestedName: `${name}.${type}`, data, filters: FILTERS[type] })
    } catch (e) {
      error.value = message(e)
    }
  }

  /** A run's metrics (one row per stored generation) as the engine writes them for `lab export --metrics`. */
  async function saveMetricsCsv(runId: string): Promise<void> {
    error.value = null
    busy.value = true
    try {
      const r = await api.exportMetricsCsv({ id: runId })
      await files.save({
        suggestedName: r.filename,
        data: new Blob([r.csv], { type: 'text/csv' }),
        filters: FILTERS.csv
      })
    } catch (e) {
      error.value = message(e)
    } finally {
      busy.value = false
    }
  }

  return { error, busy, saveFigure, saveMetricsCsv }
})
