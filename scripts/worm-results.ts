/**
 * Issue figures for the training algorithms on the worm (printed, not asserted):
 *   1. rENOMAD, 3 generations on the pentagon, seed 1: best food eaten (untrained: 3);
 *   2. mENOMAD after the same wall-clock budget: weights changed (L0, must stay ≤ 50);
 *   3. every algorithm after an equal wall-clock budget on one core (default 60 s): food eaten.
 *
 *   npm run results:worm [-- --seconds 60 --seed 1]
 */
import { parseArgs } from 'node:util'
import { InProcessEvaluator } from '../src/core/training/evaluator'
import { ALGORITHM_NAMES } from '../src/core/training/config'
import { createAlgorithm } from '../src/core/training/registry'
import type { AlgorithmName, GenerationReport, TrainingAlgorithm } from '../src/core/training/types'
import { loadEnvironment } from '../src/engine/environments'
import { readConnectome } from '../src/engine/resources'

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' } }
})
const budget = Number(values.seconds)
const seed = Number(values.seed)
const c = readConnectome()
const evaluator = new InProcessEvaluator(loadEnvironment({ id: 'worm', task: 'pentagon' }))

async function runFor(algo: TrainingAlgorithm, stop: (gen: number, seconds: number) => boolean) {
  const t0 = performance.now()
  let last: GenerationReport | null = null
  while (!stop(algo.generation(), (performance.now() - t0) / 1000)) last = await algo.step(evaluator)
  return {
    best: algo.best()!.evaluation,
    // The current solution (for the ES: θ now, which the regularizer may rank below W0).
    current: (last as GenerationReport).best,
    generations: algo.generation(),
    evals: (last as GenerationReport).totalEvaluations,
    seconds: (performance.now() - t0) / 1000
  }
}

console.log(
  `untrained connectome on the pentagon: ${(await evaluator.evaluate([c.w0])).results[0].metrics.foodEaten} foods`
)
const r = await runFor(createAlgorithm('renomad', {}, c.w0, seed), (g) => g >= 3)
console.log(
  `1. rENOMAD 3 generations, seed ${seed}: best food ${r.best.metrics.foodEaten} of 36, fitness ${r.best.fitness.toFixed(2)}, ` +
    `L0 ${r.best.metrics.l0}, ${r.evals} rollouts in ${r.seconds.toFixed(1)} s`
)
const m = await runFor(createAlgorithm('menomad', {}, c.w0, seed), (_, s) => s >= r.seconds)
console.log(
  `2. mENOMAD for the same ${r.seconds.toFixed(1)} s: ${m.generations} generations, best food ${m.best.metrics.foodEaten}, ` +
    `weights changed L0 = ${m.best.metrics.l0} (≤ 50 required)`
)
console.log(`3. every algorithm for ${budget} s on one core (pentagon, seed ${seed}):`)
console.log('   algorithm        food  fitness    L0      L2  generations  rollouts   current: food  reward')
for (const name of ALGORITHM_NAMES as AlgorithmName[]) {
  const x = await runFor(createAlgorithm(name, {}, c.w0, seed), (_, s) => s >= budget)
  console.log(
    `   ${name.padEnd(15)} ${String(x.best.metrics.foodEaten).padStart(5)} ${x.best.fitness.toFixed(1).padStart(8)} ${String(x.best.metrics.l0).padStart(5)} ` +
      `${x.best.metrics.l2.toFixed(1).padStart(7)} ${String(x.generations).padStart(12)} ${String(x.evals).padStart(9)}` +
      `   ${String(x.current.metrics.foodEaten).padStart(13)} ${x.current.metrics.reward.toFixed(1).padStart(7)}`
  )
}
