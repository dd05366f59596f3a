/** The Electron application menu's File commands, as counters the views and components watch. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Unsubscribe } from '../../../shared/api'
import { shell } from '../api'
import { useExportsStore } from './exports'

export const useShellStore = defineStore('shell', () => {
  /** Bumped by File → New run. */
  const newRunRequests = ref(0)

  /** Starts listening to the menu (Electron only; a no-op in a browser). */
  function listen(): Unsubscribe {
    if (!shell) return () => {}
    return shell.onMenuCommand((command) => {
      if (command === 'new-run') newRunRequests.value++
      else if (command === 'export-genome') useExportsStore().menuRequests++
    })
  }

  return { newRunRequests, listen }
})
