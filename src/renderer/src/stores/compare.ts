import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { seriesColor } from '../lib/palette'
import { useRunsStore } from './runs'

export type CurveAxis = 'generation' | 'seconds'

/** The runs compared in the training curves (ticked in the table), each with its series colour. */
export const useCompareStore = defineStore('compare', () => {
  const runs = useRunsStore()
  const selected = ref<string[]>([])
  const colorOf = ref<Record<string, string>>({})
  const curveAxis = ref<CurveAxis>('generation')

  // Runs that left the list (deleted, or outside the sweep filter) leave the comparison.
  watch(
    () => runs.byId,
    (ids) => {
      const gone = selected.value.filter((id) => !ids.has(id))
      if (!gone.length) return
      selected.value = selected.value.filter((id) => ids.has(id))
      colorOf.value = Object.fromEntries(Object.entries(colorOf.value).filter(([id]) => ids.has(id)))
    }
  )

  function assignColor(id: string): void {
    if (colorOf.value[id]) return
    const used = new Set(selected.value.map((s) => colorOf.value[s]))
    let i = 0
    while (used.has(seriesColor(i))) i++
    const free = seriesColor(i)
    colorOf.value = { ...colorOf.value, [id]: free }
  }

  /** This run alone (a plain click on its row). */
  function only(id: string): void {
    selected.value = [id]
    colorOf.value = {}
    assignColor(id)
    void runs.ensureDetail(id)
  }

  /** Adds a run to (or removes it from) the comparison. */
  function toggle(id: string): void {
    if (selected.value.includes(id)) {
      selected.value = selected.value.filter((s) => s !== id)
      const { [id]: _c, ...rest } = colorOf.value
      colorOf.value = rest
    } else {
      assignColor(id)
      selected.value = [...selected.value, id]
      void runs.ensureDetail(id)
    }
  }

  /** Adds runs to the comparison (those not in it yet), e.g. a shift-click range or "select all". */
  function add(ids: readonly string[]): void {
    for (const id of ids) if (!selected.value.includes(id)) toggle(id)
  }

  /** Empties the comparison. */
  function clear(): void {
    selected.value = []
    colorOf.value = {}
  }

  return { selected, colorOf, curveAxis, only, toggle, add, clear }
})
