/** The contract of `runs:export-genome`: a run's best genome as a JSON, CSV or .npy file (see ./api.ts). */
import { z } from 'zod'
import { runIdSchema } from './api-runs'
import { count } from './schemas'

export const GENOME_EXPORT_FORMATS = ['json', 'csv', 'npy'] as const
export type GenomeExportFormat = (typeof GENOME_EXPORT_FORMATS)[number]

/** A genome file is at most a few hundred KB (docs/limits.md); base64 adds a third. */
export const GENOME_EXPORT_MAX_BYTES = 8 * 1024 * 1024

export const runGenomeExportRequestSchema = z.strictObject({
  id: runIdSchema,
  /** The best genome as of this generation (default: the latest). */
  generation: z.number().int().positive().optional(),
  format: z.enum(GENOME_EXPORT_FORMATS, { error: 'format: expected json, csv or npy' })
})
export type RunGenomeExportRequest = z.input<typeof runGenomeExportRequestSchema>

export const runGenomeExportResponseSchema = z.object({
  runId: z.string(),
  generation: count,
  format: z.enum(GENOME_EXPORT_FORMATS),
  /** A file name to offer (no directory part). */
  fileName: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+$/, 'a plain file name'),
  mime: z.string().min(1).max(100),
  /** The file's bytes, base64. */
  bytes: z.base64().max(Math.ceil(GENOME_EXPORT_MAX_BYTES / 3) * 4),
  /** Its length in bytes (what the base64 decodes to). */
  size: count
})
export type RunGenomeExportResponse = z.infer<typeof runGenomeExportResponseSchema>
