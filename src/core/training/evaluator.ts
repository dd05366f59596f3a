import type { Environment } from '../env/types'
import { runEvaluations, runLocalSearch, runPerturbations } from './jobs'
import type { Evaluator, LocalSearchJob, PerturbationRequest } from './types'

/** Runs everything in this process, one job after another, on one environment. */
export class InProcessEvaluator implements Evaluator {
  constructor(readonly env: Environment) {}

  async evaluate(genomes: Float64Array[]) {
    return runEvaluations(this.env, genomes)
  }

  async evaluatePerturbations(req: PerturbationRequest) {
    return runPerturbations(this.env, req)
  }

  async localSearch(jobs: LocalSearchJob[]) {
    const outcomes = jobs.map((j) => runLocalSearch(this.env, j))
    return {
      outcomes,
      timing: {
        rolloutMs: outcomes.reduce((a, o) => a + o.rolloutMs, 0),
        madsMs: outcomes.reduce((a, o) => a + o.madsMs, 0)
      }
    }
  }
}
