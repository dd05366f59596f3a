import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { RunStartRequest, RunSummary, SweepStartRequest } from '../../../shared/api'
import { api } from '../api'
import { message } from './lab'
import { useRunDetailStore } from './runDetail'
import { useRunsStore } from './runs'

export type RunAction = 'pause' | 'resume' | 'cancel' | 'delete'

/** Starting a run, and pausing, resuming, cancelling or deleting one, with what is pending and what failed. */
export const useRunControlStore = defineStore('runControl', () => {
  const runs = useRunsStore()
  const pending = ref<Record<string, RunAction>>({})
  /** The last failed action, and the run it was for. */
  const actionError = ref<{ id: string; message: string } | null>(null)
  const starting = ref(false)
  const startError = ref<string | null>(null)

  /** Starts a run; resolves with it (to be shown), or null when it could not start (see startError). */
  async function start(req: RunStartRequest): Promise<RunSummary | null> {
    starting.value = true
    startError.value = null
    try {
      const run = await api.startRun(req)
      runs.upsert(run)
      useRunDetailStore().tab = 'overview'
      return run
    } catch (e) {
      startError.value = message(e)
      return null
    } finally {
      starting.value = false
    }
  }

  /** Starts a sweep (algorithms × tasks × seeds, trained here); resolves with its first run, or null. */
  async function startSweep(req: SweepStartRequest): Promise<RunSummary | null> {
    starting.value = true
    startError.value = null
    try {
      const sweep = await api.startSweep(req)
      for (const run of sweep.runs) runs.upsert(run)
      useRunDetailStore().tab = 'overview'
      return sweep.runs[0] ?? null
    } catch (e) {
      startError.value = message(e)
      return null
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
        if (!r.pending) runs.forget(id)
      } else {
        const run =
          action === 'pause'
            ? await api.pauseRun({ id })
            : action === 'resume'
              ? await api.resumeRun({ id })
              : await api.cancelRun({ id })
        runs.upsert(run)
      }
    } catch (e) {
      actionError.value = { id, message: message(e) }
    } finally {
      const { [id]: _done, ...rest } = pending.value
      pending.value = rest
    }
  }

  return { pending, actionError, starting, startError, start, startSweep, act }
})
