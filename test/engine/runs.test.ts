import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { createAlgorithm } from '../../src/core/training/registry'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager, type ProgressEvent } from '../../src/engine/runs/manager'
import { timeProfile } from '../../src/engine/runs/profile'
import { loadEnvironment } from '../../src/engine/environments'
import { readConnectome } from '../../src/engine/resources'
import { Store } from '../../src/engine/store/store'
import { tempDir } from '../helpers/cli'

const c = readConnectome()
const worm = loadEnvironment({ id: 'worm', task: 'pentagon' })
const small = { populationSize: 6, madsEvaluations: 20, madsCoordinates: 6 }
let pool: WorkerPool
let store: Store
let manager: RunManager

beforeAll(async () => {
  pool = new WorkerPool({ size: 2 })
  await pool.ready()
  store = Store.open(join(tempDir(), 'runs.db'))
  manager = new RunManager(store, pool)
})
afterAll(async () => {
  await pool.close()
  store.close()
})

async function reference(algorithm: 'renomad' | 'es', seed: number, generations: number) {
  const algo = createAlgorithm(algorithm, algorithm === 'es' ? { populationSize: 6 } : small, c.w0, seed)
  const ev = new InProcessEvaluator(worm)
  for (let g = 0; g < generations; g++) await algo.step(ev)
  return algo.best()!
}

describe('run manager', () => {
  it('stores metrics per generation, the best genome when it changes, the final population and checkpoint', async () => {
    const run = manager.create({ algorithm: 'renomad', seed: 4, config: small, budget: { generations: 3 } })
    const events: ProgressEvent[] = []
    manager.on('progress', (e) => e.runId === run.id && events.push(e))
    const done = await manager.start(run.id)
    expect(done.status).toBe('completed')
    expect(done.generation).toBe(3)
    expect(events.map((e) => e.generation)).toEqual([1, 2, 3])
    expect(events[2].fraction).toBe(1)
    expect(events[0].etaSeconds).toBeGreaterThan(0)
    expect(events[2].etaSeconds).toBe(0)
    const metrics = store.metrics(run.id)
    expect(metrics.map((m) => m.generation)).toEqual([1, 2, 3])
    expect(metrics[2].rolloutMs).toBeGreaterThan(0)
    expect(metrics[2].workers).toBe(2)
    const prof = timeProfile(metrics)!
    expect(prof.rollouts + prof.mads + prof.transport + prof.idle).toBeCloseTo(1, 6)
    expect(prof.rollouts).toBeGreaterThan(0.3)
    const ref = await reference('renomad', 4, 3)
    expect(Array.from(store.bestGenome(run.id, c.w0).weights)).toEqual(Array.from(ref.genome))
    expect(metrics[2].bestFitness).toBe(ref.evaluation.fitness)
    expect(store.population(run.id, c.w0)!.genomes.length).toBe(6)
    expect(store.population(run.id, c.w0)!.generation).toBe(3)
    // The three generations were written in one batch: the first and the newest changed best genome
    // are kept (sparse against W0), with the final population and the last checkpoint only.
    const kinds = store.db
      .prepare(
        'SELECT kind, COUNT(*) AS n, SUM(indices IS NOT NULL) AS sparse FROM genomes WHERE run_id = ? GROUP BY kind ORDER BY kind'
      )
      .all(run.id) as { kind: string; n: number; sparse: number }[]
    expect(kinds[0].kind).toBe('best')
    expect(kinds[0].n).toBeGreaterThanOrEqual(1)
    expect(kinds[0].n).toBeLessThanOrEqual(2)
    expect(kinds[0].sparse).toBe(kinds[0].n)
    expect(kinds[1]).toMatchObject({ kind: 'population', n: 1 })
    expect(store.bestGenome(run.id, c.w0, 1).writtenAt).toBe(1)
    expect(store.bestGenome(run.id, c.w0).fitness).toBe(metrics[2].bestFitness)
    expect(store.lastCheckpoint(run.id)!.generation).toBe(3)
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM checkpoints WHERE run_id = ?').get(run.id)).toEqual({
      n: 1
    })
  })

  it('runs two runs at once on one pool, each ending as it would alone', async () => {
    const a = manager.create({ algorithm: 'renomad', seed: 11, config: small, budget: { generations: 3 } })
    const b = manager.create({ algorithm: 'renomad', seed: 12, config: small, budget: { generations: 3 } })
    const seen: string[] = []
    manager.on('progress', (e) => seen.push(e.runId))
    const [ra, rb] = await Promise.all([manager.start(a.id), manager.start(b.id)])
    expect([ra.status, rb.status]).toEqual(['completed', 'completed'])
    // The pool serves the two runs' MADS calls in turn, so both progress before either finishes.
    expect(seen.indexOf(b.id)).toBeLessThan(seen.lastIndexOf(a.id))
    expect(seen.indexOf(a.id)).toBeLessThan(seen.lastIndexOf(b.id))
    expect(Array.from(store.bestGenome(a.id, c.w0).weights)).toEqual(
      Array.from((await reference('renomad', 11, 3)).genome)
    )
    expect(Array.from(store.bestGenome(b.id, c.w0).weights)).toEqual(
      Array.from((await reference('renomad', 12, 3)).genome)
    )
  })

  it('pauses and resumes bit-identically', async () => {
    const run = manager.create({ algorithm: 'renomad', seed: 5, config: small, budget: { generations: 4 } })
    const onFirst = (e: ProgressEvent) => {
      if (e.runId === run.id && e.generation === 1) void manager.pause(run.id)
    }
    manager.on('progress', onFirst)
    const paused = await manager.start(run.id)
    manager.off('progress', onFirst)
    expect(paused.status).toBe('paused')
    expect(paused.generation).toBe(1)
    const done = await manager.start(run.id)
    expect(done.status).toBe('completed')
    expect(done.generation).toBe(4)
    expect(Array.from(store.bestGenome(run.id, c.w0).weights)).toEqual(
      Array.from((await reference('renomad', 5, 4)).genome)
    )
  })

  it('cancels and deletes runs', async () => {
    const run = manager.create({
      algorithm: 'ea',
      seed: 1,
      config: { populationSize: 6 },
      budget: { generations: 500 }
    })
    const onFirst = (e: ProgressEvent) => {
      if (e.runId === run.id) void manager.cancel(run.id)
    }
    manager.on('progress', onFirst)
    const cancelled = await manager.start(run.id)
    manager.off('progress', onFirst)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.generation).toBeLessThan(500)
    expect(() => manager.start(run.id)).toThrow(/cancelled; it cannot be resumed/)
    expect(store.getRun(run.id).generation).toBe(cancelled.generation)
    await manager.delete(run.id)
    expect(() => store.getRun(run.id)).toThrow(/unknown run/)
    for (const table of ['generations', 'genomes', 'checkpoints']) {
      expect(store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(run.id)).toEqual({
        n: 0
      })
    }
  })

  it('stops on an evaluation or wall-clock budget', async () => {
    const byEvals = await manager.start(
      manager.create({ algorithm: 'ea', seed: 2, config: { populationSize: 6 }, budget: { evaluations: 20 } })
        .id
    )
    // An evaluation budget is exact: 6, then 3 offspring a generation, so 18 (a 7th generation would be 21).
    expect(byEvals.evaluations).toBe(18)
    expect(byEvals.status).toBe('completed')
    const menomad = await manager.start(
      manager.create({
        algorithm: 'menomad',
        seed: 2,
        config: { populationSize: 4, madsEvaluations: 10 },
        budget: { evaluations: 57 }
      }).id
    )
    // Its last generation's MADS calls share what was left, to the rollout.
    expect(menomad.evaluations).toBeLessThanOrEqual(57)
    expect(menomad.evaluations).toBeGreaterThan(57 - 8)
    const bySeconds = await manager.start(
      manager.create({ algorithm: 'ea', seed: 2, config: { populationSize: 6 }, budget: { seconds: 0.5 } }).id
    )
    expect(bySeconds.status).toBe('completed')
    // It stops at the first generation boundary after 0.5 s (the last recorded time is that generation's end).
    expect(bySeconds.generation).toBeGreaterThan(1)
    expect(bySeconds.wallSeconds).toBeGreaterThan(0.4)
    expect(bySeconds.wallSeconds).toBeLessThan(5)
  })

  it('keeps the first and newest changed best genome per write batch, and says so for the others', async () => {
    const toy = { id: 'quadratic', dim: 30, seed: 2 }
    const run = manager.create({
      algorithm: 'es',
      environment: toy,
      seed: 3,
      config: { populationSize: 6, sigma: 0.1 },
      budget: { generations: 12 }
    })
    await manager.start(run.id)
    const env = loadEnvironment(toy)
    const metrics = store.metrics(run.id)
    // The ES's θ changes every generation; a fast run writes one batch, so few genomes are kept.
    const kept = metrics.filter((m) => m.genomeGeneration === m.generation).map((m) => m.generation)
    expect(kept[0]).toBe(1)
    expect(kept.at(-1)).toBe(12)
    // Replaying the ES in process gives each kept generation's θ exactly.
    const algo = createAlgorithm('es', { populationSize: 6, sigma: 0.1 }, env.prior, 3)
    const ev = new InProcessEvaluator(env)
    for (let g = 1; g <= 12; g++) {
      await algo.step(ev)
      const m = metrics[g - 1]
      if (m.genomeGeneration === null) {
        expect(() => store.bestGenome(run.id, env.prior, g)).toThrow(
          /generation \d+ was not kept; the nearest generations with a genome are \d+/
        )
      } else {
        const stored = store.bestGenome(run.id, env.prior, g)
        expect(stored.writtenAt).toBe(m.genomeGeneration)
        expect(Array.from(stored.weights)).toEqual(Array.from(algo.best()!.genome))
      }
    }
  })

  it('ends a run cancelled when another process asks during its last generation', async () => {
    const run = manager.create({
      algorithm: 'ea',
      seed: 4,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    const other = Store.open(store.path) // another connection to the same file, as another process has
    const onLast = (e: ProgressEvent) => {
      if (e.runId === run.id && e.generation === 2) other.requestStop(run.id, 'cancel')
    }
    manager.on('progress', onLast)
    try {
      const done = await manager.start(run.id)
      expect(done.status).toBe('cancelled')
      expect(done.stopRequest).toBeNull()
    } finally {
      manager.off('progress', onLast)
      other.close()
    }
  })

  it('rejects a bad config or task without writing a run', () => {
    const before = store.listRuns().length
    expect(() =>
      manager.create({ algorithm: 'renomad', config: { populationSize: -1 }, budget: { generations: 1 } })
    ).toThrow(/invalid renomad config: populationSize/)
    expect(() =>
      manager.create({ algorithm: 'renomad', config: { nonsense: 1 }, budget: { generations: 1 } })
    ).toThrow(/nonsense/)
    expect(() => manager.create({ algorithm: 'renomad', task: 'blob', budget: { generations: 1 } })).toThrow(
      /unknown task 'blob'/
    )
    expect(() => manager.create({ algorithm: 'renomad', budget: {} })).toThrow(/give a budget/)
    expect(() => manager.create({ algorithm: 'sgd' as 'es', budget: { generations: 1 } })).toThrow(
      /algorithm/
    )
    expect(() =>
      manager.create({
        algorithm: 'renomad',
        environment: { id: 'quadratic', dim: 10 },
        budget: { generations: 1 }
      })
    ).toThrow(/madsCoordinates: 49 is more than the genome's 10/)
    expect(() =>
      manager.create({
        algorithm: 'es',
        environment: { id: 'quadratic' },
        task: 'pentagon',
        budget: { generations: 1 }
      })
    ).toThrow(/only the worm environment has a task/)
    expect(() =>
      manager.create({ algorithm: 'es', environment: { id: 'go' }, budget: { generations: 1 } })
    ).toThrow(/invalid environment/)
    expect(store.listRuns().length).toBe(before)
  })
})
