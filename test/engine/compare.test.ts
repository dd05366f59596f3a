/**
 * The comparison builder over a real workspace: a real sweep (ea and es × 3 seeds, tiny budgets) trained
 * by the RunManager on a real worker pool into a real SQLite file; then alignment, groups, statistics
 * and the config diff checked against the stored generations and core's statistics.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mannWhitneyU, summarize } from '../../src/core/analysis/stats'
import { alignStep, buildComparison, compareRuns, makeGrid } from '../../src/engine/analysis/compare'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { createSweep, runSweep } from '../../src/engine/runs/sweeps'
import { Store } from '../../src/engine/store/store'
import { runsCompareRequestSchema, runsCompareResponseSchema } from '../../src/shared/api-compare'
import { tempDir } from '../helpers/cli'

let pool: WorkerPool
let store: Store
let sweepId: string
const defaults = { groupBy: 'algorithm', metric: 'bestFitness', x: 'evaluations' as const, points: 1000 }

beforeAll(async () => {
  pool = new WorkerPool({ size: 1 })
  await pool.ready()
  store = Store.open(join(tempDir(), 'compare.db'))
  const manager = new RunManager(store, pool)
  const sweep = createSweep(store, {
    algorithms: ['ea', 'es'],
    tasks: ['pentagon'],
    seeds: [1, 2, 3],
    budget: { generations: 3 },
    config: { ea: { populationSize: 6 }, es: { populationSize: 6 } }
  })
  sweepId = sweep.id
  const t0 = performance.now()
  await runSweep(manager, sweep.runs)
  console.log(`sweep of 6 runs trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
})
afterAll(async () => {
  await pool.close()
  store.close()
})

describe('the step alignment', () => {
  it('takes the last value at or before each grid point, nothing before the first', () => {
    expect(alignStep([10, 20, 30], [1, 2, 3], [5, 10, 15, 20, 29, 30, 40])).toEqual([null, 1, 1, 2, 2, 3, 3])
  })
  it('uses every x value when there are few, else an even grid over the range', () => {
    expect(
      makeGrid(
        [
          [3, 1],
          [2, 3]
        ],
        10
      )
    ).toEqual([1, 2, 3])
    const g = makeGrid([Array.from({ length: 50 }, (_, i) => i * 2)], 11)
    expect(g).toHaveLength(11)
    expect(g[0]).toBe(0)
    expect(g[10]).toBe(98)
  })
})

describe('a real sweep compared', () => {
  it('groups by algorithm with bands that match the stored generations', () => {
    const c = runsCompareResponseSchema.parse(buildComparison(store, { sweepId, ...defaults }))
    expect(c.groups.map((g) => g.key).sort()).toEqual(['ea', 'es'])
    for (const g of c.groups) {
      expect(g.runIds).toHaveLength(3)
      const curves = g.runIds.map((id) => store.metrics(id))
      // the final values are each run's last stored best fitness
      expect(g.finals.map((f) => f.value)).toEqual(curves.map((ms) => ms[ms.length - 1].bestFitness))
      expect(g.summary).toEqual(summarize(g.finals.map((f) => f.value)))
      // at each grid point: mean/min/max of every run's last value at or before it
      for (let i = 0; i < c.grid.length; i++) {
        const here = curves
          .map((ms) => ms.filter((m) => m.evaluations <= c.grid[i]).pop()?.bestFitness)
          .filter((v): v is number => v !== undefined)
        expect(g.n[i]).toBe(here.length)
        if (here.length === 0) continue
        expect(g.mean[i]).toBeCloseTo(here.reduce((a, b) => a + b, 0) / here.length, 9)
        expect(g.min[i]).toBe(Math.min(...here))
        expect(g.max[i]).toBe(Math.max(...here))
        if (here.length > 1) expect(g.std[i]).toBeCloseTo(summarize(here).std!, 9)
      }
    }
    expect(c.tests).toHaveLength(1)
    const [a, b] = [
      c.groups.find((g) => g.key === c.tests[0].a)!,
      c.groups.find((g) => g.key === c.tests[0].b)!
    ]
    expect(c.tests[0]).toMatchObject(
      mannWhitneyU(
        a.finals.map((f) => f.value),
        b.finals.map((f) => f.value)
      )
    )
    const diffKeys = c.configDiff.map((d) => d.key)
    expect(diffKeys).toContain('algorithm')
    expect(diffKeys).toContain('seed')
    expect(diffKeys).not.toContain('task')
    expect(diffKeys).not.toContain('budget.generations')
    for (const d of c.configDiff) expect(new Set(Object.values(d.values)).size).toBeGreaterThan(1)
    expect(c.metrics).toEqual(expect.arrayContaining(['bestFitness', 'meanFitness', 'foodEaten', 'l0', 'l2']))
    expect(c.groupKeys.slice(0, 4)).toEqual(['algorithm', 'task', 'environment', 'seed'])
  })

  it('groups by any key, on any metric and x axis', () => {
    const ids = store.listRuns({ sweepId }).map((r) => r.id)
    const bySeed = buildComparison(store, {
      ids,
      ...defaults,
      groupBy: 'seed',
      metric: 'foodEaten',
      x: 'wall'
    })
    expect(bySeed.groups.map((g) => g.key).sort()).toEqual(['1', '2', '3'])
    expect(bySeed.tests).toHaveLength(3)
    const walls = ids.flatMap((id) => store.metrics(id).map((m) => m.wallSeconds))
    expect(bySeed.grid[0]).toBe(Math.min(...walls))
    expect(bySeed.grid[bySeed.grid.length - 1]).toBe(Math.max(...walls))
    const byGen = buildComparison(store, {
      ids: ids.map((id) => id.slice(0, 8)),
      ...defaults,
      x: 'generation'
    })
    expect(byGen.grid).toEqual([1, 2, 3])
    // a hyperparameter only es has: ea runs fall in "(none)"
    const bySigma = buildComparison(store, { ids, ...defaults, groupBy: 'sigma' })
    expect(bySigma.groups.map((g) => g.key)).toContain('(none)')
  })

  it('refuses bad requests with the field and the rule, writing nothing', () => {
    const ids = store.listRuns({ sweepId }).map((r) => r.id)
    expect(() => buildComparison(store, { ids, ...defaults, groupBy: 'colour' })).toThrow(
      /groupBy: 'colour' is not a key of these runs/
    )
    expect(() => buildComparison(store, { ids, ...defaults, metric: 'speed' })).toThrow(
      /metric: 'speed' is not recorded by every run/
    )
    expect(() => buildComparison(store, { sweepId: 'snope', ...defaults })).toThrow(
      /sweepId: no runs in sweep/
    )
    expect(() => buildComparison(store, { ids: ['rzzzzzz'], ...defaults })).toThrow()
    const bad = runsCompareRequestSchema.safeParse({})
    expect(bad.success).toBe(false)
    expect(bad.error!.issues[0]).toMatchObject({ path: ['ids'], message: 'give run ids or a sweep id' })
    expect(runsCompareRequestSchema.safeParse({ ids: ['abc'], x: 'time' }).success).toBe(false)
    expect(() => compareRuns([], defaults)).toThrow(/no runs to compare/)
  })
})
