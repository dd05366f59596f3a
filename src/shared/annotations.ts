/**
 * A run's annotations (tags and notes, the `runs.tags` / `runs.notes` columns, docs/store.md): the one
 * place their rules live, shared by the `runs:annotate` channel, the `lab tag` / `lab note` commands and
 * the run detail's editors. Every message names the rule broken; zod adds the field's path.
 */
import { z } from 'zod'
import { runIdSchema } from './api-runs'

export const TAG_MAX_LENGTH = 32
export const TAGS_MAX_COUNT = 20
export const NOTES_MAX_LENGTH = 10_000
/** Letters, digits and `. _ - : +`, starting with a letter or a digit (`baseline`, `lr:0.1`, `v2-fix`). */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._:+-]*$/u

export const TAG_RULE =
  `a tag is 1 to ${TAG_MAX_LENGTH} characters: letters, digits and . _ - : +, ` +
  'starting with a letter or a digit (no spaces)'

export const tagSchema = z
  .string()
  .trim()
  .min(1, `a tag cannot be empty (${TAG_RULE})`)
  .max(TAG_MAX_LENGTH, `a tag has at most ${TAG_MAX_LENGTH} characters`)
  .regex(TAG_PATTERN, TAG_RULE)

export const tagsSchema = z
  .array(tagSchema)
  .max(TAGS_MAX_COUNT, `a run has at most ${TAGS_MAX_COUNT} tags`)
  .superRefine((tags, ctx) => {
    const seen = new Set<string>()
    tags.forEach((t, i) => {
      if (seen.has(t)) ctx.addIssue({ code: 'custom', path: [i], message: `tag '${t}' is given twice` })
      seen.add(t)
    })
  })

export const notesSchema = z
  .string()
  .max(NOTES_MAX_LENGTH, `notes have at most ${NOTES_MAX_LENGTH.toLocaleString('en')} characters`)

/** `runs:annotate`: replaces a run's tags, its notes, or both (what is not given is kept). */
export const runAnnotateRequestSchema = z
  .strictObject({
    id: runIdSchema,
    tags: tagsSchema.optional(),
    notes: notesSchema.optional()
  })
  .refine((r) => r.tags !== undefined || r.notes !== undefined, {
    message: 'give tags or notes (or both) to change'
  })
export type RunAnnotateRequest = z.input<typeof runAnnotateRequestSchema>

/** The first rule a tag breaks, or null when it is a valid tag (for editors that check as you type). */
export function tagProblem(tag: string): string | null {
  const r = tagSchema.safeParse(tag)
  return r.success ? null : r.error.issues[0].message
}

/** `tags` with `add` appended (in order, once each) and `remove` taken out; validated by the caller. */
export function editTags(
  tags: readonly string[],
  add: readonly string[],
  remove: readonly string[]
): string[] {
  const gone = new Set(remove.map((t) => t.trim()))
  const out = tags.filter((t) => !gone.has(t))
  for (const raw of add) {
    const t = raw.trim()
    if (!out.includes(t) && !gone.has(t)) out.push(t)
  }
  return out
}
