import { defineStore } from 'pinia'
import { ref } from 'vue'
import { editTags } from '../../../shared/annotations'
import { api } from '../api'
import { message } from './lab'
import { useRunsStore } from './runs'

type Field = 'name' | 'tags' | 'notes'

/**
 * Renames runs and edits their tags and notes (`runs:rename`, `runs:annotate`): what is being saved, and
 * the last failure per run and field (the backend's message names the field and the rule).
 */
export const useAnnotationsStore = defineStore('annotations', () => {
  const runs = useRunsStore()
  const saving = ref<Record<string, Field | undefined>>({})
  const errors = ref<Record<string, string>>({})

  const key = (id: string, f: Field): string => `${id}:${f}`
  const errorOf = (id: string, f: Field): string | null => errors.value[key(id, f)] ?? null

  async function save(id: string, f: Field, call: () => ReturnType<typeof api.renameRun>): Promise<boolean> {
    saving.value = { ...saving.value, [id]: f }
    try {
      runs.upsert(await call())
      const { [key(id, f)]: _ok, ...rest } = errors.value
      errors.value = rest
      return true
    } catch (e) {
      errors.value = { ...errors.value, [key(id, f)]: message(e) }
      return false
    } finally {
      const { [id]: _done, ...rest } = saving.value
      saving.value = rest
    }
  }

  const rename = (id: string, name: string): Promise<boolean> =>
    save(id, 'name', () => api.renameRun({ id, name }))
  const setTags = (id: string, tags: string[]): Promise<boolean> =>
    save(id, 'tags', () => api.annotateRun({ id, tags }))
  const setNotes = (id: string, notes: string): Promise<boolean> =>
    save(id, 'notes', () => api.annotateRun({ id, notes }))

  const tagQueue = new Map<string, Promise<boolean>>()
  /**
   * Adds and removes tags, one change after another per run: each applies to the tags the previous one
   * left, so two quick edits never overwrite each other.
   */
  function changeTags(id: string, add: string[], remove: string[]): Promise<boolean> {
    const next = (tagQueue.get(id) ?? Promise.resolve(true)).then(() =>
      setTags(id, editTags(runs.byId.get(id)?.tags ?? [], add, remove))
    )
    tagQueue.set(id, next)
    void next.finally(() => {
      if (tagQueue.get(id) === next) tagQueue.delete(id)
    })
    return next
  }

  function clearError(id: string, f: Field): void {
    const { [key(id, f)]: _gone, ...rest } = errors.value
    errors.value = rest
  }

  return { saving, errors, errorOf, rename, setTags, changeTags, setNotes, clearError }
})
