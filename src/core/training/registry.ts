import type { BaseState, StatefulAlgorithm } from './base'
import { CfNomad } from './cfnomad'
import { parseAlgorithmConfig, type AlgorithmConfig } from './config'
import { HebbianEs } from './hebbian-es'
import { OpenAiEs } from './openai-es'
import { PopulationAlgorithm } from './population'
import type { AlgorithmName, AlgorithmSnapshot, TrainingAlgorithm } from './types'

/**
 * `init(config, seed)`: creates any training algorithm from a (partial) config, validated with zod.
 * `prior` is the environment's starting genome (the worm's biological W0), the starting point of every
 * algorithm but the random-init control; algorithms know nothing else of the environment.
 */
export function createAlgorithm(
  name: AlgorithmName,
  configInput: unknown,
  prior: Float64Array,
  seed: number
): TrainingAlgorithm {
  const config = parseAlgorithmConfig(name, configInput, prior.length)
  return build(name, config, prior, seed)
}

/** Rebuilds an algorithm from its snapshot; the continuation is bit-identical. */
export function restoreAlgorithm(
  snapshot: AlgorithmSnapshot,
  configInput: unknown,
  prior: Float64Array
): TrainingAlgorithm {
  const config = parseAlgorithmConfig(snapshot.algorithm, configInput, prior.length)
  return build(snapshot.algorithm, config, prior, 0).restoreState(snapshot)
}

function build(
  name: AlgorithmName,
  config: AlgorithmConfig[AlgorithmName],
  prior: Float64Array,
  seed: number
): StatefulAlgorithm<BaseState> {
  switch (name) {
    case 'es':
      return new OpenAiEs(config as AlgorithmConfig['es'], prior, seed)
    case 'hebbian-es':
      return new HebbianEs(config as AlgorithmConfig['hebbian-es'], prior, seed)
    case 'cfnomad':
      return new CfNomad(config as AlgorithmConfig['cfnomad'], prior, seed)
    default:
      return new PopulationAlgorithm(name, config as AlgorithmConfig['renomad'], prior, seed)
  }
}
