import type { Connectome } from '../connectome/connectome'
import { compileNetwork } from '../model/network'
import { modelParams, type ModelParams } from '../model/params'
import { WormSimulator } from '../model/rollout'
import type { Task } from '../tasks/tasks'
import { runEvaluations, runLocalSearch } from './jobs'
import type { Evaluator, LocalSearchJob } from './types'

/** Runs everything in this process, one job after another. */
export class InProcessEvaluator implements Evaluator {
  private readonly sim: WormSimulator

  constructor(
    connectome: Connectome,
    private readonly task: Task,
    params: Partial<ModelParams> = {}
  ) {
    this.sim = new WormSimulator(compileNetwork(connectome), modelParams(params))
  }

  async evaluate(genomes: Float64Array[]) {
    return runEvaluations(this.sim, this.task, genomes)
  }

  async localSearch(jobs: LocalSearchJob[]) {
    const outcomes = jobs.map((j) => runLocalSearch(this.sim, this.task, j))
    return {
      outcomes,
      timing: {
        rolloutMs: outcomes.reduce((a, o) => a + o.rolloutMs, 0),
        madsMs: outcomes.reduce((a, o) => a + o.madsMs, 0)
      }
    }
  }
}
