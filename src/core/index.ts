/**
 * Connectome Lab's scripting surface: everything a researcher needs to script the lab from TypeScript,
 * with no Electron and no I/O (load resources with `readConnectome` from src/engine/resources, or parse
 * a connectome object you read yourself with `parseConnectome`).
 */
import { madsMinimize, type MadsOptions, type MadsResult } from './mads/mads'

export { parseConnectome, type Connectome } from './connectome/connectome'
export { checkGenome, genomeFromCsv, genomeFromJson, genomeToCsv, genomeToJson } from './connectome/genome'
export { compileNetwork, type CompiledNetwork } from './model/network'
export { DEFAULT_MODEL_PARAMS, modelParams, type ModelParams } from './model/params'
export { WormSimulator, type RolloutResult, type RolloutTrace } from './model/rollout'
export { polygonTask, pointsTask, randomTask, taskByName, TASK_NAMES, type Task } from './tasks/tasks'
export {
  createEnvironment,
  parseEnvironmentSpec,
  ENVIRONMENT_IDS,
  type EnvironmentResources
} from './env/registry'
export { WormEnvironment } from './env/worm'
export { WormHebbianEnvironment } from './env/worm-hebbian'
export { QuadraticEnvironment } from './env/quadratic'
export { QuadrupedEnvironment } from './env/quadruped/env'
export type { Environment, EnvironmentSpec, GenomeLayout, MetricSpec } from './env/types'
export { ALGORITHM_LABELS, ALGORITHM_NAMES, describeConfig, parseAlgorithmConfig } from './training/config'
export { InProcessEvaluator } from './training/evaluator'
export { createAlgorithm, restoreAlgorithm } from './training/registry'
export type {
  AlgorithmName,
  Evaluation,
  Evaluator,
  GenerationReport,
  PerturbationRequest,
  TrainingAlgorithm
} from './training/types'
export { madsMinimize, madsMinimizeSync, type MadsOptions, type MadsResult } from './mads/mads'
export { Rng } from './util/rng'

/**
 * MADS (NOMAD 4's default algorithm) on a bound-constrained problem; minimizes `objective`.
 * The objective may be synchronous or return a promise.
 */
export async function mads(
  objective: (x: Float64Array) => number | Promise<number>,
  x0: ArrayLike<number>,
  opts: Pick<MadsOptions, 'lower' | 'upper' | 'maxEvaluations' | 'seed'> & Partial<MadsOptions>
): Promise<{ x: Float64Array; f: number; evaluations: number; trace: MadsResult['trace'] }> {
  const r = await madsMinimize(async (xs) => Promise.all(xs.map((x) => objective(x))), x0, opts)
  return { x: r.x, f: r.f, evaluations: r.evaluations, trace: r.trace }
}
