import { Rng } from '../util/rng'
import { copySolution, StatefulAlgorithm, type BaseState, type Solution } from './base'
import type { EaConfig, MenomadConfig, RandomInitConfig, RenomadConfig } from './config'
import { crossover, drawWeighted, fitnessStats, mutate, selectionWeights, topIndices } from './genetic'
import type { AlgorithmName, Evaluation, Evaluator, GenerationReport, LocalSearchJob } from './types'

type PopulationMode = 'renomad' | 'renomad-random' | 'menomad' | 'ea'
type PopulationConfig = RenomadConfig | RandomInitConfig | MenomadConfig | EaConfig

interface PopulationState extends BaseState {
  genomes: Float64Array[]
  fitness: (Evaluation | null)[]
  best: Solution | null
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
    private readonly w0: Float64Array,
    seed: number
  ) {
    super()
    const rng = new Rng(seed)
    const genomes: Float64Array[] = []
    for (let i = 0; i < config.populationSize; i++) {
      if (name === 'renomad-random') {
        const c = config as RandomInitConfig
        genomes.push(Float64Array.from(w0, () => rng.uniform(c.initLow, c.initHigh)))
      } else genomes.push(w0.slice())
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

  best() {
    return copySolution(this.s.best)
  }

  population(): Float64Array[] {
    return this.s.genomes.map((g) => g.slice())
  }

  async step(evaluator: Evaluator): Promise<GenerationReport> {
    const wall0 = performance.now()
    const rng = Rng.fromState(this.s.rng)
    const { genomes, fitness } = this.s
    const N = genomes.length
    let algorithmMs = 0
    let mark = performance.now()

    // 1. Improve (MADS) or evaluate every individual whose fitness is not known.
    const jobs: LocalSearchJob[] = []
    const jobOf: number[] = []
    const plain: number[] = []
    if (this.name === 'renomad' || this.name === 'renomad-random') {
      const c = this.config as RenomadConfig
      for (let i = 0; i < N; i++) {
        const coords = rng.sample(this.w0.length, c.madsCoordinates).sort()
        jobs.push({
          genome: genomes[i],
          coords,
          bound: c.madsBound,
          maxEvaluations: c.madsEvaluations,
          seed: rng.nextUint32()
        })
        jobOf.push(i)
      }
    } else if (this.name === 'menomad') {
      const c = this.config as MenomadConfig
      const refined = new Set<string>()
      for (let i = 0; i < N; i++) {
        const changed = changedSet(genomes[i], this.w0)
        const key = changed.join(',')
        if (changed.length >= 1 && changed.length <= c.maxChangedSet && !refined.has(key)) {
          refined.add(key)
          jobs.push({
            genome: genomes[i],
            coords: changed,
            bound: c.madsBound,
            maxEvaluations: c.madsEvaluations,
            seed: rng.nextUint32()
          })
          jobOf.push(i)
        } else if (fitness[i] === null) plain.push(i)
      }
    } else {
      for (let i = 0; i < N; i++) if (fitness[i] === null) plain.push(i)
    }
    algorithmMs += performance.now() - mark

    let evaluations = 0
    let rolloutMs = 0
    let madsMs = 0
    if (jobs.length > 0) {
      const { outcomes, timing } = await evaluator.localSearch(jobs)
      outcomes.forEach((o, j) => {
        genomes[jobOf[j]] = o.genome
        fitness[jobOf[j]] = o.evaluation
        evaluations += o.evaluations
      })
      rolloutMs += timing.rolloutMs
      madsMs += timing.madsMs
    }
    if (plain.length > 0) {
      const { results, timing } = await evaluator.evaluate(plain.map((i) => genomes[i]))
      results.forEach((r, j) => (fitness[plain[j]] = r))
      evaluations += plain.length
      rolloutMs += timing.rolloutMs
    }

    // 2. Report on the evaluated population.
    mark = performance.now()
    const f = fitness.map((e) => (e as Evaluation).fitness)
    const stats = fitnessStats(f)
    const bestIdx = topIndices(f, 1)[0]
    if (!this.s.best || f[bestIdx] > this.s.best.evaluation.fitness) {
      this.s.best = { genome: genomes[bestIdx].slice(), evaluation: { ...(fitness[bestIdx] as Evaluation) } }
    }

    // 3. Selection, crossover (Eq. 7) and, for mENOMAD and the EA, mutation.
    this.breed(rng, f)
    this.s.rng = rng.getState()
    this.s.generation++
    this.s.totalEvaluations += evaluations
    algorithmMs += performance.now() - mark

    const best = this.s.best as { evaluation: Evaluation }
    return {
      generation: this.s.generation,
      best: { ...best.evaluation },
      bestFitness: stats.best,
      meanFitness: stats.mean,
      worstFitness: stats.worst,
      evaluations,
      totalEvaluations: this.s.totalEvaluations,
      rolloutMs,
      madsMs,
      algorithmMs,
      wallMs: performance.now() - wall0
    }
  }

  private breed(rng: Rng, f: number[]): void {
    const c = this.config
    const N = this.s.genomes.length
    const k = Math.max(1, Math.floor(N * c.parentFraction))
    const parents = topIndices(f, k)
    const weights = selectionWeights(
      parents.map((i) => f[i]),
      c.selectionEpsilon
    )
    const total = weights.reduce((a, b) => a + b, 0)
    const genomes = parents.map((i) => this.s.genomes[i])
    const fitness = parents.map((i) => this.s.fitness[i])
    const mutating = this.name === 'menomad' || this.name === 'ea'
    for (let o = 0; genomes.length < N; o++) {
      let child: Float64Array
      if (total > 0) {
        const p1 = drawWeighted(rng, weights, total)
        const p2 = drawWeighted(rng, weights, total)
        const pc = weights[p1] / (weights[p1] + weights[p2])
        child = crossover(rng, genomes[p1], genomes[p2], pc)
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

/** {k : W[k] ≠ W0[k]}, ascending. */
export function changedSet(genome: Float64Array, w0: Float64Array): Int32Array {
  const out: number[] = []
  for (let k = 0; k < w0.length; k++) if (genome[k] !== w0[k]) out.push(k)
  return Int32Array.from(out)
}

export type { AlgorithmName }
