/** The Electron application menu's File commands, as counters the views and components watch. */
import { defineStore } from 'pinia'
import { onMounted, ref, watch } from 'vue'
import type { Unsubscribe } from '../../../shared/api'
import { shell } from '../api'
import { useExportsStore } from './exports'

export const useShellStore = defineStore('shell', () => {
  /** Bumped by File → New run; the runs table opens its form and marks it handled (also when it mounts
   * after the request, once the Runs page is shown). */
  const newRunRequests = ref(0)
  const newRunHandled = ref(0)
  /** Whether a New run request waits; marks it handled. */
  function takeNewRun(): boolean {
    if (newRunRequests.value <= newRunHandled.value) return false
    newRunHandled.value = newRunRequests.value
    return true
  }

  /** Starts listening to the menu (Electron only; a no-op in a browser). */
  function listen(): Unsubscribe {
    if (!shell) return () => {}
    return shell.onMenuCommand((command) => {
      if (command === 'new-run') newRunRequests.value++
      else if (command === 'export-genome') useExportsStore().menuRequests++
    })
  }

  return { newRunRequests, newRunHandled, takeNewRun, listen }
})

/**
 * In a component's setup: calls `open` for each File → New run, also for one asked for before the
 * component mounted (the menu first shows the Runs page).
 */
export function onNewRunMenu(open: () => void): void {
  const shell = useShellStore()
  const openIfAsked = (): void => {
    if (shell.takeNewRun()) open()
  }
  watch(() => shell.newRunRequests, openIfAsked)
  onMounted(openIfAsked)
}
