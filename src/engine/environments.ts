import { createEnvironment, type EnvironmentResources } from '../core/env/registry'
import type { Environment } from '../core/env/types'
import { readConnectome } from './resources'

/** The shipped resources environments are built from (connectomes under resources/). */
export const shippedResources: EnvironmentResources = { connectome: (id) => readConnectome(id) }

const cache = new Map<string, Environment>()

/**
 * The environment of a spec, built once per process and spec (a worm environment compiles its network;
 * a worker reuses it for every job of a run). Evaluation is deterministic, so sharing is safe.
 */
export function loadEnvironment(spec: unknown): Environment {
  const key = JSON.stringify(spec)
  let env = cache.get(key)
  if (!env) {
    if (cache.size >= 16) cache.clear()
    env = createEnvironment(spec, shippedResources)
    cache.set(key, env)
  }
  return env
}
