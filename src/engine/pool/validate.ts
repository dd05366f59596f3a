import { z } from 'zod'
import { analysisUnitSchema } from '../../core/analysis/hebbian/units'
import type { Environment } from '../../core/env/types'
import type { WorkRequest } from './protocol'

/**
 * Workers validate every job before running it: the message shape (zod), then everything that depends
 * on the environment (genome lengths, coordinate ranges, sparse offsets). A bad job is answered with an
 * error naming the problem; it never reaches the simulator.
 */
const finite = z.number().refine(Number.isFinite, 'expected a finite number')
const uint32 = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
const f64 = z.instanceof(Float64Array)
const i32 = z.instanceof(Int32Array)
const env = z.looseObject({ id: z.string() })

const packed = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dense'), count: z.number().int().min(0), data: f64 }),
  z.strictObject({
    kind: z.literal('sparse'),
    count: z.number().int().min(0),
    offsets: i32,
    idx: i32,
    val: f64
  })
])

const job = z.strictObject({
  genome: f64,
  coords: i32,
  bound: finite.positive(),
  maxEvaluations: z.number().int().positive().max(10_000_000),
  blockSize: z.number().int().positive().max(64).optional(),
  seed: uint32
})

const requestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('evaluate'), env, genomes: packed }),
  z.strictObject({ kind: z.literal('localSearch'), env, jobs: z.array(job).max(100_000) }),
  z.strictObject({
    kind: z.literal('perturbations'),
    env,
    req: z.strictObject({
      center: f64.nullable(),
      centerKey: z.string().min(1).max(200).optional(),
      sigma: finite.positive(),
      seed: uint32,
      first: z.number().int().min(0),
      pairs: z.number().int().min(0).max(1_000_000),
      includeCenter: z.boolean(),
      penalty: finite.min(0).optional()
    })
  }),
  z.strictObject({ kind: z.literal('analysis'), env, genome: f64, unit: analysisUnitSchema }),
  z.strictObject({ kind: z.literal('ping') }),
  z.strictObject({ kind: z.literal('sleep'), ms: finite.min(0).max(600_000) })
])

export class JobError extends Error {
  override name = 'JobError'
}

/** The request's shape, or a JobError naming what is wrong. */
export function parseRequest(raw: unknown): WorkRequest {
  const r = requestSchema.safeParse(raw)
  if (!r.success)
    throw new JobError(
      `invalid job: ${r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`
    )
  return r.data as WorkRequest
}

/** The checks that need the environment: lengths and coordinate ranges. */
export function checkAgainst(envr: Environment, req: WorkRequest): void {
  const S = envr.layout.length
  const fail = (msg: string): never => {
    throw new JobError(`invalid job for ${envr.layout.description}: ${msg}`)
  }
  if (req.kind === 'evaluate') {
    const g = req.genomes
    if (g.kind === 'dense') {
      if (g.data.length !== g.count * S) fail(`dense batch of ${g.count} has ${g.data.length} values`)
    } else {
      if (g.offsets.length !== g.count + 1 || g.offsets[0] !== 0)
        fail('sparse offsets do not match the count')
      for (let i = 0; i < g.count; i++) if (g.offsets[i + 1] < g.offsets[i]) fail('sparse offsets decrease')
      if (g.offsets[g.count] !== g.idx.length || g.idx.length !== g.val.length) fail('sparse lengths differ')
      for (let j = 0; j < g.idx.length; j++)
        if (g.idx[j] < 0 || g.idx[j] >= S) fail(`index ${g.idx[j]} out of range`)
    }
  } else if (req.kind === 'localSearch') {
    for (const j of req.jobs) {
      if (j.genome.length !== S) fail(`genome of ${j.genome.length} values`)
      const seen = new Set<number>()
      for (const k of j.coords) {
        if (k < 0 || k >= S || seen.has(k)) fail(`coordinate ${k} out of range or repeated`)
        seen.add(k)
      }
    }
  } else if (req.kind === 'perturbations') {
    // The worker has put a cached centre in place of `null` by now (worker.ts).
    const center = req.req.center
    if (!center) fail('no centre genome')
    else if (center.length !== S) fail(`centre genome of ${center.length} values`)
  } else if (req.kind === 'analysis') {
    if (req.genome.length !== S) fail(`genome of ${req.genome.length} values`)
  }
}
