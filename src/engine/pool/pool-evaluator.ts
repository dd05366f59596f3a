import type { Evaluation, Evaluator, LocalSearchJob, LocalSearchOutcome } from '../../core/training/types'
import { readConnectome } from '../resources'
import { packGenomes } from './pack'
import type { PoolResult, WorkerPool } from './pool'
import type { EvalContext, WorkResponse } from './protocol'

/**
 * An Evaluator backed by the worker pool. Evaluations go out in a few chunks per worker; each MADS
 * search is one request (a whole call of ~200 rollouts), so the workers balance their load.
 */
export class PoolEvaluator implements Evaluator {
  /** Transport and serialization time (round trip − worker compute), summed since the last reset. */
  transportMs = 0

  private readonly w0: Float64Array

  constructor(
    private readonly pool: WorkerPool,
    private readonly ctx: EvalContext,
    private readonly owner: string
  ) {
    this.w0 = readConnectome(ctx.connectome).w0
  }

  private account(r: PoolResult): void {
    this.transportMs += Math.max(0, r.roundTripMs - r.computeMs)
  }

  async evaluate(genomes: Float64Array[]) {
    const chunk = Math.max(1, Math.ceil(genomes.length / (2 * this.pool.size)))
    const parts: Promise<PoolResult<Extract<WorkResponse, { kind: 'evaluate' }>>>[] = []
    for (let i = 0; i < genomes.length; i += chunk) {
      const packed = packGenomes(genomes.slice(i, i + chunk), this.w0)
      parts.push(this.pool.run({ kind: 'evaluate', ctx: this.ctx, genomes: packed }, this.owner))
    }
    const done = await Promise.all(parts)
    const results: Evaluation[] = []
    let rolloutMs = 0
    for (const d of done) {
      this.account(d)
      results.push(...d.response.results)
      rolloutMs += d.response.timing.rolloutMs
    }
    return { results, timing: { rolloutMs, madsMs: 0 } }
  }

  async localSearch(jobs: LocalSearchJob[]) {
    const done = await Promise.all(
      jobs.map((job) =>
        this.pool.run<Extract<WorkResponse, { kind: 'localSearch' }>>(
          { kind: 'localSearch', ctx: this.ctx, jobs: [job] },
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
