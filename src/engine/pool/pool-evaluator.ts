import type { Environment, EnvironmentSpec } from '../../core/env/types'
import type {
  Evaluation,
  Evaluator,
  LocalSearchJob,
  LocalSearchOutcome,
  PerturbationRequest
} from '../../core/training/types'
import { packGenomes } from './pack'
import type { WorkBackend } from './backend'
import type { PoolResult } from './pool'
import type { WorkResponse } from './protocol'

type Reply<K extends WorkResponse['kind']> = PoolResult<Extract<WorkResponse, { kind: K }>>

export interface PoolEvaluatorOptions {
  /** Requests per worker that a call's perturbations are split into (load balance); default 2. */
  perturbationChunks?: number
}

let evaluators = 0
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && bytes(a).equals(bytes(b))

/**
 * An Evaluator backed by the worker pool, for one environment. Evaluations go out in one chunk per
 * worker; each MADS search is one request (a whole call of ~200 rollouts), so the workers balance their
 * load. Seeded perturbations go out in a few chunks per worker too, under a key naming the centre's
 * content: the centre crosses to each worker once and later chunks name it by key (protocol.ts).
 */
export class PoolEvaluator implements Evaluator {
  /** Transport and serialization time (round trip − worker compute), summed since the last reset. */
  transportMs = 0
  /** Worker compute time (validation and evaluation, summed over requests) since the last reset. */
  computeMs = 0
  private readonly spec: EnvironmentSpec
  private readonly prior: Float64Array
  private readonly chunks: number
  private readonly id = `evaluator-${++evaluators}`
  private versions = 0
  /** The last centre sent: a private copy (what the workers hold under `key`). */
  private centre: { key: string; data: Float64Array } | null = null

  constructor(
    private readonly pool: WorkBackend,
    env: Environment,
    private readonly owner: string,
    opts: PoolEvaluatorOptions = {}
  ) {
    this.spec = env.spec
    this.prior = env.prior
    this.chunks = Math.max(1, Math.floor(opts.perturbationChunks ?? 2))
  }

  /** A copy of the centre and its key; a new key whenever its bits differ from the last centre's. */
  private keyed(center: Float64Array): { key: string; data: Float64Array } {
    if (!this.centre || !sameBits(this.centre.data, center))
      this.centre = { key: `${this.id}.${++this.versions}`, data: center.slice() }
    return this.centre
  }

  private account(r: PoolResult): void {
    this.transportMs += Math.max(0, r.roundTripMs - r.computeMs)
    this.computeMs += r.computeMs
  }

  async evaluate(genomes: Float64Array[]) {
    // One request per worker (rollouts of one environment cost about the same): every message is a
    // round trip the generation waits for.
    const chunk = Math.max(1, Math.ceil(genomes.length / this.pool.size))
    const parts: Promise<Reply<'evaluate'>>[] = []
    for (let i = 0; i < genomes.length; i += chunk) {
      const packed = packGenomes(genomes.slice(i, i + chunk), this.prior)
      parts.push(this.pool.run({ kind: 'evaluate', env: this.spec, genomes: packed }, this.owner))
    }
    return this.gather(await Promise.all(parts))
  }

  async evaluatePerturbations(req: PerturbationRequest) {
    const per = Math.max(1, Math.ceil(req.pairs / (this.chunks * this.pool.size)))
    const { key, data } = req.pairs > 0 ? this.keyed(req.center) : { key: '', data: req.center }
    const parts: Promise<Reply<'perturbations'>>[] = []
    for (let first = req.first; first < req.first + req.pairs; first += per) {
      const pairs = Math.min(per, req.first + req.pairs - first)
      const includeCenter = req.includeCenter && first === req.first
      const part = { ...req, center: data, centerKey: key, first, pairs, includeCenter }
      parts.push(this.pool.run({ kind: 'perturbations', env: this.spec, req: part }, this.owner))
    }
    if (parts.length === 0 && req.includeCenter) return this.evaluate([req.center])
    return this.gather(await Promise.all(parts))
  }

  private gather(done: Reply<'evaluate' | 'perturbations'>[]) {
    const results: Evaluation[] = []
    let rolloutMs = 0
    for (const d of done) {
      this.account(d)
      for (const r of d.response.results) results.push(r)
      rolloutMs += d.response.timing.rolloutMs
    }
    return { results, timing: { rolloutMs, madsMs: 0 } }
  }

  async localSearch(jobs: LocalSearchJob[]) {
    const done = await Promise.all(
      jobs.map((job) =>
        this.pool.run<Extract<WorkResponse, { kind: 'localSearch' }>>(
          { kind: 'localSearch', env: this.spec, jobs: [job] },
          this.owner
        )
      )
    )
    const outcomes: LocalSearchOutcome[] = []
    let rolloutMs = 0
    let madsMs = 0
    for (const d of done) {
      this.account(d)
      outcomes.push(...d.response.outcomes)
      rolloutMs += d.response.timing.rolloutMs
      madsMs += d.response.timing.madsMs
    }
    return { outcomes, timing: { rolloutMs, madsMs } }
  }
}
