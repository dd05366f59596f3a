/** Validation of the shell's save-file message (./shell.ts), run by the main process on every call. */
import { z } from 'zod'
import { SAVE_FILE_LIMITS, type SaveFileRequest } from './shell'

const MiB = 1024 * 1024

export const saveFileNameSchema = z
  .string({ error: 'suggestedName: expected a file name (a string)' })
  .min(1, 'suggestedName: the file name is empty')
  .max(SAVE_FILE_LIMITS.maxNameLength, `suggestedName: at most ${SAVE_FILE_LIMITS.maxNameLength} characters`)
  .refine((n) => !/[/\\]/.test(n), 'suggestedName: a file name only, without path separators (/ or \\)')
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'suggestedName: no control characters')
  .refine((n) => n.trim() !== '' && n !== '.' && n !== '..', "suggestedName: not blank, '.' or '..'")

const extensionSchema = z
  .string()
  .regex(/^(?:[A-Za-z0-9]{1,16}|\*)$/, 'an extension is 1-16 letters or digits without the dot (or *)')

export const saveFileFilterSchema = z.strictObject({
  name: z.string().trim().min(1, 'a filter needs a name').max(100),
  extensions: z
    .array(extensionSchema)
    .min(1, 'a filter needs an extension')
    .max(SAVE_FILE_LIMITS.maxExtensions)
})

export const saveFileRequestSchema = z.strictObject({
  suggestedName: saveFileNameSchema,
  filters: z.array(saveFileFilterSchema).max(SAVE_FILE_LIMITS.maxFilters).optional(),
  bytes: z
    .instanceof(Uint8Array, { error: 'bytes: expected a Uint8Array' })
    .refine(
      (b) => b.byteLength <= SAVE_FILE_LIMITS.maxBytes,
      `bytes: at most ${SAVE_FILE_LIMITS.maxBytes / MiB} MiB`
    )
}) satisfies z.ZodType<SaveFileRequest>

export const saveFileResultSchema = z.strictObject({ saved: z.boolean(), path: z.string().optional() })
