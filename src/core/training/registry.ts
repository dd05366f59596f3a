import type { BaseState, StatefulAlgorithm } from './base'
import { CfNomad } from './cfnomad'
import { parseAlgorithmConfig, type AlgorithmConfig } from './config'
import { OpenAiEs } from './openai-es'
import { PopulationAlgorithm } from './population'
import type { AlgorithmName, AlgorithmSnapshot, TrainingAlgorithm } from './types'

/**
 * `init(config, seed)`: creates any training algorithm from a (partial) config, validated with zod.
 * `w0` is the biological prior, the starting point of every algorithm but the random-init control.
 */
export function createAlgorithm(
  name: AlgorithmName,
  configInput: unknown,
  w0: Float64Array,
  seed: number
): TrainingAlgorithm {
  const config = parseAlgorithmConfig(name, configInput)
  return build(name, config, w0, seed)
}

/** Rebuilds an algorithm from its snapshot; the continuation is bit-identical. */
export function restoreAlgorithm(
  snapshot: AlgorithmSnapshot,
  configInput: unknown,
  w0: Float64Array
): TrainingAlgorithm {
  const config = parseAlgorithmConfig(snapshot.algorithm, configInput)
  return build(snapshot.algorithm, config, w0, 0).restoreState(snapshot)
}

function build(
  name: AlgorithmName,
  config: AlgorithmConfig[AlgorithmName],
  w0: Float64Array,
  seed: number
): StatefulAlgorithm<BaseState> {
  switch (name) {
    case 'es':
      return new OpenAiEs(config as AlgorithmConfig['es'], w0, seed)
    case 'cfnomad':
      return new CfNomad(config as AlgorithmConfig['cfnomad'], w0, seed)
    default:
      return new PopulationAlgorithm(name, config as AlgorithmConfig['renomad'], w0, seed)
  }
}
