import { z } from 'zod'
import { fnv1a64 } from '../connectome/hash'
import { Rng } from '../util/rng'
import { checkLength, type Environment, type EnvironmentSpec, type MetricSpec } from './types'

/**
 * A toy environment: maximise −‖g − t‖² for a hidden target t ~ U(−1, 1)ⁿ drawn from `seed`, starting at
 * g = 0. It proves the optimisers are independent of the worm (tests), and it is the cheap stand-in with an
 * arbitrary genome length for transport benchmarks.
 */
export const quadraticSpecSchema = z.strictObject({
  id: z.literal('quadratic'),
  dim: z.number().int().min(1).max(2_000_000).default(50),
  seed: z.number().int().min(0).max(0xffffffff).default(1)
})
export type QuadraticSpec = z.infer<typeof quadraticSpecSchema>

export const QUADRATIC_METRICS: readonly MetricSpec[] = [
  {
    key: 'distance',
    label: 'distance',
    integer: false,
    higherIsBetter: false,
    description: '‖g − t‖₂, the distance to the target'
  },
  {
    key: 'maxError',
    label: 'max error',
    integer: false,
    higherIsBetter: false,
    description: 'max |g_k − t_k|'
  }
]

export class QuadraticEnvironment implements Environment {
  readonly id = 'quadratic' as const
  readonly spec: QuadraticSpec & EnvironmentSpec
  readonly task: string
  readonly layout
  readonly metrics = QUADRATIC_METRICS
  readonly headline = 'distance'
  readonly prior: Float64Array
  readonly target: Float64Array

  constructor(input: unknown) {
    this.spec = quadraticSpecSchema.parse(input)
    const { dim, seed } = this.spec
    this.task = `sphere-${dim}`
    this.layout = {
      length: dim,
      hash: fnv1a64(`quadratic:${dim}:${seed}`),
      description: `the quadratic toy of ${dim} coordinates (target seed ${seed})`
    }
    this.prior = new Float64Array(dim)
    const rng = new Rng(seed)
    this.target = Float64Array.from({ length: dim }, () => rng.uniform(-1, 1))
  }

  evaluate(genome: Float64Array) {
    checkLength(this.layout, genome)
    const t = this.target
    let sq = 0
    let max = 0
    for (let k = 0; k < t.length; k++) {
      const d = genome[k] - t[k]
      sq += d * d
      if (Math.abs(d) > max) max = Math.abs(d)
    }
    return { fitness: -sq, metrics: { distance: Math.sqrt(sq), maxError: max } }
  }
}
