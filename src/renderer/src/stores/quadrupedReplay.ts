import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { QuadrupedMorphology, QuadrupedReplayResponse } from '../../../shared/api'
import { api } from '../api'
import { decodeFloat32 } from '../lib/base64'
import type { QuadrupedPoses } from '../lib/quadruped-view'
import { message, type LoadState } from './lab'

/** A quadruped replay with its poses decoded (the contract carries them as base64 float32). */
export type QuadrupedReplay = Omit<QuadrupedReplayResponse, 'poses'> & QuadrupedPoses

/**
 * The run detail's quadruped replay (`runs:quadruped-replay`): the last episode asked for, naming its run,
 * so the panel shows it only while it shows that run.
 */
export const useQuadrupedReplayStore = defineStore('quadrupedReplay', () => {
  const replay = shallowRef<QuadrupedReplay | null>(null)
  const runId = ref<string | null>(null)
  const state = ref<LoadState>('idle')
  const error = ref<string | null>(null)
  /** The latest request: an older answer arriving later is dropped. */
  let asked = 0

  async function load(
    id: string,
    opts: { generation?: number; morphology?: QuadrupedMorphology } = {}
  ): Promise<void> {
    if (runId.value !== id) replay.value = null
    runId.value = id
    state.value = 'loading'
    error.value = null
    const mine = ++asked
    try {
      const r = await api.replayQuadruped({ runId: id, ...opts })
      if (mine !== asked) return // another replay was asked for meanwhile
      replay.value = { ...r, poses: decodeFloat32(r.poses) }
      state.value = 'ready'
    } catch (e) {
      if (mine !== asked) return
      state.value = 'error'
      error.value = message(e)
    }
  }

  return { replay, runId, state, error, load }
})
