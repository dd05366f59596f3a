import type { MainModule } from '@mujoco/mujoco'
import { z } from 'zod'
import type { Connectome } from '../connectome/connectome'
import { QUADRATIC_METRICS, QuadraticEnvironment, quadraticSpecSchema } from './quadratic'
import { QUADRUPED_METRICS, QuadrupedEnvironment, quadrupedSpecSchema } from './quadruped/env'
import type { Environment, EnvironmentId, EnvironmentSpec, MetricSpec } from './types'
import { WORM_METRICS, WormEnvironment, wormSpecSchema } from './worm'
import { WORM_HEBBIAN_METRICS, WormHebbianEnvironment, wormHebbianSpecSchema } from './worm-hebbian'

/** What building an environment may need from outside core (files are read by the engine). */
export interface EnvironmentResources {
  connectome(id: string): Connectome
  /**
   * The loaded MuJoCo WASM module (the quadruped calls it on its first episode; the engine loads it
   * before evaluating one: prepareEnvironment).
   */
  mujoco(): MainModule
}

const SPEC_SCHEMAS = {
  worm: wormSpecSchema,
  quadratic: quadraticSpecSchema,
  'worm-hebbian': wormHebbianSpecSchema,
  quadruped: quadrupedSpecSchema
} as const
export const ENVIRONMENT_IDS = Object.keys(SPEC_SCHEMAS) as EnvironmentId[]

const METRICS: Record<EnvironmentId, readonly MetricSpec[]> = {
  worm: WORM_METRICS,
  quadratic: QUADRATIC_METRICS,
  'worm-hebbian': WORM_HEBBIAN_METRICS,
  quadruped: QUADRUPED_METRICS
}
const HEADLINE: Record<EnvironmentId, string> = {
  worm: 'foodEaten',
  quadratic: 'distance',
  'worm-hebbian': 'foodEaten',
  quadruped: 'distance'
}

export class EnvironmentError extends Error {
  override name = 'EnvironmentError'
}

const specSchema = z.discriminatedUnion('id', [
  wormSpecSchema,
  quadraticSpecSchema,
  wormHebbianSpecSchema,
  quadrupedSpecSchema
])

/** Validates an environment spec and fills its defaults; unknown keys and kinds are errors. */
export function parseEnvironmentSpec(input: unknown): EnvironmentSpec {
  const r = specSchema.safeParse(input)
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`).join('; ')
    throw new EnvironmentError(`invalid environment: ${msg}`)
  }
  return r.data as EnvironmentSpec
}

export function createEnvironment(input: unknown, resources: EnvironmentResources): Environment {
  const spec = parseEnvironmentSpec(input)
  try {
    switch (spec.id) {
      case 'worm':
        return new WormEnvironment(spec, resources.connectome(String(spec.connectome)))
      case 'quadratic':
        return new QuadraticEnvironment(spec)
      case 'worm-hebbian':
        return new WormHebbianEnvironment(spec, resources.connectome(String(spec.connectome)))
      case 'quadruped':
        return new QuadrupedEnvironment(spec, () => resources.mujoco())
    }
  } catch (e) {
    throw e instanceof EnvironmentError ? e : new EnvironmentError((e as Error).message)
  }
}

/** The metric names of an environment kind, without building one. */
export function environmentMetrics(id: string): { metrics: readonly MetricSpec[]; headline: string } {
  if (!(id in METRICS)) throw new EnvironmentError(`unknown environment '${id}'`)
  return { metrics: METRICS[id as EnvironmentId], headline: HEADLINE[id as EnvironmentId] }
}
