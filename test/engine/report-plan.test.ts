/** The Fig. 4 report's cells: which stored run is which (method, seed), and what is left to train. */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/engine/pool/pool'
import { reportData } from '../../src/engine/report/data'
import {
  canonicalJson,
  createMissing,
  methodArms,
  planReport,
  planSummary
} from '../../src/engine/report/plan'
import { RunManager } from '../../src/engine/runs/manager'
import { runSweep } from '../../src/engine/runs/sweeps'
import { Store } from '../../src/engine/store/store'
import { tempDir } from '../helpers/cli'
import { tinyDesign } from '../helpers/report'

const design = tinyDesign()
const withEa = tinyDesign
let pool: WorkerPool
let store: Store
let manager: RunManager

beforeAll(async () => {
  pool = new WorkerPool({ size: 2 })
  await pool.ready()
  store = Store.open(join(tempDir(), 'report.db'))
  manager = new RunManager(store, pool)
})
afterAll(async () => {
  await pool.close()
  store.close()
})

describe('the Fig. 4 report plan', () => {
  it('sorts keys in canonical JSON, so key order never splits a cell', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}')
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
  })

  it('creates every cell of an empty workspace, seed by seed, under one sweep', () => {
    const cells = planReport(store, design)
    expect(cells.map((c) => `${c.algorithm}:${c.seed}:${c.action}`)).toEqual([
      'renomad:1:create',
      'ea:1:create',
      'renomad:2:create',
      'ea:2:create'
    ])
    const runs = createMissing(store, cells, design, 'test')
    expect(new Set(runs.map((r) => r.sweepId)).size).toBe(1)
    expect(cells.every((c) => c.action === 'resume' && c.run)).toBe(true)
    expect(planSummary(planReport(store, design))).toBe('0 of 4 runs done, 4 to continue')
  })

  it('adopts completed runs, continues an unfinished one, ignores cancelled and different ones', async () => {
    const cells = planReport(store, design)
    await runSweep(
      manager,
      cells.slice(0, 3).map((c) => c.run!),
      { concurrency: 2 }
    )
    // The fourth is left queued (as after Ctrl-C); a cancelled twin and runs with another config or
    // budget are not it.
    const last = cells[3].run!
    const twin = manager.create({
      algorithm: 'ea',
      seed: 2,
      config: { populationSize: 4 },
      budget: { evaluations: 30 }
    })
    await manager.cancel(twin.id)
    manager.create({ algorithm: 'ea', seed: 2, config: { populationSize: 6 }, budget: { evaluations: 30 } })
    manager.create({ algorithm: 'ea', seed: 2, config: { populationSize: 4 }, budget: { evaluations: 31 } })
    const again = planReport(store, design)
    expect(again.map((c) => c.action)).toEqual(['done', 'done', 'done', 'resume'])
    expect(again[3].run!.id).toBe(last.id)
    expect(planSummary(again)).toBe('3 of 4 runs done, 1 to continue')
    await runSweep(manager, [again[3].run!])
    const done = planReport(store, design)
    expect(done.every((c) => c.action === 'done')).toBe(true)
    // A run's total rollouts never pass the budget.
    for (const c of done) expect(c.run!.evaluations).toBeLessThanOrEqual(30)
  })

  it('a config override equal to the default is the same cell; a different one is not', () => {
    const same = planReport(store, withEa({ populationSize: 4, mutationCount: 5 }))
    expect(same.every((c) => c.action === 'done')).toBe(true)
    const other = planReport(store, withEa({ populationSize: 4, crossover: 'uniform' }))
    expect(other.filter((c) => c.algorithm === 'ea').map((c) => c.action)).toEqual(['create', 'create'])
  })

  it('refuses a bad design before writing anything', () => {
    const before = store.listRuns().length
    expect(() => planReport(store, withEa({ populationSize: 1 }))).toThrow(/populationSize/)
    expect(() => planReport(store, { ...design, arms: [] })).toThrow(/at least one method/)
    expect(() => methodArms(['ea'], { es: {} })).toThrow(/not one of the methods/)
    // Two arms that are the same experiment would share their runs: refused.
    const twin = { ...design.arms[1], key: 'ea2' }
    expect(() => planReport(store, { ...design, arms: [...design.arms, twin] })).toThrow(/same experiment/)
    expect(store.listRuns().length).toBe(before)
  })

  it('a study’s arms are variants of one method, each its own cells', () => {
    const arms = [
      { key: 'baseline', label: 'defaults', algorithm: 'ea' as const, config: { populationSize: 4 } },
      {
        key: 'arm1',
        label: 'uniform',
        algorithm: 'ea' as const,
        config: { populationSize: 4, crossover: 'uniform' }
      }
    ]
    const cells = planReport(store, { ...design, arms })
    // The baseline is the EA cells trained above; the variant is new.
    expect(cells.map((c) => `${c.arm}:${c.seed}:${c.action}`)).toEqual([
      'baseline:1:done',
      'arm1:1:create',
      'baseline:2:done',
      'arm1:2:create'
    ])
  })

  it('gives each panel the methods in the asked order and each run’s final values', () => {
    const cells = planReport(store, design).map((c) => ({ arm: c.arm, run: c.run! }))
    const data = reportData(store, cells, ['ea', 'renomad', 'es'])
    expect(data.methods).toEqual(['ea', 'renomad'])
    expect(data.panels.map((p) => `${p.x}:${p.metric}`)).toEqual([
      'evaluations:foodEaten',
      'evaluations:l2',
      'evaluations:l0',
      'wall:foodEaten',
      'wall:l2',
      'wall:l0'
    ])
    for (const p of data.panels) expect(p.groups.map((g) => g.key)).toEqual(['ea', 'renomad'])
    for (const m of data.methods) {
      expect(data.runs[m].map((r) => r.seed)).toEqual([1, 2])
      const ids = data.runs[m].map((r) => r.id)
      expect(data.finals[m].foodEaten).toEqual(ids.map((id) => store.getRun(id).bestMetrics!.foodEaten))
    }
  })
})
