/**
 * The Compare view's "Paper report" tab: the ENOMAD paper's Fig. 4 report of the compared runs
 * (`runs:report-fig4`, the data and table `lab report fig4` writes), which figure is shown (Fig. 4 or
 * Suppl. Fig. S1), and the table's exports: the channel's own CSV and Markdown, so they are the CLI's
 * stats.csv and stats.md byte for byte.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fig4Figures } from '../../../core/analysis/fig4-figure'
import type { RunsReportFig4Response } from '../../../shared/api'
import { api } from '../api'
import { useFilesStore } from './files'
import { message } from './lab'

export type PaperFigureId = 'fig4' | 'figS1'

const TABLE_FILES = {
  csv: { name: 'stats.csv', type: 'text/csv', filters: [{ name: 'CSV table', extensions: ['csv'] }] },
  md: {
    name: 'stats.md',
    type: 'text/markdown',
    filters: [{ name: 'Markdown', extensions: ['md'] }]
  }
} as const

export const usePaperReportStore = defineStore('paperReport', () => {
  const files = useFilesStore()
  const data = ref<RunsReportFig4Response | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** Why the last export failed. */
  const exportError = ref<string | null>(null)
  /** The figure asked for; falls back to the one the runs make (S1 only: no Fig. 4 method). */
  const wanted = ref<PaperFigureId>('fig4')
  /** The runs the report is of, as a key (the ids sorted). */
  const key = ref('')
  /** performance.now() of the last request (the view reloads when the comparison is newer). */
  const requestedAt = ref(0)
  let seq = 0

  /** The figures these runs make: Fig. 4 of the paper's five, S1 when the control is there. */
  const figures = computed(() => (data.value ? fig4Figures(data.value.methods) : []))
  const figure = computed(() => figures.value.find((f) => f.id === wanted.value) ?? figures.value[0] ?? null)

  /** Loads the report of `ids` (again only when they changed, or with `fresh`). */
  async function load(ids: string[], fresh = false): Promise<void> {
    const k = [...ids].sort().join(',')
    if (!fresh && k === key.value && (data.value || loading.value || error.value)) return
    key.value = k
    requestedAt.value = performance.now()
    const mine = ++seq
    loading.value = true
    error.value = null
    data.value = null
    try {
      const r = await api.reportFig4({ ids })
      if (mine === seq) data.value = r
    } catch (e) {
      if (mine === seq) error.value = message(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  async function saveTable(kind: keyof typeof TABLE_FILES): Promise<void> {
    exportError.value = null
    if (!data.value) return
    const f = TABLE_FILES[kind]
    const text = kind === 'csv' ? data.value.csv : data.value.markdown
    try {
      await files.save({
        suggestedName: f.name,
        data: new Blob([text], { type: f.type }),
        filters: f.filters.map((x) => ({ ...x, extensions: [...x.extensions] }))
      })
    } catch (e) {
      exportError.value = message(e)
    }
  }

  return { data, loading, error, exportError, wanted, requestedAt, figures, figure, load, saveTable }
})
