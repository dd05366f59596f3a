import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type {
  AppInfo,
  ConnectomeSummary,
  RolloutBackend,
  RolloutResponse,
  TaskName
} from '../../../shared/api'
import { api, transport } from '../api'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** App-wide state. All backend access goes through the typed `api` module. */
export const useLabStore = defineStore('lab', () => {
  const info = shallowRef<AppInfo | null>(null)
  const infoState = ref<LoadState>('idle')
  const summary = shallowRef<ConnectomeSummary | null>(null)
  const summaryState = ref<LoadState>('idle')
  const task = ref<TaskName>('pentagon')
  const rollout = shallowRef<RolloutResponse | null>(null)
  const rolloutState = ref<LoadState>('idle')
  const rolloutMs = ref<number | null>(null)
  const error = ref<string | null>(null)
  /** Where the header's Runs link goes: the Runs page last shown (set by the router), so that a run
   * stays on screen across a visit to the rollout. */
  const runsPath = ref('/runs')
  /** Where runs started here do their rollouts, and the workers serving them (refreshed by the run view). */
  const backend = shallowRef<RolloutBackend | null>(null)
  const backendError = ref<string | null>(null)

  async function loadBackend(): Promise<void> {
    try {
      backend.value = await api.rolloutBackend()
      backendError.value = null
    } catch (e) {
      backendError.value = message(e)
    }
  }

  async function load(): Promise<void> {
    infoState.value = 'loading'
    summaryState.value = 'loading'
    await Promise.all([
      api.appInfo().then(
        (r) => {
          info.value = r
          infoState.value = 'ready'
        },
        (e: unknown) => {
          infoState.value = 'error'
          error.value = message(e)
        }
      ),
      api.connectomeSummary().then(
        (r) => {
          summary.value = r
          summaryState.value = 'ready'
        },
        (e: unknown) => {
          summaryState.value = 'error'
          error.value = message(e)
        }
      )
    ])
  }

  async function runRollout(): Promise<void> {
    rolloutState.value = 'loading'
    error.value = null
    const started = performance.now()
    try {
      rollout.value = await api.runRollout({ task: task.value })
      rolloutMs.value = performance.now() - started
      rolloutState.value = 'ready'
    } catch (e) {
      rolloutState.value = 'error'
      error.value = message(e)
    }
  }

  return {
    transport,
    info,
    infoState,
    summary,
    summaryState,
    task,
    rollout,
    rolloutState,
    rolloutMs,
    error,
    runsPath,
    backend,
    backendError,
    loadBackend,
    load,
    runRollout
  }
})
