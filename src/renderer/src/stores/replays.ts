import { defineStore } from 'pinia'
import { shallowReactive } from 'vue'
import type { RunReplayResponse } from '../../../shared/api'
import { api } from '../api'
import { message, type LoadState } from './lab'

export interface ReplayEntry {
  state: LoadState
  result: RunReplayResponse | null
  error: string | null
}

/**
 * Replays of several runs' best genomes on one task, for synced side-by-side replays (SyncedReplays.vue),
 * kept per run and task (a genome's replay is deterministic, so a result stays valid).
 */
export const useReplaysStore = defineStore('replays', () => {
  const entries = shallowReactive(new Map<string, ReplayEntry>())
  const key = (id: string, task: string | undefined): string => `${id}|${task ?? ''}`

  function entry(id: string, task?: string): ReplayEntry | null {
    return entries.get(key(id, task)) ?? null
  }

  /** Replays run `id`'s latest best genome on `task` (default: its own), unless already done or under way. */
  async function load(id: string, task?: string): Promise<void> {
    const k = key(id, task)
    const have = entries.get(k)
    if (have && (have.state === 'ready' || have.state === 'loading')) return
    entries.set(k, { state: 'loading', result: null, error: null })
    try {
      const result = await api.replayRun(task === undefined ? { id } : { id, task })
      entries.set(k, { state: 'ready', result, error: null })
    } catch (e) {
      entries.set(k, { state: 'error', result: null, error: message(e) })
    }
  }

  return { entries, entry, load }
})
