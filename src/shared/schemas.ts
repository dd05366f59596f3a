/** Building blocks shared by the API contract's schemas (./api.ts). */
import { z } from 'zod'

export const finite = z.number().refine(Number.isFinite, 'expected a finite number')
export const count = z.number().int().nonnegative()

/** A run's random seed: a 32-bit unsigned integer (default 1). */
export const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .default(1)

/** One named metric of an environment (src/core/env/types.ts MetricSpec). */
export const metricSpecSchema = z.object({
  key: z.string(),
  label: z.string(),
  integer: z.boolean(),
  higherIsBetter: z.boolean(),
  description: z.string()
})
export type MetricSpecData = z.infer<typeof metricSpecSchema>

/** The environment's named metrics of one evaluation (e.g. the worm's foodEaten, reward, l0, l2). */
export const metricValuesSchema = z.record(z.string(), finite)
