import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { NO_FILTERS, type RunFilters } from '../lib/filterRuns'
import { DEFAULT_PREFS, parsePrefs, PREFS_KEY, serializePrefs } from '../lib/runsViewPrefs'
import { sortsDescending, type RunSortKey } from '../lib/sortRuns'

/** localStorage, when the page has one (not in tests without a DOM, nor where storage is blocked). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/**
 * How the runs table is shown: its filters, sort column and direction, grouping by sweep and the folded
 * sweep groups. Remembered across reloads (localStorage, validated when read: lib/runsViewPrefs.ts).
 */
export const useRunsViewStore = defineStore('runsView', () => {
  const saved = parsePrefs(storage()?.getItem(PREFS_KEY) ?? null)
  const filters = ref<RunFilters>({ ...saved.filters })
  const sortKey = ref<RunSortKey>(saved.sort.key)
  const sortDesc = ref(saved.sort.desc)
  const groupBySweep = ref(saved.groupBySweep)
  const collapsed = ref<string[]>(saved.collapsed)

  watch(
    [filters, sortKey, sortDesc, groupBySweep, collapsed],
    () => {
      try {
        storage()?.setItem(
          PREFS_KEY,
          serializePrefs({
            filters: filters.value,
            sort: { key: sortKey.value, desc: sortDesc.value },
            groupBySweep: groupBySweep.value,
            collapsed: collapsed.value
          })
        )
      } catch {
        /* storage full or blocked: the settings last for this page only */
      }
    },
    { deep: true }
  )

  /** Sorts by a column: the same column again flips the direction. */
  function sortBy(k: RunSortKey): void {
    if (sortKey.value === k) sortDesc.value = !sortDesc.value
    else {
      sortKey.value = k
      sortDesc.value = sortsDescending(k)
    }
  }

  function setFilter<K extends keyof RunFilters>(k: K, value: RunFilters[K]): void {
    filters.value = { ...filters.value, [k]: value }
  }

  function clearFilters(): void {
    filters.value = { ...NO_FILTERS }
  }

  function toggleGroup(key: string): void {
    collapsed.value = collapsed.value.includes(key)
      ? collapsed.value.filter((k) => k !== key)
      : [...collapsed.value, key]
  }

  function reset(): void {
    filters.value = { ...DEFAULT_PREFS.filters }
    sortKey.value = DEFAULT_PREFS.sort.key
    sortDesc.value = DEFAULT_PREFS.sort.desc
    groupBySweep.value = DEFAULT_PREFS.groupBySweep
    collapsed.value = []
  }

  return {
    filters,
    sortKey,
    sortDesc,
    groupBySweep,
    collapsed,
    sortBy,
    setFilter,
    clearFilters,
    toggleGroup,
    reset
  }
})
