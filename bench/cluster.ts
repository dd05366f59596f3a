/**
 * The cluster (issue 12) on loopback: a real redis-server and real `lab worker` processes.
 *  - Overhead per job: sequential ping jobs through BullMQ, against the same pings through the local pool.
 *  - Speed-up with 1 against 2 workers (one process each) on a 256-rollout batch of the worm and on one
 *    full rENOMAD generation (64 MADS calls × 200 rollouts). Target: ≥ 1.7× on 2 cores.
 *
 *   npx tsx bench/cluster.ts [repeats]
 */
import { execFileSync } from 'node:child_process'
import { createAlgorithm } from '../src/core/training/registry'
import { Rng } from '../src/core/util/rng'
import { RedisBackend } from '../src/engine/cluster/redis-backend'
import { loadEnvironment } from '../src/engine/environments'
import { WorkerPool } from '../src/engine/pool/pool'
import { PoolEvaluator } from '../src/engine/pool/pool-evaluator'
import type { WorkBackend } from '../src/engine/pool/backend'
import type { GroupProcess } from '../test/helpers/processes'
import { startLabWorker, startRedis } from '../test/helpers/redis'
import { fmt, isMain, median } from './util'

const TARGET = 1.7

async function pingMs(backend: WorkBackend, n = 200): Promise<number> {
  for (let i = 0; i < 10; i++) await backend.run({ kind: 'ping' }) // warm-up
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await backend.run({ kind: 'ping' })
  return (performance.now() - t0) / n
}

export async function benchCluster(repeats = 3): Promise<void> {
  console.log('\n## Cluster: BullMQ workers over Redis on loopback (bench/cluster.ts)')
  try {
    execFileSync('redis-server', ['--version'])
  } catch {
    console.log('redis-server unavailable (Debian package redis-server): skipped')
    return
  }
  const redis = await startRedis()
  const workers: GroupProcess[] = []
  const env = loadEnvironment({ id: 'worm' })
  const rng = new Rng(1)
  const batch = Array.from({ length: 256 }, () => {
    const g = env.prior.slice()
    for (let k = 0; k < 20; k++) g[Math.floor(rng.next() * g.length)] = rng.uniform(-20, 20)
    return g
  })
  try {
    const local = new WorkerPool({ size: 1 })
    await local.ready()
    const localPing = await pingMs(local)
    await local.close()
    const cluster = new RedisBackend(redis.url, { size: 8 })
    await cluster.ready()
    const figures: Record<number, { batch: number; generation: number }> = {}
    for (const n of [1, 2]) {
      while (workers.length < n)
        workers.push(await startLabWorker(redis.url, ['--concurrency', '1', '--quiet']))
      const evaluator = new PoolEvaluator(cluster, env, 'bench')
      await evaluator.evaluate(batch) // warm-up: every worker builds the environment
      const b: number[] = []
      const g: number[] = []
      for (let r = 0; r < repeats; r++) {
        let t0 = performance.now()
        await evaluator.evaluate(batch)
        b.push(performance.now() - t0)
        const algo = createAlgorithm('renomad', {}, env.prior, 1 + r)
        t0 = performance.now()
        await algo.step(evaluator)
        g.push(performance.now() - t0)
      }
      figures[n] = { batch: median(b), generation: median(g) }
      if (n === 1)
        console.log(
          `overhead per job: ${fmt(await pingMs(cluster), 2)} ms over Redis, ${fmt(localPing, 3)} ms through the local pool (ping round trip)`
        )
      console.log(
        `${n} worker(s): 256-rollout batch ${fmt(figures[n].batch)} ms, rENOMAD generation (12,800 rollouts) ${fmt(figures[n].generation / 1000, 2)} s (medians of ${repeats})`
      )
    }
    const sb = figures[1].batch / figures[2].batch
    const sg = figures[1].generation / figures[2].generation
    console.log(
      `speed-up 1 → 2 workers: batch ${fmt(sb, 2)}×, rENOMAD generation ${fmt(sg, 2)}× (target ≥ ${TARGET}×: ${sg >= TARGET ? 'met' : 'NOT met'})`
    )
    await cluster.close()
  } finally {
    for (const w of workers) w.killGroup()
    await redis.stop()
  }
}

if (isMain(import.meta.url)) await benchCluster(Number(process.argv[2] ?? 3))
