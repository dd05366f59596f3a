import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/engine/pool/pool'
import { readConnectome } from '../../src/engine/resources'
import { RunManager } from '../../src/engine/runs/manager'
import { MIGRATIONS } from '../../src/engine/store/migrations'
import { Store } from '../../src/engine/store/store'
import { tempDir } from '../helpers/cli'

/**
 * A workspace written by Connectome Lab 0.1.0 (schema v2, before environments; test/fixtures/README.md)
 * upgrades in place, and every run reads back exactly what that version printed.
 */
const FIXTURE = join(import.meta.dirname, '..', 'fixtures')
interface Expected {
  runs: {
    run: Record<string, unknown> & { id: string; bestFoodEaten: number; config: Record<string, unknown> }
    metrics: {
      generation: number
      evaluations: number
      bestFitness: number
      meanFitness: number
      worstFitness: number
      bestFood: number
      bestReward: number
      bestL0: number
      bestL2: number
    }[]
    bestGenome: { generation: number; length: number; sha256: string }
  }[]
}
const expected = JSON.parse(readFileSync(join(FIXTURE, 'workspace-v2.expected.json'), 'utf8')) as Expected
const sha = (w: Float64Array) =>
  createHash('sha256')
    .update(Buffer.from(w.buffer, w.byteOffset, w.byteLength))
    .digest('hex')

function openCopy(): Store {
  const path = join(tempDir(), 'workspace-v2.db')
  copyFileSync(join(FIXTURE, 'workspace-v2.db'), path)
  return Store.open(path)
}

describe('migration of a schema-v2 workspace (fixture made by 0.1.0)', () => {
  it('upgrades in place and keeps every run, metric and best genome readable', () => {
    const store = openCopy()
    const w0 = readConnectome().w0
    expect(store.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({
      v: Math.max(...MIGRATIONS.map((m) => m.version))
    })
    expect(store.listRuns().map((r) => r.id)).toEqual(expected.runs.map((r) => r.run.id))
    expect(store.listSweeps()).toHaveLength(1)
    for (const { run: want, metrics, bestGenome } of expected.runs) {
      const run = store.getRun(want.id)
      const { task, model, ...hyper } = want.config
      expect(run).toMatchObject({
        status: want.status,
        algorithm: want.algorithm,
        task: want.task,
        seed: want.seed,
        generation: want.generation,
        evaluations: want.evaluations,
        bestFitness: want.bestFitness,
        sweepId: want.sweepId,
        environment: 'worm',
        genomeLength: 3689,
        config: hyper,
        envSpec: { id: 'worm', connectome: 'gopigo2014', task, model }
      })
      expect(run.bestMetrics?.foodEaten).toBe(want.bestFoodEaten)
      expect(
        store.metrics(run.id).map((m) => ({
          generation: m.generation,
          evaluations: m.evaluations,
          bestFitness: m.bestFitness,
          meanFitness: m.meanFitness,
          worstFitness: m.worstFitness,
          bestFood: m.metrics.foodEaten,
          bestReward: m.metrics.reward,
          bestL0: m.metrics.l0,
          bestL2: m.metrics.l2
        }))
      ).toEqual(metrics)
      const g = store.bestGenome(run.id, w0)
      expect(g.generation).toBe(bestGenome.generation)
      expect(g.weights.length).toBe(bestGenome.length)
      expect(sha(g.weights)).toBe(bestGenome.sha256)
    }
    store.close()
  })

  it('trains a run that was still queued (no genome, no length) when the workspace was upgraded', async () => {
    const path = join(tempDir(), 'queued.db')
    copyFileSync(join(FIXTURE, 'workspace-v2.db'), path)
    const old = new Database(path)
    old
      .prepare(
        `INSERT INTO runs (id, name, algorithm, task, config, seed, connectome, pairs_hash, code_version, status, budget, created_at, updated_at)
         VALUES ('rqueued', 'queued run', 'ea', 'square', ?, 1, 'gopigo2014', ?, 'v0', 'queued', ?, 't', 't')`
      )
      .run(
        JSON.stringify({ task: 'square', model: {}, populationSize: 4 }),
        readConnectome().pairsHash,
        JSON.stringify({ generations: 2 })
      )
    old.close()
    const store = Store.open(path)
    expect(store.getRun('rqueued')).toMatchObject({ genomeLength: 0, config: { populationSize: 4 } })
    const pool = new WorkerPool({ size: 1 })
    try {
      await pool.ready()
      const done = await new RunManager(store, pool).start('rqueued')
      expect(done).toMatchObject({ status: 'completed', generation: 2, genomeLength: 3689, task: 'square' })
    } finally {
      await pool.close()
      store.close()
    }
  })

  it('resumes the paused run from its old checkpoint', async () => {
    const store = openCopy()
    const paused = store.listRuns({ status: 'paused' })
    expect(paused).toHaveLength(1)
    const pool = new WorkerPool({ size: 1 })
    try {
      await pool.ready()
      const manager = new RunManager(store, pool)
      const id = paused[0].id
      store.db.prepare('UPDATE runs SET budget = ? WHERE id = ?').run(JSON.stringify({ generations: 22 }), id)
      const before = store.getRun(id)
      const done = await manager.start(id)
      expect(done.status).toBe('completed')
      expect(done.generation).toBe(22)
      // cfNOMAD's incumbent only improves.
      expect(done.bestFitness!).toBeGreaterThanOrEqual(before.bestFitness!)
      expect(store.metrics(id).map((m) => m.generation)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1))
    } finally {
      await pool.close()
      store.close()
    }
  })
})
