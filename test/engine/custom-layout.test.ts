/**
 * A worm run on a custom food layout (task `custom:NAME` with its points in the environment spec):
 * validated against the arena and the point limit, hashed into the genome layout, trained in the
 * worker pool and replayed on exactly the food it was trained on.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseEnvironmentSpec } from '../../src/core/env/registry'
import { MAX_FOOD_POINTS } from '../../src/core/tasks/tasks'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { loadEnvironment } from '../../src/engine/environments'
import type { ApiEnvelope, RunEvent, RunReplayResponse, RunSummary } from '../../src/shared/api'

const tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-custom-layout-'))
let b: LabBackend | null = null
afterAll(async () => {
  await b?.close()
  rmSync(tmp, { recursive: true, force: true })
})

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

// A ring of food around the arena's centre (the worm's start), so a short run eats some of it.
const ring: [number, number][] = Array.from({ length: 12 }, (_, i) => {
  const a = (2 * Math.PI * i) / 12
  return [Math.round(800 + 140 * Math.cos(a)), Math.round(600 + 140 * Math.sin(a))]
})
const custom = { id: 'worm', task: 'custom:ring', food: ring }

describe('custom food layouts', () => {
  it('are validated: the arena, the point limit, a custom:NAME task with its food', () => {
    expect(() => loadEnvironment({ ...custom, food: [[1700, 10]] })).toThrow(
      /food: point 0 \(1700, 10\) is outside the arena 0\.\.1600 × 0\.\.1200/
    )
    const many = Array.from({ length: MAX_FOOD_POINTS + 1 }, (_, i): [number, number] => [i % 1600, 5])
    expect(() => parseEnvironmentSpec({ ...custom, food: many })).toThrow(/at most 10000 food points/)
    expect(() => parseEnvironmentSpec({ id: 'worm', task: 'custom:ring' })).toThrow(/needs its food points/)
    expect(() => parseEnvironmentSpec({ id: 'worm', task: 'pentagon', food: ring })).toThrow(/custom:NAME/)
    expect(() => parseEnvironmentSpec({ ...custom, food: [] })).toThrow(/at least one point/)
  })

  it('join the layout hash: same food, same hash; other food or none, another', () => {
    const a = loadEnvironment(custom)
    const again = loadEnvironment(JSON.parse(JSON.stringify(custom)))
    const moved = loadEnvironment({ ...custom, food: [[ring[0][0] + 1, ring[0][1]], ...ring.slice(1)] })
    const pentagon = loadEnvironment({ id: 'worm', task: 'pentagon' })
    expect(again.layout.hash).toBe(a.layout.hash)
    expect(moved.layout.hash).not.toBe(a.layout.hash)
    expect(pentagon.layout.hash).not.toBe(a.layout.hash)
    expect(a.layout.length).toBe(pentagon.layout.length)
  })

  it('trains in the pool and replays on exactly that food', async () => {
    b = createLabBackend({ runtime: 'bridge', dbPath: join(tmp, 'workspace.db'), workers: 1 })
    const done = new Promise<void>((resolve) => {
      b!.onRunEvent((e: RunEvent) => {
        if (e.type === 'status' && e.run.status === 'completed') resolve()
      })
    })
    const t0 = performance.now()
    const run = ok<RunSummary>(
      await b.handle('runs:start', {
        algorithm: 'renomad',
        environment: custom,
        seed: 3,
        budget: { generations: 2 },
        config: { populationSize: 4, madsEvaluations: 6, madsCoordinates: 6 }
      })
    )
    expect(run.task).toBe('custom:ring')
    expect(run.layoutHash).toBe(loadEnvironment(custom).layout.hash)
    await done
    console.log(`custom-layout run: 2 generations in ${(performance.now() - t0).toFixed(0)} ms`)
    const detail = ok<{
      run: { envSpec: Record<string, unknown> }
      metrics: { metrics: Record<string, number> }[]
    }>(await b.handle('runs:get', { id: run.id }))
    expect(detail.run.envSpec.food).toEqual(ring)
    const replay = ok<RunReplayResponse>(await b.handle('runs:replay', { id: run.id }))
    expect(replay.task).toBe('custom:ring')
    expect(replay.trace.food).toEqual(ring.flat())
    expect(replay.foodTotal).toBe(ring.length)
    // Deterministic: the replay eats what training recorded for the genome.
    expect(replay.fitness).toBe(replay.stored.fitness)
    expect(replay.foodEaten).toBe(replay.stored.metrics!.foodEaten)
    expect(replay.foodEaten).toBe(detail.metrics.at(-1)!.metrics.foodEaten)
  }, 120_000)

  it('a start request with food outside the arena is refused, naming the point', async () => {
    b ??= createLabBackend({ runtime: 'bridge', dbPath: join(tmp, 'workspace.db'), workers: 1 })
    const r = await b.handle('runs:start', {
      algorithm: 'renomad',
      environment: {
        ...custom,
        food: [
          [10, 10],
          [10, -5]
        ]
      },
      seed: 1,
      budget: { generations: 1 }
    })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/point 1 \(10, -5\) is outside the arena/)
  })
})
