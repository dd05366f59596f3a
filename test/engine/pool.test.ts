import { afterAll, describe, expect, it } from 'vitest'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { createAlgorithm } from '../../src/core/training/registry'
import { taskByName } from '../../src/core/tasks/tasks'
import { WorkerPool } from '../../src/engine/pool/pool'
import { PoolEvaluator } from '../../src/engine/pool/pool-evaluator'
import { readConnectome } from '../../src/engine/resources'
import { processAlive } from '../../src/engine/runs/manager'

const c = readConnectome()
const task = taskByName('pentagon')
const ctx = { connectome: c.id, taskName: task.name, food: task.food, params: {} }
const pools: WorkerPool[] = []
const newPool = (size: number, opts = {}) => {
  const p = new WorkerPool({ size, ...opts })
  pools.push(p)
  return p
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()))
})

describe('worker pool', () => {
  it('evaluates batches in real child processes, in input order', async () => {
    const pool = newPool(2)
    await pool.ready()
    const pids = pool.pids()
    expect(new Set(pids).size).toBe(2)
    expect(pids).not.toContain(process.pid)
    const genomes = [c.w0, c.w0.map((w, k) => (k < 40 ? w + 3 : w)), c.w0]
    const ev = new PoolEvaluator(pool, ctx, 'test')
    const { results } = await ev.evaluate(genomes)
    const local = await new InProcessEvaluator(c, task).evaluate(genomes)
    expect(results).toEqual(local.results)
    expect(results[0].foodEaten).toBe(3)
  })

  it('respawns a worker killed mid-generation and ends identical to an undisturbed run', async () => {
    const config = { populationSize: 8, madsEvaluations: 120, madsCoordinates: 10 }
    const reference = createAlgorithm('renomad', config, c.w0, 7)
    await reference.step(new InProcessEvaluator(c, task))

    const pool = newPool(2)
    await pool.ready()
    const victim = pool.pids()[0]
    const algo = createAlgorithm('renomad', config, c.w0, 7)
    const step = algo.step(new PoolEvaluator(pool, ctx, 'kill-test'))
    await new Promise((r) => setTimeout(r, 150))
    process.kill(victim, 'SIGKILL')
    await step
    expect(pool.restarts).toBeGreaterThanOrEqual(1)
    expect(pool.retried).toBeGreaterThanOrEqual(1) // the killed worker's MADS call ran again elsewhere
    expect(pool.pids()).not.toContain(victim)
    expect(algo.population().map((g) => Array.from(g))).toEqual(
      reference.population().map((g) => Array.from(g))
    )
    expect(algo.best()!.evaluation).toEqual(reference.best()!.evaluation)
  })

  it('applies backpressure: run() waits while the queue is full', async () => {
    const pool = newPool(1, { maxQueue: 2 })
    await pool.ready()
    const order: string[] = []
    const sleeps = Array.from({ length: 5 }, (_, i) =>
      pool.run({ kind: 'sleep', ms: 30 }).then(() => order.push(`s${i}`))
    )
    // With one worker and room for 2 queued requests, the 5th request has not been queued yet.
    let fifthQueued = false
    const fifth = pool.run({ kind: 'ping' }).then(() => order.push('ping'))
    void fifth.then(() => (fifthQueued = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(fifthQueued).toBe(false)
    await Promise.all([...sleeps, fifth])
    expect(order).toEqual(['s0', 's1', 's2', 's3', 's4', 'ping'])
  })

  it('shares the workers fairly between owners (round robin)', async () => {
    const pool = newPool(1)
    await pool.ready()
    const order: string[] = []
    const a = Array.from({ length: 4 }, () =>
      pool.run({ kind: 'sleep', ms: 5 }, 'A').then(() => order.push('A'))
    )
    const b = Array.from({ length: 4 }, () =>
      pool.run({ kind: 'sleep', ms: 5 }, 'B').then(() => order.push('B'))
    )
    await Promise.all([...a, ...b])
    // The first A was dispatched at once; after it the owners alternate.
    expect(order.slice(1, 7).join('')).toMatch(/^(AB|BA){3}$/)
  })

  it('stops every worker on close', async () => {
    const pool = newPool(2)
    await pool.ready()
    const pids = pool.pids()
    await pool.close()
    await new Promise((r) => setTimeout(r, 100))
    for (const pid of pids) expect(processAlive(pid)).toBe(false)
    await expect(pool.run({ kind: 'ping' })).rejects.toThrow(/closed/)
  })
})

describe('genome packing', () => {
  it('sends near-W0 genomes sparse and dense ones dense, both unpacking exactly', async () => {
    const { packGenomes, unpackGenomes } = await import('../../src/engine/pool/pack')
    const near = [
      c.w0.map((w, k) => (k === 5 ? 1.25 : w)),
      c.w0.slice(),
      c.w0.map((w, k) => (k % 500 === 0 ? -w - 0.5 : w))
    ]
    const sparse = packGenomes(near, c.w0)
    expect(sparse.kind).toBe('sparse')
    expect(unpackGenomes(sparse, c.w0).map((g) => Array.from(g))).toEqual(near.map((g) => Array.from(g)))
    const far = [c.w0.map((w) => w + 0.5)]
    const dense = packGenomes(far, c.w0)
    expect(dense.kind).toBe('dense')
    expect(Array.from(unpackGenomes(dense, c.w0)[0])).toEqual(Array.from(far[0]))
  })
})
