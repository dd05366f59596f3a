/** The run detail's curves: their x axis and smoothing, kept while the user moves between runs. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Smoothing } from '../lib/smoothing'

export type CurveAxis = 'generation' | 'evaluations' | 'seconds'

export const useCurvesStore = defineStore('curves', () => {
  const axis = ref<CurveAxis>('generation')
  const kind = ref<Smoothing['kind']>('none')
  /** EMA weight, 0 (none) to 0.99. */
  const weight = ref(0.6)
  /** Running-mean window, in points. */
  const window = ref(5)
  const smoothing = computed<Smoothing>(() =>
    kind.value === 'ema'
      ? { kind: 'ema', weight: weight.value }
      : kind.value === 'mean'
        ? { kind: 'mean', window: window.value }
        : { kind: 'none' }
  )
  return { axis, kind, weight, window, smoothing }
})
