import { z } from 'zod'
import { parseEnvironmentSpec } from '../../core/env/registry'
import type { Environment } from '../../core/env/types'
import { ALGORITHM_NAMES, parseAlgorithmConfig } from '../../core/training/config'
import type { AlgorithmName } from '../../core/training/types'
import { notesSchema, tagsSchema } from '../../shared/annotations'
import { budgetRequestSchema } from '../../shared/api-runs'
import { LabError } from '../../shared/errors'
import { seedSchema } from '../../shared/schemas'
import { loadEnvironment } from '../environments'
import type { NewRun } from '../store/store'
import { codeVersion } from '../version'

/** A run request, validated with zod (strict: unknown keys are errors) before anything is written. */
export const runSpecSchema = z.strictObject({
  algorithm: z.enum(ALGORITHM_NAMES as [AlgorithmName, ...AlgorithmName[]]),
  /** The environment spec (default: the worm); `task` is the worm's task, kept as a shortcut. */
  environment: z.looseObject({ id: z.string() }).optional(),
  task: z.string().min(1).max(40).optional(),
  seed: seedSchema,
  config: z.record(z.string(), z.unknown()).default({}),
  /** The budget's ranges are the API contract's (one owner for the app and the CLI). */
  budget: budgetRequestSchema,
  name: z.string().min(1).max(200).optional(),
  sweepId: z.string().optional(),
  /** The rules of the `runs:annotate` channel (one owner: src/shared/annotations.ts). */
  tags: tagsSchema.optional(),
  notes: notesSchema.optional()
})
export type RunSpec = z.input<typeof runSpecSchema>

const describe = (e: z.ZodError): string =>
  e.issues.map((i) => `${i.path.join('.') || 'run'}: ${i.message}`).join('; ')

/**
 * Validates a whole run request (shape, environment, algorithm config against the genome) and resolves
 * it into the row to store with its environment; throws `invalid-config` naming the key otherwise.
 */
export function resolveRunSpec(spec: RunSpec): { row: NewRun; env: Environment } {
  const parsed = runSpecSchema.safeParse(spec)
  if (!parsed.success) throw new LabError('invalid-config', `invalid run: ${describe(parsed.error)}`)
  const s = parsed.data
  const input = s.environment ?? { id: 'worm' }
  if (s.task !== undefined && input.id !== 'worm')
    throw new LabError(
      'invalid-config',
      `invalid run: task: only the worm environment has a task (got '${input.id}')`
    )
  if (s.task !== undefined && 'task' in input && input.task !== s.task)
    throw new LabError(
      'invalid-config',
      `invalid run: task '${s.task}' contradicts environment.task '${String(input.task)}'`
    )
  let env: Environment
  try {
    const envSpec = parseEnvironmentSpec(
      input.id === 'worm' && s.task !== undefined ? { ...input, task: s.task } : input
    )
    env = loadEnvironment(envSpec)
  } catch (e) {
    throw new LabError('invalid-config', (e as Error).message)
  }
  let config: Record<string, unknown>
  try {
    config = parseAlgorithmConfig(s.algorithm, s.config, env.layout.length) as Record<string, unknown>
  } catch (e) {
    throw new LabError('invalid-config', (e as Error).message)
  }
  return {
    env,
    row: {
      name: s.name,
      algorithm: s.algorithm,
      config,
      seed: s.seed,
      envSpec: env.spec,
      task: env.task,
      genomeLength: env.layout.length,
      layoutHash: env.layout.hash,
      codeVersion: codeVersion(),
      budget: s.budget,
      sweepId: s.sweepId,
      tags: s.tags,
      notes: s.notes
    }
  }
}
