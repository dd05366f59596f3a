import { Rng } from '../util/rng'
import { shareBudget, StatefulAlgorithm, type BaseState, type GenerationResult } from './base'
import type { EaConfig, MenomadConfig, RandomInitConfig, RenomadConfig } from './config'
import {
  crossover,
  crossoverProbability,
  drawWeighted,
  mutate,
  selectionWeights,
  topIndices
} from './genetic'
import type { AlgorithmName, Evaluation, Evaluator, LocalSearchJob } from './types'

type PopulationMode = 'renomad' | 'renomad-random' | 'menomad' | 'ea'
type PopulationConfig = RenomadConfig | RandomInitConfig | MenomadConfig | EaConfig

interface PopulationState extends BaseState {
  genomes: Float64Array[]
  fitness: (Evaluation | null)[]
}

/**
 * The population algorithms of seed 000 (shared spec docs/optimizers.md):
 * - rENOMAD: MADS on 49 random coordinates of every individual, then selection and crossover;
 * - renomad-random: the same from U(−20, 20) weights (Suppl. Fig. S1);
 * - mENOMAD: MADS on each individual's (novel, < 50) changed set, selection, crossover, 5 mutations;
 * - EA: selection, crossover and 5 mutations, no MADS.
 */
export class PopulationAlgorithm extends StatefulAlgorithm<PopulationState> {
  protected s: PopulationState

  constructor(
    readonly name: PopulationMode,
    private readonly config: PopulationConfig,
    private readonly prior: Float64Array,
    seed: number
  ) {
    super()
    const rng = new Rng(seed)
    const genomes: Float64Array[] = []
    for (let i = 0; i < config.populationSize; i++) {
      if (name === 'renomad-random') {
        const c = config as RandomInitConfig
        genomes.push(Float64Array.from(prior, () => rng.uniform(c.initLow, c.initHigh)))
      } else genomes.push(prior.slice())
    }
    this.s = {
      rng: rng.getState(),
      generation: 0,
      totalEvaluations: 0,
      genomes,
      fitness: genomes.map(() => null),
      best: null
    }
  }

  population(): Float64Array[] {
    return this.s.genomes.map((g) => g.slice())
  }

  protected async generate(evaluator: Evaluator, rng: Rng, limit: number): Promise<GenerationResult | null> {
    const { genomes, fitness } = this.s
    const N = genomes.length

    // 1. Improve (MADS) or evaluate every individual whose fitness is not known.
    const jobs: LocalSearchJob[] = []
    const jobOf: number[] = []
    const plain: number[] = []
    if (this.name === 'renomad' || this.name === 'renomad-random') {
      const c = this.config as RenomadConfig
      for (let i = 0; i < N; i++) {
        const coords = rng.sample(this.prior.length, c.madsCoordinates).sort()
        jobs.push({
          genome: genomes[i],
          coords,
          bound: c.madsBound,
          maxEvaluations: c.madsEvaluations,
          blockSize: c.madsBlockSize,
          seed: rng.nextUint32()
        })
        jobOf.push(i)
      }
    } else if (this.name === 'menomad') {
      const c = this.config as MenomadConfig
      const refined = new Set<string>()
      for (let i = 0; i < N; i++) {
        const changed = changedSet(genomes[i], this.prior)
        const key = changed.join(',')
        if (changed.length >= 1 && changed.length <= c.maxChangedSet && !refined.has(key)) {
          refined.add(key)
          jobs.push({
            genome: genomes[i],
            coords: changed,
            bound: c.madsBound,
            maxEvaluations: c.madsEvaluations,
            blockSize: c.madsBlockSize,
            seed: rng.nextUint32()
          })
          jobOf.push(i)
        } else if (fitness[i] === null) plain.push(i)
      }
    } else {
      for (let i = 0; i < N; i++) if (fitness[i] === null) plain.push(i)
    }

    // Within the limit: every plain evaluation, and the MADS calls share the rest (an equal share each
    // when their full budgets do not fit, as in a run's last generation).
    const budgets = shareBudget(jobs.length, jobs[0]?.maxEvaluations ?? 0, limit - plain.length)
    if (budgets === null || plain.length > limit) return null
    jobs.forEach((j, i) => (j.maxEvaluations = budgets[i]))
    let evaluations = 0
    if (jobs.length > 0) {
      const { outcomes } = await evaluator.localSearch(jobs)
      outcomes.forEach((o, j) => {
        genomes[jobOf[j]] = o.genome
        fitness[jobOf[j]] = o.evaluation
        evaluations += o.evaluations
      })
    }
    if (plain.length > 0) {
      const { results } = await evaluator.evaluate(plain.map((i) => genomes[i]))
      results.forEach((r, j) => (fitness[plain[j]] = r))
      evaluations += plain.length
    }

    // 2. The fittest individual is this generation's candidate; 3. selection, crossover (Eq. 7) and,
    // for mENOMAD and the EA, mutation.
    const f = fitness.map((e) => (e as Evaluation).fitness)
    const bestIdx = topIndices(f, 1)[0]
    const candidate = { genome: genomes[bestIdx], evaluation: fitness[bestIdx] as Evaluation }
    this.breed(rng, f)
    return { fitness: f, candidate, evaluations }
  }

  private breed(rng: Rng, f: number[]): void {
    const c = this.config
    const N = this.s.genomes.length
    const k = Math.max(1, Math.floor(N * c.parentFraction))
    const parents = topIndices(f, k)
    const weights = selectionWeights(
      parents.map((i) => f[i]),
      c.selectionEpsilon,
      c.selection
    )
    const total = weights.reduce((a, b) => a + b, 0)
    const genomes = parents.map((i) => this.s.genomes[i])
    const fitness = parents.map((i) => this.s.fitness[i])
    // The genomes that are not parents are discarded: their buffers hold the children (no allocation).
    const isParent = new Uint8Array(N)
    for (const i of parents) isParent[i] = 1
    const spare = this.s.genomes.filter((_, i) => !isParent[i])
    const mutating = this.name === 'menomad' || this.name === 'ea'
    for (let o = 0; genomes.length < N; o++) {
      let child: Float64Array
      if (total > 0) {
        const p1 = drawWeighted(rng, weights, total)
        const p2 = drawWeighted(rng, weights, total)
        const pc = crossoverProbability(weights[p1], weights[p2], c.crossover)
        child = crossover(rng, genomes[p1], genomes[p2], pc, spare.pop())
      } else child = genomes[o % k].slice() // every weight is 0: crossover is skipped
      if (mutating) {
        const m = c as MenomadConfig
        mutate(rng, child, m.mutationCount, m.mutationLow, m.mutationHigh)
      }
      genomes.push(child)
      fitness.push(null)
    }
    this.s.genomes = genomes
    this.s.fitness = fitness
  }
}

/** {k : W[k] ≠ prior[k]}, ascending. */
export function changedSet(genome: Float64Array, prior: Float64Array): Int32Array {
  const out: number[] = []
  for (let k = 0; k < prior.length; k++) if (genome[k] !== prior[k]) out.push(k)
  return Int32Array.from(out)
}

export type { AlgorithmName }
