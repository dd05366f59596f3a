/**
 * runs:replay with a `task`: any stored genome of a run evaluated on another food layout (a polygon or a
 * held-out random:SEED) with the run's model constants, checked against an in-process rollout.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileNetwork } from '../../src/core/model/network'
import { WormSimulator } from '../../src/core/model/rollout'
import { taskByName } from '../../src/core/tasks/tasks'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { WorkerPool } from '../../src/engine/pool/pool'
import { readConnectome } from '../../src/engine/resources'
import { RunManager } from '../../src/engine/runs/manager'
import { Store } from '../../src/engine/store/store'
import type { ApiEnvelope, RunReplayResponse } from '../../src/shared/api'

const c = readConnectome()
const tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-replay-task-'))
const dbPath = join(tmp, 'workspace.db')
let runId = ''
let backend: LabBackend

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

beforeAll(async () => {
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const run = manager.create({
      algorithm: 'ea',
      seed: 3,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    await manager.start(run.id)
    runId = run.id
  } finally {
    await pool.close()
    store.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
})

afterAll(async () => {
  await backend?.close()
  rmSync(tmp, { recursive: true, force: true })
})

/** The stored best genome of `generation` rolled out in process on `task`. */
function expected(generation: number | undefined, task: string) {
  const store = Store.open(dbPath)
  try {
    const g = store.bestGenome(runId, c.w0, generation)
    const r = new WormSimulator(compileNetwork(c)).run(g.weights, taskByName(task), { trace: true })
    return { r, food: Array.from(taskByName(task).food) }
  } finally {
    store.close()
  }
}

describe('runs:replay on another task', () => {
  it('replays the best genome on a held-out random layout, as an in-process rollout does', async () => {
    const own = ok<RunReplayResponse>(await backend.handle('runs:replay', { id: runId }))
    expect(own.task).toBe('pentagon')
    const held = ok<RunReplayResponse>(await backend.handle('runs:replay', { id: runId, task: 'random:42' }))
    expect(held.task).toBe('random:42')
    expect(held.generation).toBe(own.generation)
    const want = expected(undefined, 'random:42')
    expect(held.trace.food).toEqual(want.food)
    expect(held.trace.food).not.toEqual(own.trace.food)
    expect(held.foodEaten).toBe(want.r.foodEaten)
    expect(held.fitness).toBe(want.r.fitness)
    expect(held.trace.x).toEqual(Array.from(want.r.trace!.x))
    // What training recorded stays the run's own (on its own task).
    expect(held.stored).toEqual(own.stored)
  })

  it('takes a generation and a polygon task together', async () => {
    const r = ok<RunReplayResponse>(
      await backend.handle('runs:replay', { id: runId, generation: 1, task: 'hexagon' })
    )
    expect(r.generation).toBe(1)
    expect(r.task).toBe('hexagon')
    const want = expected(1, 'hexagon')
    expect(r.trace.food).toEqual(want.food)
    expect(r.reward).toBe(want.r.reward)
  })

  it('refuses a task that is not one, naming the field', async () => {
    for (const task of ['random:x', 'nonagon', 'random:99999999999', 7]) {
      const e = await backend.handle('runs:replay', { id: runId, task })
      expect(e).toMatchObject({ ok: false, error: { code: 'bad-request' } })
      if (!e.ok) {
        expect(e.error.issues?.[0]?.path).toBe('task')
        expect(e.error.message).toMatch(/task/)
      }
    }
  })
})
