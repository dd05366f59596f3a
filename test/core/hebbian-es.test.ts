import { mean, standardDeviation } from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { QuadraticEnvironment } from '../../src/core/env/quadratic'
import { parseAlgorithmConfig } from '../../src/core/training/config'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { shapeFitness, type HebbianEs } from '../../src/core/training/hebbian-es'
import { runPerturbations } from '../../src/core/training/jobs'
import { perturbation } from '../../src/core/training/noise'
import { createAlgorithm, restoreAlgorithm } from '../../src/core/training/registry'
import type { Evaluator, PerturbationRequest } from '../../src/core/training/types'
import { Rng } from '../../src/core/util/rng'
import { parseRequest } from '../../src/engine/pool/validate'

const env = new QuadraticEnvironment({ id: 'quadratic', dim: 10, seed: 3 })
const evaluator = new InProcessEvaluator(env)

/** Runs everything in process and keeps every perturbation request. */
class Recording implements Evaluator {
  requests: PerturbationRequest[] = []
  evaluate(genomes: Float64Array[]) {
    return evaluator.evaluate(genomes)
  }
  localSearch(): never {
    throw new Error('the ES runs no local search')
  }
  evaluatePerturbations(req: PerturbationRequest) {
    this.requests.push({ ...req, center: req.center.slice() })
    return evaluator.evaluatePerturbations(req)
  }
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let k = 0; k < a.length; k++) s += a[k] * b[k]
  return s
}
const centre = (a: { population(): Float64Array[] }) => a.population()[0]

describe('Hebbian ES config', () => {
  it('has the paper’s and the authors’ defaults, and mirrored pairs', () => {
    expect(parseAlgorithmConfig('hebbian-es', {})).toEqual({
      populationSize: 500,
      learningRate: 0.2,
      alphaDecay: 0.995,
      alphaFloor: 0.001,
      sigma: 0.1,
      sigmaDecay: 0.999,
      sigmaFloor: 0.01,
      coefficientPenalty: 0.01,
      init: 'normal',
      report: 'centre'
    })
    expect(() => parseAlgorithmConfig('hebbian-es', { populationSize: 7 })).toThrow(/populationSize/)
    expect(() => parseAlgorithmConfig('hebbian-es', { init: 'zeros' })).toThrow(/init/)
    // One centre in memory: a population of 500 on a 61,440-coefficient genome is fine.
    expect(() => parseAlgorithmConfig('hebbian-es', {}, 61_440 * 5)).not.toThrow()
  })

  it('starts at N(0, 1), U(−1, 1) or the prior', () => {
    const prior = Float64Array.from({ length: 4000 }, (_, k) => k / 1000)
    const h = (init: string) => centre(createAlgorithm('hebbian-es', { init }, prior, 9))
    const normal = Array.from(h('normal'))
    expect(Math.abs(mean(normal))).toBeLessThan(0.05)
    expect(standardDeviation(normal)).toBeCloseTo(1, 1)
    const uniform = Array.from(h('uniform'))
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...uniform)).toBeLessThan(1)
    expect(standardDeviation(uniform)).toBeCloseTo(2 / Math.sqrt(12), 1)
    expect(h('prior')).toEqual(prior)
    expect(h('normal')).toEqual(h('normal')) // from the seed
  })
})

describe('fitness shaping', () => {
  it('standardises the centred ranks: mean 0, std 1, in the order of the fitnesses', () => {
    const rng = new Rng(4)
    for (const n of [2, 6, 51, 500]) {
      const f = Array.from({ length: n }, () => rng.normal() * 100 + 7)
      const r = Array.from(shapeFitness(f))
      expect(mean(r)).toBeCloseTo(0, 12)
      expect(standardDeviation(r)).toBeCloseTo(1, 12)
      const order = (x: number[]) => x.map((_, i) => i).sort((a, b) => x[a] - x[b])
      expect(order(r)).toEqual(order(f))
    }
    // By hand for n = 3: ranks −0.5, 0, 0.5 (std √(1/6)), so ±√1.5 and 0.
    expect(Array.from(shapeFitness([10, -4, 3]))).toEqual(
      [Math.sqrt(1.5), -Math.sqrt(1.5), 0].map((x) => expect.closeTo(x, 12))
    )
  })
})

describe('the coefficient penalty', () => {
  it('lowers each perturbed candidate by penalty·mean(candidate²), not the centre', () => {
    const center = Float64Array.from({ length: 10 }, (_, k) => 0.3 * k - 1)
    const req = { center, sigma: 0.2, seed: 77, first: 2, pairs: 3, includeCenter: true }
    const plain = runPerturbations(env, req).results
    const penalised = runPerturbations(env, { ...req, penalty: 0.01 }).results
    expect(penalised[0]).toEqual(plain[0])
    const eps = new Float64Array(10)
    for (let p = 0; p < 3; p++) {
      perturbation(77, 2 + p, eps)
      for (const [sign, idx] of [
        [1, 1 + 2 * p],
        [-1, 2 + 2 * p]
      ]) {
        const cand = Array.from(center, (x, k) => x + sign * 0.2 * eps[k])
        const meanSq = cand.reduce((s, x) => s + x * x, 0) / cand.length
        expect(penalised[idx].fitness).toBeCloseTo(plain[idx].fitness - 0.01 * meanSq, 12)
        expect(penalised[idx].metrics).toEqual(plain[idx].metrics)
        expect(meanSq).toBeGreaterThan(0.1) // the check is not vacuous
      }
    }
  })

  it('crosses to the pool workers: validated as a finite, non-negative number', () => {
    const msg = (penalty?: unknown) => ({
      kind: 'perturbations',
      env: { id: 'quadratic' },
      req: {
        center: new Float64Array(2),
        sigma: 0.1,
        seed: 1,
        first: 0,
        pairs: 1,
        includeCenter: false,
        penalty
      }
    })
    expect(parseRequest(msg(0.01))).toMatchObject({ req: { penalty: 0.01 } })
    expect(() => parseRequest(msg(undefined))).not.toThrow()
    expect(() => parseRequest(msg(-1))).toThrow(/penalty/)
    expect(() => parseRequest(msg(Number.NaN))).toThrow(/penalty/)
  })

  it('is what the ES sends', async () => {
    const rec = new Recording()
    await createAlgorithm('hebbian-es', { populationSize: 4, coefficientPenalty: 0.03 }, env.prior, 1).step(
      rec
    )
    expect(rec.requests[0]).toMatchObject({
      penalty: 0.03,
      includeCenter: true,
      first: 0,
      pairs: 2,
      sigma: 0.1
    })
  })
})

describe('Hebbian ES on the quadratic', () => {
  it('one generation is h += α/(nσ)·Σ ε_k r̃_k with the undecayed α and σ', async () => {
    const rec = new Recording()
    const cfg = { populationSize: 6, learningRate: 0.3, sigma: 0.2, coefficientPenalty: 0, init: 'uniform' }
    const algo = createAlgorithm('hebbian-es', cfg, env.prior, 12)
    const h0 = centre(algo)
    await algo.step(rec)
    const { seed } = rec.requests[0]
    // The population [h + σε₀, h − σε₀, h + σε₁, …] and its fitness, built here from the definitions.
    const eps = [0, 1, 2].map((j) => Array.from(perturbation(seed, j, new Float64Array(10))))
    const members = eps.flatMap((e) => [e, e.map((x) => -x)])
    const fit = members.map((e) => env.evaluate(Float64Array.from(h0, (x, k) => x + 0.2 * e[k])).fitness)
    const rank = fit.map((f) => fit.filter((g) => g < f).length) // distinct fitnesses
    const r = rank.map((k) => k / 5 - 0.5)
    const sd = Math.sqrt(r.reduce((s, x) => s + x * x, 0) / 6) // the centred ranks have mean 0
    const expected = Array.from(
      h0,
      (x, k) => x + (0.3 / (6 * 0.2)) * members.reduce((s, e, i) => s + e[k] * (r[i] / sd), 0)
    )
    expect(Array.from(centre(algo))).toEqual(expected.map((x) => expect.closeTo(x, 12)))
  })

  it('moves the centre toward the optimum in expectation (one step, many seeds)', async () => {
    const dots: number[] = []
    for (let seed = 1; seed <= 200; seed++) {
      const algo = createAlgorithm(
        'hebbian-es',
        { populationSize: 10, coefficientPenalty: 0 },
        env.prior,
        seed
      )
      const h0 = centre(algo)
      await algo.step(evaluator)
      const dh = Array.from(centre(algo), (x, k) => x - h0[k])
      dots.push(
        dot(
          dh,
          Array.from(env.target, (t, k) => t - h0[k])
        )
      )
    }
    // The mean one-step change points at the target: its mean is > 0 by many standard errors.
    const se = standardDeviation(dots) / Math.sqrt(dots.length)
    expect(mean(dots)).toBeGreaterThan(5 * se)
  })

  it('gets closer to the optimum on a fixed seed', async () => {
    const algo = createAlgorithm('hebbian-es', { populationSize: 50, learningRate: 0.05 }, env.prior, 1)
    const distances: number[] = []
    for (let g = 0; g < 100; g++) distances.push((await algo.step(evaluator)).best.metrics.distance)
    expect(distances[0]).toBeGreaterThan(2) // h0 ~ N(0, 1)¹⁰ is far from t ∈ U(−1, 1)¹⁰
    expect(distances[99]).toBeLessThan(0.1 * distances[0])
    expect(distances[20]).toBeLessThan(distances[0])
  })

  it('decays α and σ every generation, only while above their floors', async () => {
    const cfg = {
      populationSize: 2,
      learningRate: 1,
      alphaDecay: 0.5,
      alphaFloor: 0.1,
      sigma: 0.4,
      sigmaDecay: 0.9,
      sigmaFloor: 0.3
    }
    const algo = createAlgorithm('hebbian-es', cfg, env.prior, 1) as HebbianEs
    const seen: { alpha: number; sigma: number }[] = []
    const rec = new Recording()
    for (let g = 0; g < 6; g++) {
      await algo.step(rec)
      seen.push(algo.rates())
    }
    // α: 1 → .5 → .25 → .125 → .0625 (.125 > .1 still decays) → stays; σ: .4 → .36 → .324 → .2916 → stays.
    expect(seen.map((s) => s.alpha)).toEqual([0.5, 0.25, 0.125, 0.0625, 0.0625, 0.0625])
    expect(seen.map((s) => s.sigma)).toEqual(
      [0.36, 0.324, 0.2916, 0.2916, 0.2916, 0.2916].map((x) => expect.closeTo(x, 12))
    )
    // Each generation perturbs with the σ of before its own decay.
    expect(rec.requests.map((r) => r.sigma)).toEqual(
      [0.4, 0.36, 0.324, 0.2916, 0.2916, 0.2916].map((x) => expect.closeTo(x, 12))
    )
  })

  it('continues bit-identically after snapshot/restore in the middle of a run', async () => {
    const cfg = { populationSize: 8 }
    const a = createAlgorithm('hebbian-es', cfg, env.prior, 21)
    for (let g = 0; g < 3; g++) await a.step(evaluator)
    const b = restoreAlgorithm(structuredClone(a.snapshot()), cfg, env.prior) as HebbianEs
    for (let g = 0; g < 3; g++) {
      const ra = await a.step(evaluator)
      const rb = await b.step(evaluator)
      expect(rb.best).toEqual(ra.best)
      expect(rb.meanFitness).toBe(ra.meanFitness)
    }
    expect(centre(b)).toEqual(centre(a))
    expect(b.rates()).toEqual((a as HebbianEs).rates())
    expect(b.generation()).toBe(6)
  })

  it('reports the centre, evaluated without the penalty, and the penalised population', async () => {
    const algo = createAlgorithm('hebbian-es', { populationSize: 6, coefficientPenalty: 1 }, env.prior, 2)
    const h0 = centre(algo)
    const report = await algo.step(evaluator)
    expect(report.best).toEqual(env.evaluate(h0))
    expect(algo.best()!.genome).toEqual(h0)
    expect(report.evaluations).toBe(7)
  })

  it('with report: best, reports the fittest individual so far, its genome rebuilt and its fitness unpenalised', async () => {
    const cfg = { populationSize: 10, coefficientPenalty: 1, sigma: 0.5, report: 'best' }
    const algo = createAlgorithm('hebbian-es', cfg, env.prior, 5)
    const twin = createAlgorithm('hebbian-es', { ...cfg, report: 'centre' }, env.prior, 5)
    let bestSoFar = -Infinity
    for (let g = 0; g < 8; g++) {
      const h = centre(algo).slice()
      const rec = new Recording()
      const report = await algo.step(rec)
      await twin.step(evaluator)
      // The centre moves exactly as in 'centre' mode: only the reported solution differs.
      expect(centre(algo)).toEqual(centre(twin))
      // Every individual of the generation, rebuilt from the seed and scored without the penalty.
      const { seed, sigma } = rec.requests[0]
      const e = new Float64Array(h.length)
      let genBest = env.evaluate(h).fitness
      for (let j = 0; j < 5; j++) {
        perturbation(seed, j, e)
        for (const sign of [1, -1])
          genBest = Math.max(genBest, env.evaluate(h.map((x, k) => x + sign * sigma * e[k])).fitness)
      }
      bestSoFar = Math.max(bestSoFar, genBest)
      expect(report.best.fitness).toBeCloseTo(bestSoFar, 9)
      // The reported genome is an evaluated individual: re-evaluated, it scores what was reported.
      expect(env.evaluate(algo.best()!.genome).fitness).toBeCloseTo(report.best.fitness, 9)
    }
    // Some perturbation beat its centre (σ = 0.5 around N(0, 1)); with 'centre' the report is the centre.
    expect(algo.best()!.genome).not.toEqual(centre(algo))
    const h = centre(twin).slice()
    expect((await twin.step(evaluator)).best).toEqual(env.evaluate(h))
  })

  it('returns null, changing nothing, when the generation (n + 1 rollouts) does not fit', async () => {
    const algo = createAlgorithm('hebbian-es', { populationSize: 6 }, env.prior, 3)
    const before = structuredClone(algo.snapshot())
    expect(await algo.step(evaluator, 6)).toBeNull()
    expect(algo.snapshot()).toEqual(before)
    const report = await algo.step(evaluator, 7)
    expect(report?.totalEvaluations).toBe(7)
  })
})
