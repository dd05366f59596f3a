import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type {
  RunDiffResponse,
  RunEvent,
  RunGetResponse,
  RunProgressEvent,
  RunReplayResponse,
  RunsListResponse,
  RunStartRequest,
  RunSummary
} from '../../../shared/api'
import { api } from '../api'
import { seriesColors } from '../lib/palette'
import type { LoadState } from './lab'

export type RunsTab = 'overview' | 'replay' | 'diff'
export type CurveAxis = 'generation' | 'seconds'
export type RunAction = 'pause' | 'resume' | 'cancel' | 'delete'

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** How often the open Runs view re-reads the workspace (runs started or trained by the CLI). */
const POLL_MS = 2500
/** Progress events are applied at most this often (a fast run sends hundreds a second). */
const PROGRESS_MS = 200

/**
 * The training runs of the workspace: the list, the runs compared in the curves (`selected`), the run
 * shown in the detail panel (`focusedId`), its replay and connectome diff, and live progress from the
 * backend's run events.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = shallowRef<RunSummary[]>([])
  const workspace = ref<string | null>(null)
  const sweeps = shallowRef<RunsListResponse['sweeps']>([])
  const sweepFilter = ref('')
  const listState = ref<LoadState>('idle')
  const listError = ref<string | null>(null)

  const selected = ref<string[]>([])
  const colorOf = ref<Record<string, string>>({})
  const focusedId = ref<string | null>(null)
  const details = shallowRef<Record<string, RunGetResponse>>({})
  const detailErrors = ref<Record<string, string>>({})
  const progress = shallowRef<Record<string, RunProgressEvent>>({})

  const curveAxis = ref<CurveAxis>('generation')
  const tab = ref<RunsTab>('overview')

  const replay = shallowRef<RunReplayResponse | null>(null)
  const replayState = ref<LoadState>('idle')
  const replayError = ref<string | null>(null)
  const replayMs = ref<number | null>(null)

  const diff = shallowRef<RunDiffResponse | null>(null)
  const diffState = ref<LoadState>('idle')
  const diffError = ref<string | null>(null)

  const pending = ref<Record<string, RunAction>>({})
  const actionError = ref<string | null>(null)
  const starting = ref(false)
  const startError = ref<string | null>(null)

  const byId = computed(() => new Map(runs.value.map((r) => [r.id, r])))

  /** Seconds left for a running run: from its last progress event, else estimated from the budget used. */
  function etaOf(id: string): number | null {
    const live = progress.value[id]
    if (live) return live.etaSeconds
    const r = byId.value.get(id)
    if (!r || r.status !== 'running' || r.fraction <= 0) return null
    return Math.max(0, r.wallSeconds / r.fraction - r.wallSeconds)
  }
  const focused = computed(() => (focusedId.value ? (byId.value.get(focusedId.value) ?? null) : null))
  const focusedDetail = computed(() => (focusedId.value ? (details.value[focusedId.value] ?? null) : null))
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
          bestFoodEaten: e.bestFoodEaten,
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

  function upsert(run: RunSummary): void {
    const i = runs.value.findIndex((r) => r.id === run.id)
    runs.value = i < 0 ? [...runs.value, run] : runs.value.map((r, k) => (k === i ? run : r))
    const d = details.value[run.id]
    if (d) details.value = { ...details.value, [run.id]: { ...d, run: { ...d.run, ...run } } }
  }

  function forget(id: string): void {
    runs.value = runs.value.filter((r) => r.id !== id)
    selected.value = selected.value.filter((s) => s !== id)
    const { [id]: _gone, ...rest } = details.value
    details.value = rest
    if (focusedId.value === id) focus(selected.value[0] ?? latestId())
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
      const ids = new Set(r.runs.map((x) => x.id))
      selected.value = selected.value.filter((id) => ids.has(id))
      if (focusedId.value && !ids.has(focusedId.value)) focusedId.value = null
      if (!focusedId.value && r.runs.length) {
        const id = latestId()
        if (id) select(id)
      }
    } catch (e) {
      listState.value = 'error'
      listError.value = message(e)
    }
  }

  function latestId(): string | null {
    let best: RunSummary | null = null
    for (const r of runs.value) if (!best || r.createdAt >= best.createdAt) best = r
    return best?.id ?? null
  }

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

  // ---- selection --------------------------------------------------------------------------------

  function assignColor(id: string): void {
    if (colorOf.value[id]) return
    const used = new Set(selected.value.map((s) => colorOf.value[s]))
    const free =
      seriesColors.find((c) => !used.has(c)) ?? seriesColors[selected.value.length % seriesColors.length]
    colorOf.value = { ...colorOf.value, [id]: free }
  }

  function focus(id: string | null): void {
    if (focusedId.value === id) return
    focusedId.value = id
    if (id && !details.value[id]) void loadDetail(id)
  }

  /** A plain click: this run alone, focused. */
  function select(id: string): void {
    selected.value = [id]
    colorOf.value = {}
    assignColor(id)
    focus(id)
  }

  /** Adds a run to (or removes it from) the comparison. */
  function toggle(id: string): void {
    if (selected.value.includes(id)) {
      selected.value = selected.value.filter((s) => s !== id)
      const { [id]: _c, ...rest } = colorOf.value
      colorOf.value = rest
      if (focusedId.value === id) focus(selected.value.at(-1) ?? null)
    } else {
      assignColor(id)
      selected.value = [...selected.value, id]
      if (!details.value[id]) void loadDetail(id)
      if (!focusedId.value) focus(id)
    }
  }

  function setSweepFilter(id: string): void {
    sweepFilter.value = id
    void load()
  }

  // ---- replay and diff of the focused run --------------------------------------------------------

  async function runReplay(generation?: number): Promise<void> {
    const id = focusedId.value
    if (!id) return
    replayState.value = 'loading'
    replayError.value = null
    const t0 = performance.now()
    try {
      const r = await api.replayRun(generation === undefined ? { id } : { id, generation })
      if (focusedId.value !== id) return
      replay.value = r
      replayMs.value = performance.now() - t0
      replayState.value = 'ready'
    } catch (e) {
      replayState.value = 'error'
      replayError.value = message(e)
    }
  }

  async function loadDiff(generation?: number): Promise<void> {
    const id = focusedId.value
    if (!id) return
    diffState.value = 'loading'
    diffError.value = null
    try {
      const r = await api.diffRun(generation === undefined ? { id } : { id, generation })
      if (focusedId.value !== id) return
      diff.value = r
      diffState.value = 'ready'
    } catch (e) {
      diffState.value = 'error'
      diffError.value = message(e)
    }
  }

  watch(focusedId, () => {
    replay.value = null
    replayState.value = 'idle'
    replayError.value = null
    diff.value = null
    diffState.value = 'idle'
    diffError.value = null
    actionError.value = null
  })

  // ---- control ----------------------------------------------------------------------------------

  async function start(req: RunStartRequest): Promise<boolean> {
    starting.value = true
    startError.value = null
    try {
      const run = await api.startRun(req)
      upsert(run)
      select(run.id)
      tab.value = 'overview'
      return true
    } catch (e) {
      startError.value = message(e)
      return false
    } finally {
      starting.value = false
    }
  }

  async function act(id: string, action: RunAction): Promise<void> {
    pending.value = { ...pending.value, [id]: action }
    actionError.value = null
    try {
      if (action === 'delete') {
        const r = await api.deleteRun({ id })
        if (!r.pending) forget(id)
      } else {
        const run =
          action === 'pause'
            ? await api.pauseRun({ id })
            : action === 'resume'
              ? await api.resumeRun({ id })
              : await api.cancelRun({ id })
        upsert(run)
      }
    } catch (e) {
      actionError.value = message(e)
    } finally {
      const { [id]: _done, ...rest } = pending.value
      pending.value = rest
    }
  }

  // ---- the workspace is shared with the CLI: re-read it while the Runs view is open --------------

  let timer: ReturnType<typeof setInterval> | null = null
  let polling = false

  async function poll(): Promise<void> {
    if (polling || (typeof document !== 'undefined' && document.hidden)) return
    polling = true
    try {
      await load()
      // Runs trained by another process send no events: re-read the compared ones.
      await Promise.all(
        selected.value.filter((id) => byId.value.get(id)?.live === 'elsewhere').map((id) => loadDetail(id))
      )
    } finally {
      polling = false
    }
  }

  /** Re-reads the workspace every POLL_MS (new runs and runs trained by the CLI) until stopped. */
  function startPolling(): void {
    timer ??= setInterval(() => void poll(), POLL_MS)
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
    selected,
    colorOf,
    focusedId,
    focused,
    focusedDetail,
    details,
    detailErrors,
    progress,
    counts,
    curveAxis,
    tab,
    replay,
    replayState,
    replayError,
    replayMs,
    diff,
    diffState,
    diffError,
    pending,
    actionError,
    starting,
    startError,
    load,
    loadDetail,
    select,
    toggle,
    focus,
    setSweepFilter,
    runReplay,
    loadDiff,
    start,
    act,
    startPolling,
    stopPolling,
    etaOf
  }
})
