import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { RunDiffResponse, RunReplayResponse } from '../../../shared/api'
import { api } from '../api'
import { message, type LoadState } from './lab'

export type RunsTab = 'overview' | 'replay' | 'diff' | 'analyses'

/**
 * The run detail panel: its open tab, and the last replay and connectome diff asked for. Each result
 * names its run (`replayRunId`, `diffRunId`): the panel shows one only while it shows that run.
 */
export const useRunDetailStore = defineStore('runDetail', () => {
  const tab = ref<RunsTab>('overview')

  const replay = shallowRef<RunReplayResponse | null>(null)
  const replayRunId = ref<string | null>(null)
  const replayState = ref<LoadState>('idle')
  const replayError = ref<string | null>(null)
  const replayMs = ref<number | null>(null)

  const diff = shallowRef<RunDiffResponse | null>(null)
  const diffRunId = ref<string | null>(null)
  const diffState = ref<LoadState>('idle')
  const diffError = ref<string | null>(null)

  /** Re-runs a run's best genome (of the latest generation, or of `generation`; on its task, or `task`). */
  async function runReplay(id: string, generation?: number, task?: string): Promise<void> {
    if (replayRunId.value !== id) replay.value = null
    replayRunId.value = id
    replayState.value = 'loading'
    replayError.value = null
    const t0 = performance.now()
    try {
      const r = await api.replayRun({
        id,
        ...(generation === undefined ? {} : { generation }),
        ...(task === undefined ? {} : { task })
      })
      if (replayRunId.value !== id) return // another run's replay was asked for meanwhile
      replay.value = r
      replayMs.value = performance.now() - t0
      replayState.value = 'ready'
    } catch (e) {
      if (replayRunId.value !== id) return
      replayState.value = 'error'
      replayError.value = message(e)
    }
  }

  /** Compares a run's best genome (of the latest generation, or of `generation`) with W0. */
  async function loadDiff(id: string, generation?: number): Promise<void> {
    if (diffRunId.value !== id) diff.value = null
    diffRunId.value = id
    diffState.value = 'loading'
    diffError.value = null
    try {
      const r = await api.diffRun(generation === undefined ? { id } : { id, generation })
      if (diffRunId.value !== id) return
      diff.value = r
      diffState.value = 'ready'
    } catch (e) {
      if (diffRunId.value !== id) return
      diffState.value = 'error'
      diffError.value = message(e)
    }
  }

  return {
    tab,
    replay,
    replayRunId,
    replayState,
    replayError,
    replayMs,
    diff,
    diffRunId,
    diffState,
    diffError,
    runReplay,
    loadDiff
  }
})
