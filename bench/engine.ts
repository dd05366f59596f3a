/**
 * Engine figures: pool scaling (a batch of 256 rollouts on 1 and 2 workers) and where the time of one
 * rENOMAD generation goes (rollouts, MADS bookkeeping, transport, algorithm, idle).
 */
import { createAlgorithm } from '../src/core/training/registry'
import { WorkerPool } from '../src/engine/pool/pool'
import { PoolEvaluator } from '../src/engine/pool/pool-evaluator'
import { loadEnvironment } from '../src/engine/environments'
import { readConnectome } from '../src/engine/resources'
import { fmt, isMain, median } from './util'

const c = readConnectome()
const ctx = loadEnvironment({ id: 'worm', task: 'pentagon' })

export async function benchScaling(rounds = 5): Promise<void> {
  console.log('\n== Pool scaling: a batch of 256 rollouts (untrained connectome, pentagon) ==')
  // Slightly different genomes, so that no cache could help.
  const genomes = Array.from({ length: 256 }, (_, i) => c.w0.map((w, k) => (k === i ? w + 1 : w)))
  const times: Record<number, number> = {}
  for (const size of [1, 2]) {
    const pool = new WorkerPool({ size })
    await pool.ready()
    const ev = new PoolEvaluator(pool, ctx, 'bench')
    await ev.evaluate(genomes) // warm-up (JIT in the workers)
    const ms: number[] = []
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      await ev.evaluate(genomes)
      ms.push(performance.now() - t0)
    }
    await pool.close()
    times[size] = median(ms)
    console.log(
      `${size} worker${size > 1 ? 's' : ' '}: ${fmt(times[size])} ms  (median of ${rounds}: ${ms.map((x) => fmt(x, 0)).join(', ')})`
    )
  }
  console.log(`speed-up 2 vs 1 workers: ${fmt(times[1] / times[2], 2)}×  (target ≥ 1.8×)`)
}

export async function benchGenerationProfile(workers = 2): Promise<void> {
  console.log(`\n== One rENOMAD generation (64 MADS calls × 200 evaluations, ${workers} workers) ==`)
  const pool = new WorkerPool({ size: workers })
  await pool.ready()
  const ev = new PoolEvaluator(pool, ctx, 'bench')
  const algo = createAlgorithm('renomad', {}, c.w0, 1)
  const t0 = performance.now()
  const r = await algo.step(ev)
  const wall = performance.now() - t0
  await pool.close()
  const capacity = wall * workers // worker-ms available
  const rollout = r.rolloutMs
  const mads = r.madsMs
  const transport = ev.transportMs
  const idle = Math.max(0, capacity - rollout - mads - transport)
  const pct = (x: number, of: number) => `${fmt((100 * x) / of, 2)} %`
  console.log(
    `wall clock ${fmt(wall / 1000, 2)} s, ${r.evaluations} rollouts, best food ${r.best.metrics.foodEaten}`
  )
  console.log(
    `worker time (of ${fmt(capacity / 1000, 2)} worker-s): rollouts ${pct(rollout, capacity)}, MADS ${pct(mads, capacity)}, ` +
      `transport ${pct(transport, capacity)}, idle ${pct(idle, capacity)}`
  )
  console.log(
    `algorithm (main process) ${fmt(r.algorithmMs, 1)} ms = ${pct(r.algorithmMs, wall)} of wall clock`
  )
  const other = transport / workers + r.algorithmMs + idle / workers
  console.log(`everything but rollouts and MADS: ${pct(other, wall)} of wall clock  (target < 3 %)`)
}

if (isMain(import.meta.url)) {
  await benchScaling()
  await benchGenerationProfile()
}
