import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { RunDiffResponse } from '../../../shared/api'
import { api } from '../api'
import { message, type LoadState } from './lab'

/** What a diff is taken against: the prior W0, or another run's best genome (its id). */
export type DiffBaseline = 'w0' | string

/** The most changes one diff request returns (the contract's limit; the connectome has fewer synapses). */
export const FULL_DIFF_LIMIT = 10_000

export interface GraphDiff {
  state: LoadState
  data: RunDiffResponse | null
  error: string | null
}

export const diffKey = (runId: string, against: DiffBaseline, generation?: number): string =>
  `${runId}|${against}|${generation ?? 'latest'}`

/**
 * The connectome graph: full diffs (every changed synapse) by run, baseline and generation, shared by
 * every graph on screen (two side by side in Compare ask once), the baseline each run's diff tab shows,
 * the connectome card's view, and the "changed only" filter.
 */
export const useGraphStore = defineStore('graph', () => {
  const diffs = reactive(new Map<string, GraphDiff>())
  /** The baseline picked in a run's "Connectome diff" tab, by run id (W0 unless picked). */
  const baselines = reactive(new Map<string, DiffBaseline>())
  /** The rollout view's connectome card: the counts and chips, or the graph. */
  const cardView = ref<'summary' | 'graph'>('summary')
  /** Hide the synapses a diff left unchanged. */
  const changedOnly = ref(false)

  function diff(runId: string, against: DiffBaseline, generation?: number): GraphDiff | null {
    return diffs.get(diffKey(runId, against, generation)) ?? null
  }

  /** Reads the full diff (cached; `force` asks again, e.g. after a new generation). */
  async function loadDiff(
    runId: string,
    against: DiffBaseline,
    generation?: number,
    force = false
  ): Promise<void> {
    const key = diffKey(runId, against, generation)
    const known = diffs.get(key)
    if (known && !force && (known.state === 'ready' || known.state === 'loading')) return
    diffs.set(key, { state: 'loading', data: known?.data ?? null, error: null })
    try {
      const data = await api.diffRun({
        id: runId,
        limit: FULL_DIFF_LIMIT,
        ...(generation === undefined ? {} : { generation }),
        ...(against === 'w0' ? {} : { against })
      })
      diffs.set(key, { state: 'ready', data, error: null })
    } catch (e) {
      diffs.set(key, { state: 'error', data: null, error: message(e) })
    }
  }

  function baselineOf(runId: string): DiffBaseline {
    return baselines.get(runId) ?? 'w0'
  }

  function setBaseline(runId: string, against: DiffBaseline): void {
    baselines.set(runId, against)
  }

  return { diffs, baselines, cardView, changedOnly, diff, loadDiff, baselineOf, setBaseline }
})
