import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { AppInfo, ConnectomeSummary, RolloutResponse, TaskName } from '../../../shared/api'
import { api, transport } from '../api'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'
/** The app's views: the untrained rollout (#/) and the training runs (#/runs). */
export type View = 'rollout' | 'runs'

const viewFromHash = (hash: string): View => (hash.startsWith('#/runs') ? 'runs' : 'rollout')

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

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
  const view = ref<View>(typeof location !== 'undefined' ? viewFromHash(location.hash) : 'rollout')
  if (typeof window !== 'undefined') {
    window.addEventListener('hashchange', () => (view.value = viewFromHash(location.hash)))
    watch(view, (v) => {
      const hash = v === 'runs' ? '#/runs' : '#/'
      if (location.hash !== hash) location.hash = hash
    })
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
    view,
    load,
    runRollout
  }
})
