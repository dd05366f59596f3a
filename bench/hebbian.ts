/**
 * The Hebbian ES at the paper's quadruped setting (issue 11): one generation at population 500 on the
 * 61,440-coefficient ABCD_lr network, through a real pool of 2 workers that build the MuJoCo quadruped.
 * Workers get the centre and a seed and return fitnesses (PerturbationRequest); this prints the
 * generation's wall clock, the ES's own work in the main process, the worker compute and the transport
 * share (round trip − worker compute, summed over requests: an upper bound on the critical path).
 *
 *   npx tsx bench/hebbian.ts [generations]
 *
 * A random centre (the ES's N(0, 1) start) mostly falls and early-stops at step ~202, so these
 * generations are the cheap ones: a trained population walks 1,000 steps, up to ~5× longer.
 */
import { createAlgorithm } from '../src/core/training/registry'
import { loadEnvironment } from '../src/engine/environments'
import { WorkerPool } from '../src/engine/pool/pool'
import { PoolEvaluator } from '../src/engine/pool/pool-evaluator'
import { fmt, isMain } from './util'

const POPULATION = 500
const WORKERS = 2

export async function benchHebbianEs({ generations = 1 } = {}): Promise<void> {
  console.log(
    `\n== Hebbian ES on the quadruped: population ${POPULATION}, ABCD_lr (61,440 coefficients), ` +
      `intact + right, ${WORKERS} workers ==`
  )
  const env = loadEnvironment({ id: 'quadruped' })
  const pool = new WorkerPool({ size: WORKERS })
  try {
    await pool.ready()
    const ev = new PoolEvaluator(pool, env, 'bench-hebbian', {})
    const algo = createAlgorithm('hebbian-es', { populationSize: POPULATION }, env.prior, 1)
    console.log('gen   wall s   ES main ms   worker compute s   transport ms   share')
    for (let g = 0; g < generations; g++) {
      ev.transportMs = 0
      ev.computeMs = 0
      const r = await algo.step(ev)
      console.log(
        `${String(r.generation).padStart(3)} ${fmt(r.wallMs / 1000, 2).padStart(8)} ${fmt(r.algorithmMs).padStart(12)} ` +
          `${fmt(ev.computeMs / 1000, 2).padStart(18)} ` +
          `${fmt(ev.transportMs, 2).padStart(14)}   ${fmt((100 * ev.transportMs) / r.wallMs, 2)} %`
      )
    }
  } finally {
    await pool.close()
  }
}

if (isMain(import.meta.url)) await benchHebbianEs({ generations: Number(process.argv[2] ?? 1) })
