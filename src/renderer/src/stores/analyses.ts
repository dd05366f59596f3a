import { defineStore } from 'pinia'
import { shallowReactive } from 'vue'
import type { AnalysisResult } from '../../../shared/api'
import { api } from '../api'
import { message, type LoadState } from './lab'

type AnalysisKind = AnalysisResult['kind']

export interface RunAnalyses {
  state: LoadState
  results: AnalysisResult[]
  error: string | null
  /** The analysis being run here, if any. */
  running: AnalysisKind | null
  runError: string | null
}

/**
 * A run's stored analyses (`runs:analyses`, newest first) and the one being run from the app
 * (`runs:analyse`: on the backend's worker pool, stored with the run).
 */
export const useAnalysesStore = defineStore('analyses', () => {
  const runs = shallowReactive(new Map<string, RunAnalyses>())
  const empty = (): RunAnalyses => ({
    state: 'idle',
    results: [],
    error: null,
    running: null,
    runError: null
  })
  const of = (id: string): RunAnalyses => runs.get(id) ?? empty()
  const patch = (id: string, p: Partial<RunAnalyses>): void => void runs.set(id, { ...of(id), ...p })

  async function load(id: string): Promise<void> {
    patch(id, { state: 'loading', error: null })
    try {
      patch(id, { state: 'ready', results: await api.listAnalyses({ runId: id }) })
    } catch (e) {
      patch(id, { state: 'error', error: message(e) })
    }
  }

  /** Runs an analysis with its default parameters (the paper's), then shows it first. */
  async function run(id: string, kind: AnalysisKind): Promise<void> {
    patch(id, { running: kind, runError: null })
    try {
      const r = await api.analyseRun({ runId: id, kind })
      patch(id, { running: null, results: [r, ...of(id).results.filter((x) => x.id !== r.id)] })
    } catch (e) {
      patch(id, { running: null, runError: message(e) })
    }
  }

  return { runs, of, load, run }
})
