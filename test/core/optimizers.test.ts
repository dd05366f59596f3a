import { describe, expect, it } from 'vitest'
import { parseEnvironmentSpec } from '../../src/core/env/registry'
import { parseAlgorithmConfig } from '../../src/core/training/config'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import {
  crossover,
  crossoverProbability,
  drawWeighted,
  mutate,
  selectionWeights
} from '../../src/core/training/genetic'
import { centredRanks } from '../../src/core/training/openai-es'
import { changedSet, PopulationAlgorithm } from '../../src/core/training/population'
import { createAlgorithm, restoreAlgorithm } from '../../src/core/training/registry'
import { shareBudget } from '../../src/core/training/base'
import { mixSeed, perturbation } from '../../src/core/training/noise'
import type {
  AlgorithmName,
  Evaluator,
  LocalSearchJob,
  PerturbationRequest
} from '../../src/core/training/types'
import { Rng } from '../../src/core/util/rng'
import { loadEnvironment } from '../../src/engine/environments'
import { QuadraticEnvironment } from '../../src/core/env/quadratic'
import { readConnectome } from '../../src/engine/resources'

const c = readConnectome()
const w0 = c.w0
const evaluator = new InProcessEvaluator(loadEnvironment({ id: 'worm', task: 'pentagon' }))

/** Records every batch an algorithm hands to the evaluator, and runs it for real. */
class RecordingEvaluator implements Evaluator {
  jobs: LocalSearchJob[] = []
  evaluated: Float64Array[] = []
  perturbations: PerturbationRequest[] = []
  async evaluate(genomes: Float64Array[]) {
    this.evaluated.push(...genomes.map((g) => g.slice()))
    return evaluator.evaluate(genomes)
  }
  async localSearch(jobs: LocalSearchJob[]) {
    this.jobs.push(...jobs)
    return evaluator.localSearch(jobs)
  }
  async evaluatePerturbations(req: PerturbationRequest) {
    this.perturbations.push({ ...req, center: req.center.slice() })
    return evaluator.evaluatePerturbations(req)
  }
}

const SMALL = { populationSize: 6, madsEvaluations: 12, madsCoordinates: 5 }
const SMALL_CONFIGS: Record<AlgorithmName, object> = {
  renomad: SMALL,
  'renomad-random': SMALL,
  menomad: { populationSize: 6, madsEvaluations: 12 },
  ea: { populationSize: 6 },
  es: { populationSize: 6 },
  cfnomad: { madsEvaluations: 12, mutateEvery: 2 },
  'hebbian-es': { populationSize: 6 }
}

describe('genetic operators', () => {
  it('crossover takes each gene from parent 1 with probability p1/(p1+p2)', () => {
    const rng = new Rng(11)
    const a = new Float64Array(3689).fill(0)
    const b = new Float64Array(3689).fill(1)
    const pc = 0.7
    let fromA = 0
    const trials = 20
    for (let t = 0; t < trials; t++) fromA += crossover(rng, a, b, pc).filter((x) => x === 0).length
    const n = trials * 3689
    const sd = Math.sqrt(n * pc * (1 - pc))
    expect(Math.abs(fromA - n * pc)).toBeLessThan(4 * sd)
    // Genes on which the parents agree are inherited unchanged.
    const same = crossover(rng, a, a.slice(), 0.5)
    expect(same.every((x) => x === 0)).toBe(true)
  })
  it('draws parents in proportion to their shifted fitness', () => {
    const rng = new Rng(5)
    const w = selectionWeights([10, 7, 4], 0.01) // shifted: 6.06, 3.06, 0.06
    expect(Array.from(w)).toEqual([6 + 0.06, 3 + 0.06, 0.06].map((x) => expect.closeTo(x, 12)))
    const total = w.reduce((p, q) => p + q, 0)
    const counts = [0, 0, 0]
    const n = 60_000
    for (let i = 0; i < n; i++) counts[drawWeighted(rng, w, total)]++
    counts.forEach((k, i) => {
      const p = w[i] / total
      expect(Math.abs(k - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)) + 1)
    })
  })
  it('uses the raw fitnesses as weights when every parent is positive (the authors’ rule)', () => {
    expect(Array.from(selectionWeights([10, 7, 4], 0.01, 'proportional'))).toEqual([10, 7, 4])
    // A parent at or below 0: raw weights are meaningless, so they are shifted as in `shifted`.
    const shifted = Array.from(selectionWeights([10, 7, -4], 0.01, 'shifted'))
    expect(Array.from(selectionWeights([10, 7, -4], 0.01, 'proportional'))).toEqual(shifted)
    expect(Array.from(selectionWeights([10, 7, 0], 0.01, 'proportional'))).toEqual(
      Array.from(selectionWeights([10, 7, 0], 0.01, 'shifted'))
    )
    expect(shifted[2]).toBeCloseTo(0.14, 12)
  })
  it('takes genes from parent 1 with p₁/(p₁+p₂) (Eq. 7) or ½ (uniform)', () => {
    expect(crossoverProbability(3, 1, 'fitness')).toBe(0.75)
    expect(crossoverProbability(3, 1, 'uniform')).toBe(0.5)
  })
  it('gives all-zero weights (crossover skipped) when parents tie', () => {
    expect(Array.from(selectionWeights([3, 3, 3], 0.01))).toEqual([0, 0, 0])
  })
  it('mutates exactly the requested number of distinct coordinates within U(−20, 20)', () => {
    const rng = new Rng(2)
    for (let t = 0; t < 50; t++) {
      const g = w0.slice()
      const coords = mutate(rng, g, 5, -20, 20)
      expect(new Set(coords).size).toBe(5)
      for (const k of coords) {
        expect(g[k]).toBeGreaterThanOrEqual(-20)
        expect(g[k]).toBeLessThan(20)
      }
      expect(changedSet(g, w0).length).toBeLessThanOrEqual(5)
    }
  })
})

describe('mENOMAD changed-set rule', () => {
  it('runs MADS only on novel changed sets of 1 to 49 coordinates', async () => {
    const cfg = parseAlgorithmConfig('menomad', { populationSize: 6, madsEvaluations: 5 })
    const algo = new PopulationAlgorithm('menomad', cfg, w0, 1)
    const withChanges = (ks: number[], delta: number) => {
      const g = w0.slice()
      ks.forEach((k) => (g[k] += delta))
      return g
    }
    const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i)
    const genomes = [
      w0.slice(), // empty set: evaluated
      withChanges([3, 10, 40], 1), // refined
      withChanges([3, 10, 40], 2), // same set again: evaluated as is
      withChanges(range(50, 100), 1), // 50 coordinates: evaluated
      withChanges(range(49, 200), 1), // 49 coordinates: refined
      withChanges([7], -1) // refined
    ]
    const snap = algo.snapshot()
    ;(snap.state as { genomes: Float64Array[] }).genomes = genomes
    const rec = new RecordingEvaluator()
    const restored = new PopulationAlgorithm('menomad', cfg, w0, 0).restoreState(snap)
    await restored.step(rec)
    expect(rec.jobs.map((j) => Array.from(j.coords))).toEqual([[3, 10, 40], range(49, 200), [7]])
    expect(rec.evaluated.length).toBe(3)
    expect(rec.jobs.every((j) => j.bound === 1 && j.maxEvaluations === 5)).toBe(true)
  })
  it('never lets MADS move a coordinate outside the changed set or the ±1 box', async () => {
    const algo = createAlgorithm('menomad', { populationSize: 6, madsEvaluations: 8 }, w0, 4)
    const rec = new RecordingEvaluator()
    for (let g = 0; g < 3; g++) await algo.step(rec)
    expect(rec.jobs.length).toBeGreaterThan(0)
    for (const job of rec.jobs) expect(job.coords.length).toBeLessThanOrEqual(49)
  })
})

describe('rENOMAD', () => {
  it('runs one MADS call per individual on 49 distinct coordinates with the paper defaults', async () => {
    const algo = createAlgorithm('renomad', { populationSize: 4, madsEvaluations: 6 }, w0, 3)
    const rec = new RecordingEvaluator()
    const report = await algo.step(rec)
    expect(rec.jobs.length).toBe(4)
    for (const job of rec.jobs) {
      expect(new Set(job.coords).size).toBe(49)
      expect(job.bound).toBe(1)
    }
    expect(report.evaluations).toBeLessThanOrEqual(4 * 6)
    expect(report.best.fitness).toBeGreaterThanOrEqual(98.148163 - 1e-6)
  })
  it('hands its MADS block size to every call, and the block changes the search', async () => {
    // The toy quadratic improves on almost every poll, so evaluating 4 points per block changes the path.
    const toy = new InProcessEvaluator(new QuadraticEnvironment({ id: 'quadratic', dim: 60, seed: 2 }))
    const run = async (madsBlockSize: number) => {
      const cfg = { populationSize: 2, madsEvaluations: 200, madsBlockSize }
      const algo = createAlgorithm('renomad', cfg, new Float64Array(60), 3)
      const jobs: LocalSearchJob[] = []
      const found: number[] = []
      const localSearch = async (j: LocalSearchJob[]) => {
        jobs.push(...j)
        const r = await toy.localSearch(j)
        found.push(...r.outcomes.map((o) => o.evaluation.fitness))
        return r
      }
      await algo.step({ localSearch } as unknown as Evaluator)
      return { jobs, found }
    }
    const one = await run(1)
    const four = await run(4)
    expect(one.jobs.map((j) => j.blockSize)).toEqual([1, 1])
    expect(four.jobs.map((j) => j.blockSize)).toEqual([4, 4])
    // Same coordinates and seeds, so only the block size can tell the two searches apart.
    expect(four.jobs.map((j) => j.seed)).toEqual(one.jobs.map((j) => j.seed))
    expect(four.found).not.toEqual(one.found)
  })
})

describe('OpenAI-ES', () => {
  it('uses mirrored pairs θ ± σε and evaluates θ itself, sending only θ and a seed', async () => {
    const es = createAlgorithm('es', { populationSize: 6, sigma: 0.5 }, w0, 9)
    const rec = new RecordingEvaluator()
    const report = await es.step(rec)
    expect(rec.evaluated.length).toBe(0)
    expect(rec.perturbations).toHaveLength(1)
    const req = rec.perturbations[0]
    expect(req).toMatchObject({ sigma: 0.5, first: 0, pairs: 3, includeCenter: true })
    expect(Array.from(req.center)).toEqual(Array.from(w0))
    expect(report.evaluations).toBe(7)
    // The evaluator's candidates are exactly θ, θ + σε_j, θ − σε_j with ε_j regenerated from the seed.
    const { results } = await evaluator.evaluatePerturbations(req)
    const eps = new Float64Array(w0.length)
    const direct = [w0.slice()]
    for (let j = 0; j < 3; j++) {
      perturbation(req.seed, j, eps)
      const plus = w0.map((w, k) => w + 0.5 * eps[k])
      const minus = w0.map((w, k) => w - 0.5 * eps[k])
      for (let k = 0; k < 3689; k += 97) expect(plus[k] + minus[k]).toBeCloseTo(2 * w0[k], 9)
      expect(plus.some((x, k) => x !== w0[k])).toBe(true)
      direct.push(plus, minus)
    }
    expect(results).toEqual((await evaluator.evaluate(direct)).results)
  })
  it('shapes fitness by centred ranks in [−0.5, 0.5] summing to 0', () => {
    const r = centredRanks([5, -3, 100, 7, 0])
    expect(Array.from(r)).toEqual([0, -0.5, 0.5, 0.25, -0.25])
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })
  it('draws standard normal perturbations, regenerated identically from (seed, index)', () => {
    const eps = [0, 1, 2, 3].flatMap((j) => Array.from(perturbation(1, j, new Float64Array(5000))))
    expect(Array.from(perturbation(1, 2, new Float64Array(5000)))).toEqual(eps.slice(10000, 15000))
    expect(perturbation(2, 2, new Float64Array(8))).not.toEqual(perturbation(1, 2, new Float64Array(8)))
    const mean = eps.reduce((a, b) => a + b, 0) / eps.length
    const v = eps.reduce((a, b) => a + (b - mean) ** 2, 0) / eps.length
    expect(Math.abs(mean)).toBeLessThan(0.03)
    expect(Math.abs(v - 1)).toBeLessThan(0.05)
  })
  it('regenerates ε_j bit for bit as rng.normal() draws from an Rng seeded with mixSeed(seed, j)', () => {
    for (const n of [0, 1, 2, 7, 4096, 10_001])
      for (const [seed, j] of [
        [0, 0],
        [1, 3],
        [0xffffffff, 99],
        [123456789, 100_000]
      ]) {
        const rng = new Rng(mixSeed(seed, j))
        const expected = Array.from({ length: n }, () => rng.normal())
        expect(Array.from(perturbation(seed, j, new Float64Array(n)))).toEqual(expected)
      }
  })
})

describe.each(Object.keys(SMALL_CONFIGS) as AlgorithmName[])('%s reproducibility', (name) => {
  const config = SMALL_CONFIGS[name]
  it('continues bit-identically after snapshot/restore in the middle of a run', async () => {
    const a = createAlgorithm(name, config, w0, 21)
    await a.step(evaluator)
    await a.step(evaluator)
    const snap = structuredClone(a.snapshot())
    const b = restoreAlgorithm(snap, config, w0)
    expect(b.generation()).toBe(2)
    for (let g = 0; g < 2; g++) {
      const ra = await a.step(evaluator)
      const rb = await b.step(evaluator)
      expect(rb.best).toEqual(ra.best)
      expect(rb.meanFitness).toBe(ra.meanFitness)
    }
    expect(Array.from(b.best()!.genome)).toEqual(Array.from(a.best()!.genome))
    expect(b.population().map((g) => Array.from(g))).toEqual(a.population().map((g) => Array.from(g)))
  })
  it('gives the same result twice from the same seed, and another from another seed', async () => {
    const run = async (seed: number) => {
      const algo = createAlgorithm(name, config, w0, seed)
      for (let g = 0; g < 3; g++) await algo.step(evaluator)
      return algo.population().map((g) => Array.from(g))
    }
    const first = await run(5)
    expect(await run(5)).toEqual(first)
    expect(await run(6)).not.toEqual(first)
  })
})

describe('config validation', () => {
  it('fills paper defaults and rejects bad or unknown values by name', () => {
    const cfg = parseAlgorithmConfig('renomad', {})
    expect(cfg).toMatchObject({ populationSize: 64, madsCoordinates: 49, madsEvaluations: 200, madsBound: 1 })
    expect(parseAlgorithmConfig('es', {})).toMatchObject({
      sigma: 0.5,
      learningRate: 0.05,
      weightDecay: 0.005
    })
    expect(() => parseAlgorithmConfig('renomad', { populationSize: -3 })).toThrow(/populationSize/)
    expect(() => parseAlgorithmConfig('es', { populationSize: 7 })).toThrow(/populationSize/)
    expect(() => parseAlgorithmConfig('ea', { madsBound: 2 })).toThrow(/madsBound|Unrecognized/i)
    // Model constants belong to the environment, not to the algorithm.
    expect(() => parseAlgorithmConfig('renomad', { model: {} })).toThrow(/model|Unrecognized/i)
    expect(() => parseEnvironmentSpec({ id: 'worm', model: { threshold: 'x' } })).toThrow(/model\.threshold/)
    expect(() => parseAlgorithmConfig('renomad', { madsCoordinates: 60 }, 50)).toThrow(/madsCoordinates/)
  })
})

describe('the reported solution is the stored one', () => {
  it.each(Object.keys(SMALL_CONFIGS) as AlgorithmName[])(
    '%s: report.best equals the evaluation of best()',
    async (name) => {
      const algo = createAlgorithm(name, SMALL_CONFIGS[name], w0, 8)
      for (let g = 0; g < 3; g++) {
        const report = await algo.step(evaluator)
        const best = algo.best()!
        expect(report.best).toEqual(best.evaluation)
        // and re-evaluating the stored genome gives the same numbers
        expect((await evaluator.evaluate([best.genome])).results[0]).toEqual(best.evaluation)
      }
    }
  )
})

describe('an exact rollout budget', () => {
  // Budgets that no generation size divides: the last generation must be cut to fit.
  it.each(Object.keys(SMALL_CONFIGS) as AlgorithmName[])(
    '%s never spends more than its budget, and ends within one generation’s fixed cost of it',
    async (name) => {
      const budget = 157
      const algo = createAlgorithm(name, SMALL_CONFIGS[name], w0, 4)
      const rec = new RecordingEvaluator()
      let spent = 0
      let last: number[] = []
      for (;;) {
        const report = await algo.step(rec, budget - spent)
        if (!report) break
        spent = report.totalEvaluations
        last = rec.jobs.map((j) => j.maxEvaluations)
        rec.jobs = []
      }
      expect(spent).toBeLessThanOrEqual(budget)
      // What is left is less than a generation's evaluations outside MADS, plus one per MADS call.
      const fixed = name === 'es' || name === 'hebbian-es' ? 7 : name === 'cfnomad' ? 2 : 6 + 6
      expect(budget - spent).toBeLessThan(fixed)
      // A refused generation changed nothing: the same call is refused again.
      const rngOf = () => JSON.stringify((algo.snapshot().state as { rng: unknown }).rng)
      const before = rngOf()
      expect(await algo.step(rec, budget - spent)).toBeNull()
      expect(rngOf()).toBe(before)
      if (name !== 'ea' && name !== 'es' && name !== 'hebbian-es') expect(last.length).toBeGreaterThan(0)
    }
  )
  it('shares a short last budget equally between the MADS calls', () => {
    expect(shareBudget(4, 200, 1000)).toEqual([200, 200, 200, 200])
    expect(shareBudget(4, 200, 10)).toEqual([3, 3, 2, 2])
    expect(shareBudget(4, 200, 3)).toBeNull()
    expect(shareBudget(0, 200, 0)).toEqual([])
  })
})
