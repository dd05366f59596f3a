import { describe, expect, it } from 'vitest'
import * as lab from '../../src/core/index'
import { readConnectome } from '../../src/engine/resources'

describe('scripting API (src/core/index.ts)', () => {
  it('runs a rollout, trains an algorithm and calls mads', async () => {
    const c = readConnectome()
    const sim = new lab.WormSimulator(lab.compileNetwork(c))
    expect(sim.run(c.w0, lab.taskByName('pentagon')).foodEaten).toBe(3)

    const algo = lab.createAlgorithm('ea', { populationSize: 6 }, c.w0, 1)
    const worm = new lab.WormEnvironment({ id: 'worm', task: 'pentagon' }, c)
    const report = await algo.step(new lab.InProcessEvaluator(worm))
    expect(report.generation).toBe(1)
    expect(report.best.metrics.foodEaten).toBeGreaterThanOrEqual(3)
    // The same algorithm, unchanged, on another environment.
    const toy = new lab.QuadraticEnvironment({ id: 'quadratic', dim: 20 })
    const es = lab.createAlgorithm('es', { populationSize: 8, sigma: 0.1 }, toy.prior, 1)
    const first = await es.step(new lab.InProcessEvaluator(toy))
    expect(Object.keys(first.best.metrics)).toEqual(['distance', 'maxError'])

    const n = 5
    const r = await lab.mads((x) => x.reduce((s, v) => s + (v - 0.3) ** 2, 0), new Float64Array(n), {
      lower: new Float64Array(n).fill(-1),
      upper: new Float64Array(n).fill(1),
      maxEvaluations: 200,
      seed: 1
    })
    expect(r.evaluations).toBeLessThanOrEqual(200)
    expect(r.f).toBeLessThan(0.05 * n * 0.09)
    expect(r.x.every((v) => v >= -1 && v <= 1)).toBe(true)
    // async objectives work too
    const ra = await lab.mads(async (x) => Math.abs(x[0] - 0.5), [0], {
      lower: [-1],
      upper: [1],
      maxEvaluations: 60,
      seed: 2
    })
    expect(ra.f).toBeLessThan(0.01)
  })
})
