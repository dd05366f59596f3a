import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  RunEvent,
  RunGetResponse,
  RunProgressEvent,
  RunsListResponse,
  RunSummary
} from '../../../shared/api'
import { api } from '../api'
import { message, type LoadState } from './lab'

/** How often the open Runs view re-reads the workspace (runs started or trained by the CLI). */
const POLL_MS = 2500
/** Progress events are applied at most this often (a fast run sends hundreds a second). */
const PROGRESS_MS = 200

/**
 * The training runs of the workspace: the list (optionally one sweep's), each run's detail (settings and
 * per-generation metrics) once asked for, and live progress from the backend's run events. Which run is
 * shown is the route's business (`#/runs/:id`); which runs are compared is the compare store's.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = shallowRef<RunSummary[]>([])
  const workspace = ref<string | null>(null)
  const sweeps = shallowRef<RunsListResponse['sweeps']>([])
  const sweepFilter = ref('')
  const listState = ref<LoadState>('idle')
  const listError = ref<string | null>(null)

  const details = shallowRef<Record<string, RunGetResponse>>({})
  const detailErrors = ref<Record<string, string>>({})
  const progress = shallowRef<Record<string, RunProgressEvent>>({})
  /**
   * The run `#/runs` shows: the newest run when the list was read, kept while it is in the list (a run
   * started meanwhile does not take its place); picked again by the next read once it has gone.
   */
  const defaultId = ref<string | null>(null)

  const byId = computed(() => new Map(runs.value.map((r) => [r.id, r])))
  const latestId = computed(() => {
    let best: RunSummary | null = null
    for (const r of runs.value) if (!best || r.createdAt >= best.createdAt) best = r
    return best?.id ?? null
  })

  /**
   * The run a route parameter names: an id or a unique prefix of one (as in the CLI); without a
   * parameter, the default run. Null when the list has no such run.
   */
  function resolveId(param: string | null | undefined): string | null {
    if (!param) return defaultId.value && byId.value.has(defaultId.value) ? defaultId.value : null
    if (byId.value.has(param)) return param
    const matches = runs.value.filter((r) => r.id.startsWith(param))
    return matches.length === 1 ? matches[0].id : null
  }

  /** Seconds left for a running run: from its last progress event, else estimated from the budget used. */
  function etaOf(id: string): number | null {
    const live = progress.value[id]
    if (live) return live.etaSeconds
    const r = byId.value.get(id)
    if (!r || r.status !== 'running' || r.fraction <= 0) return null
    return Math.max(0, r.wallSeconds / r.fraction - r.wallSeconds)
  }
  const counts = computed(() => {
    const c = { total: runs.value.length, running: 0, completed: 0, paused: 0, failed: 0 }
    for (const r of runs.value) {
      if (r.status === 'running') c.running++
      else if (r.status === 'completed') c.completed++
      else if (r.status === 'paused') c.paused++
      else if (r.status === 'failed') c.failed++
    }
    return c
  })

  // ---- the event stream -------------------------------------------------------------------------

  let unsubscribe: (() => void) | null = null
  function subscribe(): void {
    unsubscribe ??= api.onRunEvent(onEvent)
  }

  // Progress can arrive many times a second: it is applied in batches, at most every PROGRESS_MS.
  let queued: RunProgressEvent[] = []
  let flushTimer: ReturnType<typeof setTimeout> | null = null

  function onEvent(e: RunEvent): void {
    if (e.type === 'progress') {
      queued.push(e)
      flushTimer ??= setTimeout(flush, PROGRESS_MS)
      return
    }
    flush()
    if (e.type === 'status') {
      if (e.run.status !== 'running' && progress.value[e.run.id]) {
        const { [e.run.id]: _done, ...rest } = progress.value
        progress.value = rest
      }
      if (!sweepFilter.value || e.run.sweepId === sweepFilter.value) upsert(e.run)
      // A run that just stopped: re-read it (the last generation's metrics are final).
      if (e.run.status !== 'running' && details.value[e.run.id]) void loadDetail(e.run.id)
    } else {
      forget(e.runId)
    }
  }

  function flush(): void {
    if (flushTimer) clearTimeout(flushTimer)
    flushTimer = null
    if (!queued.length) return
    const batch = queued
    queued = []
    const latest = new Map<string, RunProgressEvent>()
    const metrics = new Map<string, RunProgressEvent['metric'][]>()
    for (const e of batch) {
      latest.set(e.runId, e)
      const list = metrics.get(e.runId) ?? []
      list.push(e.metric)
      metrics.set(e.runId, list)
    }
    progress.value = { ...progress.value, ...Object.fromEntries(latest) }
    for (const [id, e] of latest) {
      const row = byId.value.get(id)
      if (row) {
        upsert({
          ...row,
          generation: e.generation,
          evaluations: e.evaluations,
          bestFitness: e.bestFitness,
          bestMetrics: e.bestMetrics,
          wallSeconds: e.elapsedSeconds,
          fraction: e.fraction
        })
      }
    }
    let nextDetails = details.value
    for (const id of latest.keys()) {
      const d = nextDetails[id]
      if (d) {
        const have = d.metrics.at(-1)?.generation ?? 0
        const fresh = metrics.get(id)!.filter((m) => m.generation > have)
        if (fresh.length) nextDetails = { ...nextDetails, [id]: { ...d, metrics: [...d.metrics, ...fresh] } }
      }
    }
    if (nextDetails !== details.value) details.value = nextDetails
  }

  /** Adds a run to the list, or replaces its summary (in its detail too). */
  function upsert(run: RunSummary): void {
    const i = runs.value.findIndex((r) => r.id === run.id)
    runs.value = i < 0 ? [...runs.value, run] : runs.value.map((r, k) => (k === i ? run : r))
    const d = details.value[run.id]
    if (d) details.value = { ...details.value, [run.id]: { ...d, run: { ...d.run, ...run } } }
  }

  /** Drops a deleted run. */
  function forget(id: string): void {
    runs.value = runs.value.filter((r) => r.id !== id)
    const { [id]: _gone, ...rest } = details.value
    details.value = rest
  }

  // ---- loading ----------------------------------------------------------------------------------

  async function load(): Promise<void> {
    subscribe()
    if (listState.value === 'idle') listState.value = 'loading'
    try {
      const r = await api.listRuns(sweepFilter.value ? { sweepId: sweepFilter.value } : {})
      runs.value = r.runs
      workspace.value = r.workspace
      sweeps.value = r.sweeps
      listState.value = 'ready'
      listError.value = null
      if (!defaultId.value || !byId.value.has(defaultId.value)) defaultId.value = latestId.value
    } catch (e) {
      listState.value = 'error'
      listError.value = message(e)
    }
  }

  /** (Re-)reads one run's settings and metrics. */
  async function loadDetail(id: string): Promise<void> {
    try {
      const d = await api.getRun({ id })
      // Keep generations that arrived as events while the request was on its way.
      const last = d.metrics.at(-1)?.generation ?? 0
      const newer = (details.value[id]?.metrics ?? []).filter((m) => m.generation > last)
      details.value = {
        ...details.value,
        [id]: newer.length ? { ...d, metrics: [...d.metrics, ...newer] } : d
      }
      if (detailErrors.value[id]) {
        const { [id]: _ok, ...rest } = detailErrors.value
        detailErrors.value = rest
      }
    } catch (e) {
      detailErrors.value = { ...detailErrors.value, [id]: message(e) }
    }
  }

  const reading = new Map<string, Promise<void>>()
  /** Reads a run's detail unless it is loaded or on its way. */
  function ensureDetail(id: string): Promise<void> {
    if (details.value[id]) return Promise.resolve()
    let p = reading.get(id)
    if (!p) {
      p = loadDetail(id).finally(() => reading.delete(id))
      reading.set(id, p)
    }
    return p
  }

  function setSweepFilter(id: string): void {
    sweepFilter.value = id
    void load()
  }

  // ---- the workspace is shared with the CLI: re-read it while the Runs view is open --------------

  let timer: ReturnType<typeof setInterval> | null = null
  let polling = false

  async function poll(shown: () => Iterable<string | null>): Promise<void> {
    if (polling || (typeof document !== 'undefined' && document.hidden)) return
    polling = true
    try {
      await load()
      // Runs trained by another process send no events: re-read the ones on screen.
      const elsewhere = new Set<string>()
      for (const id of shown()) if (id && byId.value.get(id)?.live === 'elsewhere') elsewhere.add(id)
      await Promise.all([...elsewhere].map((id) => loadDetail(id)))
    } finally {
      polling = false
    }
  }

  /**
   * Re-reads the workspace every POLL_MS (new runs and runs trained by the CLI) until stopped, and the
   * details of the runs `shown` names.
   */
  function startPolling(shown: () => Iterable<string | null> = () => []): void {
    timer ??= setInterval(() => void poll(shown), POLL_MS)
  }

  function stopPolling(): void {
    if (timer) clearInterval(timer)
    timer = null
  }

  return {
    runs,
    workspace,
    sweeps,
    sweepFilter,
    listState,
    listError,
    details,
    detailErrors,
    progress,
    defaultId,
    byId,
    latestId,
    counts,
    resolveId,
    etaOf,
    upsert,
    forget,
    load,
    loadDetail,
    ensureDetail,
    setSweepFilter,
    startPolling,
    stopPolling
  }
})
