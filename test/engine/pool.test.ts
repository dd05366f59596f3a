import { afterAll, describe, expect, it } from 'vitest'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { createAlgorithm } from '../../src/core/training/registry'
import { WorkerPool } from '../../src/engine/pool/pool'
import { PoolEvaluator } from '../../src/engine/pool/pool-evaluator'
import type { WorkResponse } from '../../src/engine/pool/protocol'
import { loadEnvironment } from '../../src/engine/environments'
import { readConnectome } from '../../src/engine/resources'
import { processAlive } from '../../src/engine/runs/manager'

const c = readConnectome()
const env = loadEnvironment({ id: 'worm', task: 'pentagon' })
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
    const ev = new PoolEvaluator(pool, env, 'test')
    const { results } = await ev.evaluate(genomes)
    const local = await new InProcessEvaluator(env).evaluate(genomes)
    expect(results).toEqual(local.results)
    expect(results[0].metrics.foodEaten).toBe(3)
  })

  it('respawns a worker killed mid-generation and ends identical to an undisturbed run', async () => {
    const config = { populationSize: 8, madsEvaluations: 120, madsCoordinates: 10 }
    const reference = createAlgorithm('renomad', config, c.w0, 7)
    await reference.step(new InProcessEvaluator(env))

    const pool = newPool(2)
    await pool.ready()
    const victim = pool.pids()[0]
    const algo = createAlgorithm('renomad', config, c.w0, 7)
    const step = algo.step(new PoolEvaluator(pool, env, 'kill-test'))
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

  it('evaluates seeded perturbations of a centre genome exactly as in process, for any environment', async () => {
    const pool = newPool(2)
    await pool.ready()
    for (const e of [env, loadEnvironment({ id: 'quadratic', dim: 300, seed: 4 })]) {
      const center = e.prior.map((w, k) => w + (k % 7 === 0 ? 0.25 : 0))
      const req = { center, sigma: 0.3, seed: 99, first: 0, pairs: 5, includeCenter: true }
      const remote = await new PoolEvaluator(pool, e, 'perturb').evaluatePerturbations(req)
      const local = await new InProcessEvaluator(e).evaluatePerturbations(req)
      expect(remote.results).toHaveLength(11)
      expect(remote.results).toEqual(local.results)
    }
  })

  it('validates every job in the worker and answers a bad one with an error naming it', async () => {
    const pool = newPool(1)
    await pool.ready()
    const spec = env.spec
    await expect(
      pool.run({
        kind: 'evaluate',
        env: spec,
        genomes: { kind: 'dense', count: 1, data: new Float64Array(10) }
      })
    ).rejects.toThrow(/dense batch of 1 has 10 values/)
    const job = {
      genome: c.w0.slice(),
      coords: Int32Array.from([1, 1]),
      bound: 1,
      maxEvaluations: 5,
      seed: 1
    }
    await expect(pool.run({ kind: 'localSearch', env: spec, jobs: [job] })).rejects.toThrow(
      /coordinate 1 .*repeated/
    )
    await expect(
      pool.run({ kind: 'localSearch', env: spec, jobs: [{ ...job, coords: Int32Array.from([4000]) }] })
    ).rejects.toThrow(/out of range/)
    await expect(
      pool.run({
        kind: 'localSearch',
        env: spec,
        jobs: [{ ...job, coords: Int32Array.from([3]), blockSize: 0 }]
      })
    ).rejects.toThrow(/blockSize/)
    await expect(
      pool.run({
        kind: 'evaluate',
        env: { id: 'chess' } as never,
        genomes: { kind: 'dense', count: 0, data: new Float64Array(0) }
      })
    ).rejects.toThrow(/invalid environment/)
    await expect(pool.run({ kind: 'sleep', ms: -1 })).rejects.toThrow(/invalid job: ms/)
    // The worker survived every bad job.
    expect(pool.restarts).toBe(0)
    await expect(pool.run({ kind: 'ping' })).resolves.toBeTruthy()
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

describe('perturbation centres', () => {
  const quad = loadEnvironment({ id: 'quadratic', dim: 300, seed: 4 })
  const centre = (shift: number) => quad.prior.map((w, k) => w + (k % 5 === 0 ? shift : 0))
  const request = (center: Float64Array) => ({
    center,
    sigma: 0.3,
    seed: 7,
    first: 0,
    pairs: 12,
    includeCenter: true
  })
  const local = (center: Float64Array) => new InProcessEvaluator(quad).evaluatePerturbations(request(center))

  it('cross to each worker once, go by key afterwards, and cross again when their bits change', async () => {
    const pool = newPool(2)
    await pool.ready()
    const ev = new PoolEvaluator(pool, quad, 'centres', { perturbationChunks: 3 })
    const theta = centre(0.25)
    const first = await ev.evaluatePerturbations(request(theta))
    expect(first.results).toEqual((await local(theta)).results)
    expect(pool.centresSent).toBe(2) // 6 requests, the centre sent once to each worker
    const again = await ev.evaluatePerturbations(request(theta.slice())) // same bits, another array
    expect(again.results).toEqual(first.results)
    expect(pool.centresSent).toBe(2)
    theta[3] += 0.5 // changed in place, as the ES updates θ
    const moved = await ev.evaluatePerturbations(request(theta))
    expect(moved.results).toEqual((await local(theta)).results)
    expect(moved.results).not.toEqual(first.results)
    expect(pool.centresSent).toBe(4)
  })

  it('are sent again to a respawned worker', async () => {
    const pool = newPool(1)
    await pool.ready()
    const ev = new PoolEvaluator(pool, quad, 'respawn', { perturbationChunks: 2 })
    const theta = centre(-0.5)
    await ev.evaluatePerturbations(request(theta))
    expect(pool.centresSent).toBe(1)
    const victim = pool.pids()[0]
    process.kill(victim, 'SIGKILL')
    while (pool.restarts === 0) await new Promise((r) => setTimeout(r, 10))
    const after = await ev.evaluatePerturbations(request(theta))
    expect(pool.pids()).not.toContain(victim)
    expect(pool.centresSent).toBe(2)
    expect(after.results).toEqual((await local(theta)).results)
  })

  it('are validated in the worker: an unknown or evicted key is refused, a cached centre is checked', async () => {
    const pool = newPool(1)
    await pool.ready()
    const job = (center: Float64Array | null, centerKey: string, env = quad) =>
      pool.run({ kind: 'perturbations', env: env.spec, req: { ...request(quad.prior), center, centerKey } })
    const theta = centre(1)
    const results = (r: { response: WorkResponse }) => (r.response as { results: unknown }).results
    const sent = await job(theta, 'k1')
    const named = await job(null, 'k1')
    expect(results(sent)).toEqual((await local(theta)).results)
    expect(results(named)).toEqual(results(sent))
    await expect(job(null, 'unknown')).rejects.toThrow(/centre unknown is neither sent nor cached/)
    const smaller = loadEnvironment({ id: 'quadratic', dim: 200, seed: 4 })
    await expect(job(null, 'k1', smaller)).rejects.toThrow(/centre genome of 300 values/)
    // A worker keeps the last CENTRE_CACHE_SIZE (4) centres: four more push k1 out.
    for (const k of ['k2', 'k3', 'k4', 'k5']) await job(centre(2), k)
    await expect(job(null, 'k1')).rejects.toThrow(/neither sent nor cached/)
    await expect(job(null, 'k5')).resolves.toBeTruthy()
    expect(pool.restarts).toBe(0)
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
