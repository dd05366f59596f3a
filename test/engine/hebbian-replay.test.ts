/**
 * Replays of Hebbian runs through the backend (issue 11 item 6): `runs:quadruped-replay` of a tiny quadruped
 * run (its poses checked against an in-process rollout, every morphology, the unseen one included) and
 * `runs:replay` of a worm-hebbian run with the weights over the lifetime.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type QuadrupedEnvironment } from '../../src/core/env/quadruped/env'
import { type WormHebbianEnvironment } from '../../src/core/env/worm-hebbian'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { summariseWeights } from '../../src/engine/api/weight-trace'
import { prepareEnvironment } from '../../src/engine/environments'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { Store, type RunRow } from '../../src/engine/store/store'
import type { ApiEnvelope, QuadrupedReplayResponse, RunReplayResponse } from '../../src/shared/api'

const tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-hebbian-replay-'))
const dbPath = join(tmp, 'workspace.db')
let quad: RunRow
let hebb: RunRow
let worm: RunRow
let backend: LabBackend

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

const decode = (b64: string): Float32Array => {
  const b = Buffer.from(b64, 'base64')
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)
}

beforeAll(async () => {
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const es = { algorithm: 'hebbian-es' as const, seed: 2, config: { populationSize: 4 } }
    const q = manager.create({
      ...es,
      environment: { id: 'quadruped', steps: 60 },
      budget: { generations: 1 }
    })
    const h = manager.create({ ...es, environment: { id: 'worm-hebbian' }, budget: { generations: 1 } })
    const w = manager.create({
      algorithm: 'ea',
      seed: 1,
      config: { populationSize: 4 },
      budget: { generations: 1 }
    })
    quad = await manager.start(q.id)
    hebb = await manager.start(h.id)
    worm = await manager.start(w.id)
  } finally {
    await pool.close()
    store.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
}, 120_000)

afterAll(async () => {
  await backend?.close()
  rmSync(tmp, { recursive: true, force: true })
})

function stored(row: RunRow) {
  const store = Store.open(dbPath)
  try {
    const env = { prior: new Float64Array(row.genomeLength) }
    return { genome: store.bestGenome(row.id, env.prior), metrics: store.metrics(row.id).at(-1)! }
  } finally {
    store.close()
  }
}

describe('runs:quadruped-replay', () => {
  it("replays the stored genome on the run's first morphology, poses identical to an in-process rollout", async () => {
    const r = ok<QuadrupedReplayResponse>(await backend.handle('runs:quadruped-replay', { runId: quad.id }))
    expect(r).toMatchObject({
      runId: quad.id,
      generation: 1,
      morphology: 'intact',
      trained: ['intact', 'right']
    })
    const env = (await prepareEnvironment(quad.envSpec)) as QuadrupedEnvironment
    const { genome, metrics } = stored(quad)
    const t = env.rollout(genome.weights, 'intact', 0)
    expect(r.frames).toBe(t.frames)
    expect(r.frames).toBe(1 + r.warmup + r.steps)
    expect(decode(r.poses)).toEqual(t.poses)
    expect(r.distance).toBe(t.distance)
    // The replay is training's own episode 0: its fitness is the one recorded for that body.
    expect(r.fitness).toBeCloseTo(metrics.metrics.fitnessIntact, 9)
    expect(r.progress.reduce((a, b) => a + b, 0)).toBeCloseTo(r.fitness, 3)
    expect(r.capsules).toHaveLength(12)
    expect(r.stride).toBe(7 * 13)
  })

  it('replays the seen and the unseen damaged bodies, and other episodes', async () => {
    const { metrics } = stored(quad)
    const at = (req: object) =>
      backend.handle('runs:quadruped-replay', { runId: quad.id, ...req }).then(ok<QuadrupedReplayResponse>)
    const intact = await at({})
    const right = await at({ morphology: 'right' })
    const left = await at({ morphology: 'left' })
    expect(right.fitness).toBeCloseTo(metrics.metrics.fitnessRight, 9)
    expect(left.morphology).toBe('left')
    // The damaged front foot is shorter than the intact one (its capsule, pose order).
    const foot = (r: QuadrupedReplayResponse, name: string) => r.capsules.find((c) => c.name === name)!
    const shortened = left.capsules.filter((c, k) => c.halfLength < intact.capsules[k].halfLength)
    expect(shortened).toHaveLength(1)
    expect(foot(right, shortened[0].name).halfLength).toBe(foot(intact, shortened[0].name).halfLength)
    expect(left.poses).not.toBe(intact.poses)
    const other = await at({ episode: 3 })
    expect(other.episode).toBe(3)
    expect(other.poses).not.toBe(intact.poses)
  })

  it('refuses runs of other environments, and bad requests before they run', async () => {
    const e = await backend.handle('runs:quadruped-replay', { runId: worm.id })
    expect(e).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    const bad = await backend.handle('runs:quadruped-replay', { runId: quad.id, morphology: 'front' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })
})

describe('runs:replay of a worm-hebbian run', () => {
  it('replays the lifetime deterministically, with the weights over it', async () => {
    const r = ok<RunReplayResponse>(await backend.handle('runs:replay', { id: hebb.id }))
    const { metrics } = stored(hebb)
    expect(r.foodEaten).toBe(metrics.metrics.foodEaten)
    expect(r.fitness).toBe(metrics.bestFitness)
    const w = r.weights!
    expect(w.steps).toEqual(Array.from({ length: 51 }, (_, f) => 5 * f))
    expect(w.meanAbsChange[0]).toBe(0)
    // The last frame's mean change is the run's weightChange metric (float32 frames vs float64 weights).
    expect(w.meanAbsChange.at(-1)!).toBeCloseTo(metrics.metrics.weightChange, 4)
    expect(w.top.length).toBeGreaterThan(0)
    const span = (t: { w: number[] }) => Math.max(...t.w.map((x) => Math.abs(x - t.w[0])))
    for (let k = 1; k < w.top.length; k++) expect(span(w.top[k - 1])).toBeGreaterThanOrEqual(span(w.top[k]))
    // The same summary as the environment's own traced rollout.
    const env = (await prepareEnvironment(hebb.envSpec)) as WormHebbianEnvironment
    const own = summariseWeights(env.rollout(stored(hebb).genome.weights).weights, env.connectome)
    expect(w.top.map((t) => t.index)).toEqual(own.top.map((t) => t.index))
    expect(w.top[0]).toMatchObject({
      pre: env.connectome.pre[w.top[0].index],
      post: env.connectome.post[w.top[0].index]
    })
  })

  it('replays it on a held-out layout, and the static worm without weights', async () => {
    const held = ok<RunReplayResponse>(
      await backend.handle('runs:replay', { id: hebb.id, task: 'random:42' })
    )
    expect(held.task).toBe('random:42')
    expect(held.trace.food).not.toEqual(
      ok<RunReplayResponse>(await backend.handle('runs:replay', { id: hebb.id })).trace.food
    )
    expect(held.weights?.steps).toHaveLength(51)
    const plain = ok<RunReplayResponse>(await backend.handle('runs:replay', { id: worm.id }))
    expect(plain.weights).toBeUndefined()
  })

  it('has no connectome diff (its genome is coefficients, not weights)', async () => {
    const e = await backend.handle('runs:diff', { id: hebb.id })
    expect(e).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })
})
