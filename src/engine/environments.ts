import { createEnvironment, type EnvironmentResources } from '../core/env/registry'
import type { Environment } from '../core/env/types'
import { loadMujoco, mujocoModule } from './mujoco'
import { readConnectome } from './resources'

/**
 * The shipped resources environments are built from: connectomes under resources/, and the MuJoCo module
 * (loaded by prepareEnvironment, since loading WASM is asynchronous and building an environment is not).
 */
export const shippedResources: EnvironmentResources = {
  connectome: (id) => readConnectome(id),
  mujoco: () => mujocoModule()
}

const cache = new Map<string, Environment>()

/**
 * The environment of a spec, built once per process and spec (a worm environment compiles its network;
 * a worker reuses it for every job of a run). Evaluation is deterministic, so sharing is safe.
 * A quadruped builds without the MuJoCo module (layout, prior, metrics), but its first evaluation needs
 * it: processes that evaluate build environments with prepareEnvironment.
 *
 * An environment dropped from the cache is not disposed (a run may still hold it); the quadruped frees
 * its MuJoCo models when it is garbage-collected (QuadrupedSim's finalizer).
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

/** Whether building this spec needs a runtime loaded first (the quadruped's MuJoCo module). */
export function needsRuntime(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && (spec as { id?: unknown }).id === 'quadruped'
}

/** Loads what building this spec needs (once per process); nothing for the worm and the quadratic. */
export async function prepareRuntime(spec: unknown): Promise<void> {
  if (needsRuntime(spec)) await loadMujoco()
}

/** loadEnvironment after loading what the spec needs: the way to build any environment asynchronously. */
export async function prepareEnvironment(spec: unknown): Promise<Environment> {
  await prepareRuntime(spec)
  return loadEnvironment(spec)
}
