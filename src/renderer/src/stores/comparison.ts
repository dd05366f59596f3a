import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SpreadKind } from '../../../core/analysis/band'
import type { CompareXAxis, RunsCompareResponse } from '../../../shared/api'
import { api } from '../api'
import { seriesColor } from '../lib/palette'
import { message } from './lab'

/** How a group's spread is drawn around its mean: ± one sample std, the min–max envelope, or not. */
export type BandKind = SpreadKind | 'none'
export const BAND_KINDS: BandKind[] = ['std', 'minmax', 'none']

/** The Compare view's tabs; the lead adds the side-by-side replays and connectome diffs here. */
export type CompareTab = 'curves' | 'statistics' | 'config' | 'replays' | 'connectomes' | 'report'

export interface CompareParams {
  ids: string[]
  sweepId: string | null
  groupBy: string
  metric: string
  x: CompareXAxis
}

/**
 * The Compare view's state: what is compared (runs or a sweep, the group-by key, metric and x axis, all
 * mirrored in the address), how it is drawn (band, individual runs, tab), and the engine's comparison
 * (`runs:compare`) with when it arrived.
 */
export const useComparisonStore = defineStore('comparison', () => {
  const params = ref<CompareParams>({
    ids: [],
    sweepId: null,
    groupBy: 'algorithm',
    metric: 'bestFitness',
    x: 'evaluations'
  })
  const band = ref<BandKind>('std')
  const showRuns = ref(false)
  const tab = ref<CompareTab>('curves')
  const data = ref<RunsCompareResponse | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** performance.now() when the last comparison arrived (the render benchmark starts there). */
  const arrivedAt = ref(0)
  /** The address query last shown, for the header's Compare link. */
  const lastQuery = ref<Record<string, unknown>>({})
  let seq = 0

  /** Each group's colour, in the engine's group order. */
  const groupColors = computed<Record<string, string>>(() =>
    Object.fromEntries((data.value?.groups ?? []).map((g, i) => [g.key, seriesColor(i)]))
  )

  const hasTarget = computed(() => params.value.ids.length > 0 || params.value.sweepId !== null)

  async function load(): Promise<void> {
    if (!hasTarget.value) {
      data.value = null
      error.value = null
      return
    }
    const mine = ++seq
    loading.value = true
    error.value = null
    const p = params.value
    try {
      const result = await api.compareRuns({
        ...(p.ids.length ? { ids: p.ids } : {}),
        ...(p.sweepId ? { sweepId: p.sweepId } : {}),
        groupBy: p.groupBy,
        metric: p.metric,
        x: p.x
      })
      if (mine !== seq) return
      arrivedAt.value = performance.now()
      data.value = result
    } catch (e) {
      if (mine !== seq) return
      error.value = message(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** New parameters (from the address); reloads when they changed, or always with `fresh`. */
  function set(next: CompareParams, fresh = false): void {
    const same = JSON.stringify(next) === JSON.stringify(params.value)
    if (!fresh && same && (data.value || loading.value)) return
    params.value = next
    void load()
  }

  return {
    lastQuery,
    params,
    band,
    showRuns,
    tab,
    data,
    loading,
    error,
    arrivedAt,
    groupColors,
    hasTarget,
    load,
    set
  }
})
