import { describe, expect, it } from 'vitest'
import { createEnvironment, environmentMetrics, parseEnvironmentSpec } from '../../src/core/env/registry'
import { WormHebbianEnvironment } from '../../src/core/env/worm-hebbian'
import { HEBBIAN_RULES, RULE_COEFFICIENTS } from '../../src/core/hebbian/rules'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { createAlgorithm } from '../../src/core/training/registry'
import { Rng } from '../../src/core/util/rng'
import { readConnectome } from '../../src/engine/resources'
import { firedAt, tinyConnectome } from '../helpers/tiny'

const c = readConnectome()
const resources = {
  connectome: () => c,
  mujoco: (): never => {
    throw new Error('the worm needs no MuJoCo')
  }
}
const hebbian = (spec: object = {}): WormHebbianEnvironment =>
  new WormHebbianEnvironment({ id: 'worm-hebbian', ...spec }, c)
const randomGenome = (env: WormHebbianEnvironment, sd: number, seed: number): Float64Array => {
  const rng = new Rng(seed)
  return Float64Array.from({ length: env.layout.length }, () => sd * rng.normal())
}
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]))

describe('worm-hebbian: zero coefficients are the static worm', () => {
  it('equals the static rollout on W0 exactly, for every rule and clipping mode', () => {
    const ref = hebbian().worm.sim.run(c.w0, hebbian().worm.food, { trace: true })
    for (const [rule, clip] of [
      ...HEBBIAN_RULES.map((r) => [r, 'sign']),
      ['ABCD_lr', 'range'],
      ['A', 'none']
    ]) {
      const env = hebbian({ rule, clip })
      const r = env.rollout(env.prior, { weightEvery: 50 })
      expect(r.reward).toBe(ref.reward)
      expect(r.foodEaten).toBe(3)
      expect(r.spikes).toBe(ref.spikes)
      for (const key of ['x', 'y', 'heading', 'aLeft', 'aRight', 'firedNeurons'] as const)
        expect(same(r.trace![key], ref.trace![key])).toBe(true)
      expect(env.evaluate(env.prior)).toEqual({
        fitness: ref.reward,
        metrics: { foodEaten: 3, reward: ref.reward, weightChange: 0, clipped: clip === 'none' ? 0 : 1 }
      })
      // Every frame is W0 (the one synapse at max|W0| = 37 is the single "clipped" one above).
      for (let f = 0; f < r.weights.steps.length; f++)
        expect(same(r.weights.frames.subarray(f * 3689, (f + 1) * 3689), c.w0)).toBe(true)
    }
  })
})

describe('worm-hebbian: one synapse by hand', () => {
  // Always touched (T stimulated every step), 4 steps, no food in reach, no clipping.
  // Genome order k0 T→A 31, k1 A→MDL10 1, k2 A→MDR10 −3, k3 A→T 1; ABCD_lr rows [A, B, C, η, D].
  const tiny = tinyConnectome([
    ['T', 'A', 31],
    ['A', 'MDL10', 1],
    ['A', 'MDR10', -3],
    ['A', 'T', 1]
  ])
  const env = new WormHebbianEnvironment(
    {
      id: 'worm-hebbian',
      connectome: 'tiny',
      task: 'custom:far',
      food: [[1500, 1100]],
      model: { touchDistance: 1e9, steps: 4 },
      clip: 'none'
    },
    tiny
  )
  // prettier-ignore
  const genome = new Float64Array([
    1, 2, 4, 0.5, 8, // T→A: Δ(o_T, o_A) = 4 (0,0), 6 (0,1), 5 (1,0), 7.5 (1,1)
    1, 0, 0, 1, 0, //   A→MDL10: +1 when A transmits and the muscle's input is positive
    1, 0.25, 0, 1, 0, // A→MDR10: input −3 keeps the muscle inactive, so only B: +0.25 when A transmits
    0, 0, 2, 1, 0.5 //  A→T: T is stimulated (active) every step: 2.5 whatever A does
  ])
  const r = env.rollout(genome, { weightEvery: 1 })
  const w = (k: number): number[] => Array.from({ length: 5 }, (_, f) => r.weights.frames[f * 4 + k])

  it('fires as the updated weights say', () => {
    // Step 0: V[A] = 31 (nothing fires). Steps 1-3: A fires (36, 43.5 > 30), T keeps feeding it.
    expect([0, 1, 2, 3].map((t) => firedAt(tiny, r.trace!, t))).toEqual([[], ['A'], ['A'], ['A']])
    expect(Array.from(r.weights.steps)).toEqual([0, 1, 2, 3, 4])
  })
  it('updates each synapse from the step’s pre and post spikes, after the step', () => {
    // T→A: step 0 T on, A silent → +5; then both on → +7.5 per step.
    expect(w(0)).toEqual([31, 36, 43.5, 51, 58.5])
    // A→MDL10: A silent in step 0 → 0; then the muscle's input is positive (1, 2, 3) → +1 per step.
    expect(w(1)).toEqual([1, 1, 2, 3, 4])
    expect(w(2)).toEqual([-3, -3, -2.75, -2.5, -2.25])
    // A→T: the post (a stimulated sensor) is active every step.
    expect(w(3)).toEqual([1, 3.5, 6, 8.5, 11])
  })
  it('reads the muscles through the weights of the step before (update after the read-out)', () => {
    expect(Array.from(r.trace!.aLeft)).toEqual([0, 1, 2, 3])
    expect(Array.from(r.trace!.aRight)).toEqual([0, -3, -2.75, -2.5])
    expect(r.metrics.weightChange).toBeCloseTo((27.5 + 3 + 0.75 + 10) / 4, 12)
  })
})

describe('worm-hebbian: determinism, random start, clipping', () => {
  it('is deterministic and independent of earlier rollouts', () => {
    const env = hebbian()
    const g = randomGenome(env, 0.1, 5)
    const a = env.rollout(g)
    env.evaluate(randomGenome(env, 0.1, 6))
    const b = hebbian().rollout(g)
    expect(b.metrics).toEqual(a.metrics)
    expect(same(b.trace!.x, a.trace!.x)).toBe(true)
    expect(same(b.weights.frames, a.weights.frames)).toBe(true)
    expect(env.evaluate(g).metrics).toEqual(a.metrics)
  })

  it('draws the random start from its seed, inside ±initScale·mean|W0|', () => {
    const a = hebbian({ init: 'uniform', initSeed: 3 })
    expect(same(hebbian({ init: 'uniform', initSeed: 3 }).start, a.start)).toBe(true)
    expect(same(hebbian({ init: 'uniform', initSeed: 4 }).start, a.start)).toBe(false)
    const bound = (2 * c.w0.reduce((s, v) => s + Math.abs(v), 0)) / c.w0.length
    expect(a.start.every((v) => Math.abs(v) <= bound)).toBe(true)
    expect(Math.max(...a.start.map(Math.abs))).toBeGreaterThan(0.95 * bound)
    // Zero coefficients: the static worm on those weights; the first weight frame is the start.
    const ref = a.worm.sim.run(a.start, a.worm.food)
    const r = a.rollout(a.prior)
    expect(r.reward).toBe(ref.reward)
    expect(same(r.weights.frames.subarray(0, 3689), Float32Array.from(a.start))).toBe(true)
  })

  it('keeps every weight in its box after every update', () => {
    const wmax = 37
    for (const clip of ['sign', 'range', 'none'] as const) {
      const env = hebbian({ clip })
      const r = env.rollout(randomGenome(env, 3, 11), { weightEvery: 1 })
      const fr = r.weights.frames
      let outside = 0
      let flipped = 0
      for (let i = 0; i < fr.length; i++) {
        const w0 = c.w0[i % 3689]
        if (Math.abs(fr[i]) > wmax) outside++
        if (fr[i] * w0 < 0) flipped++
      }
      if (clip === 'sign') expect([outside, flipped]).toEqual([0, 0])
      if (clip === 'range') expect([outside, flipped > 0]).toEqual([0, true])
      if (clip === 'none') expect(outside).toBeGreaterThan(0)
      expect(r.metrics.clipped > 1).toBe(clip !== 'none')
    }
  })
})

describe('worm-hebbian: genome layout and registry', () => {
  it('refuses a genome of the wrong length; the layout is synapses × coefficients, hashed by rule', () => {
    const env = hebbian()
    expect(env.layout.length).toBe(3689 * 5)
    expect(() => env.evaluate(new Float64Array(3689))).toThrow(/expects 18445/)
    expect(() => env.rollout(new Float64Array(18446))).toThrow(/expects 18445/)
    const hashes = new Set(HEBBIAN_RULES.map((rule) => hebbian({ rule }).layout.hash))
    expect(hashes.size).toBe(7)
    expect(hashes.has(c.pairsHash)).toBe(false)
    expect(hebbian({ rule: 'AD' }).layout.length).toBe(3689 * RULE_COEFFICIENTS.AD)
    expect(hebbian({ clip: 'range', init: 'uniform' }).layout.hash).toBe(env.layout.hash)
  })

  it('is built and validated by the registry', () => {
    const env = createEnvironment({ id: 'worm-hebbian', task: 'hexagon', rule: 'ABC' }, resources)
    expect([env.id, env.task, env.layout.length, env.headline]).toEqual([
      'worm-hebbian',
      'hexagon',
      3689 * 3,
      'foodEaten'
    ])
    expect(environmentMetrics('worm-hebbian').metrics.map((m) => m.key)).toEqual([
      'foodEaten',
      'reward',
      'weightChange',
      'clipped'
    ])
    expect(() => parseEnvironmentSpec({ id: 'worm-hebbian', lr: 1 })).toThrow(/lr/)
    expect(() => parseEnvironmentSpec({ id: 'worm-hebbian', rule: 'ABCDE' })).toThrow(/rule/)
    expect(() => createEnvironment({ id: 'worm-hebbian', wmax: 20 }, resources)).toThrow(
      /below max\|W0\| = 37/
    )
  })

  it('trains with the OpenAI-ES through the in-process evaluator', async () => {
    const env = createEnvironment({ id: 'worm-hebbian' }, resources)
    const es = createAlgorithm('es', { populationSize: 4, sigma: 0.05 }, env.prior, 1)
    const evaluator = new InProcessEvaluator(env)
    // Generation 1 reports its centre, the prior: no plasticity, the untrained connectome's 3 foods.
    const first = await es.step(evaluator)
    expect(Object.keys(first.best.metrics)).toEqual(['foodEaten', 'reward', 'weightChange', 'clipped'])
    expect([first.best.metrics.foodEaten, first.best.metrics.weightChange]).toEqual([3, 0])
    const second = await es.step(evaluator)
    expect(second.generation).toBe(2)
    expect(second.best.metrics.weightChange).toBeGreaterThan(0)
  })
})
