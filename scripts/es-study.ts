/**
 * The short OpenAI-ES tuning study on the pentagon (docs/optimizers.md): σ × learning rate, an equal
 * wall-clock budget each on one core, reporting θ's food eaten and reward at the end (its fitness is
 * dominated by the cardinality penalty, since every ES step changes all 3,689 weights).
 *
 *   npx tsx scripts/es-study.ts [--seconds 15] [--seed 1]
 */
import { parseArgs } from 'node:util'
import { InProcessEvaluator } from '../src/core/training/evaluator'
import { createAlgorithm } from '../src/core/training/registry'
import type { GenerationReport } from '../src/core/training/types'
import { loadEnvironment } from '../src/engine/environments'
import { readConnectome } from '../src/engine/resources'

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '15' }, seed: { type: 'string', default: '1' } }
})
const c = readConnectome()
const evaluator = new InProcessEvaluator(loadEnvironment({ id: 'worm', task: 'pentagon' }))
console.log(`OpenAI-ES on the pentagon, ${values.seconds} s each, seed ${values.seed}`)
console.log('  sigma     lr  generations  food(θ)  reward(θ)  best food seen')
for (const sigma of [0.1, 0.5, 2]) {
  for (const learningRate of [0.01, 0.05, 0.2]) {
    const es = createAlgorithm('es', { sigma, learningRate }, c.w0, Number(values.seed))
    const t0 = performance.now()
    let last: GenerationReport | null = null
    let bestFood = 0
    while ((performance.now() - t0) / 1000 < Number(values.seconds)) {
      last = await es.step(evaluator)
      bestFood = Math.max(bestFood, last.best.metrics.foodEaten)
    }
    const r = last as GenerationReport
    console.log(
      `${String(sigma).padStart(7)} ${String(learningRate).padStart(6)} ${String(r.generation).padStart(12)} ` +
        `${String(r.best.metrics.foodEaten).padStart(8)} ${r.best.metrics.reward.toFixed(1).padStart(10)} ${String(bestFood).padStart(15)}`
    )
  }
}
