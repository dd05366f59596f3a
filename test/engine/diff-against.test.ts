/**
 * runs:diff against another run: W_A − W_B over the real backend (a real workspace with runs trained
 * by a real worker pool), checked against the stored genomes, and refused with a clear error for a run
 * of another genome layout or an unknown run.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { loadEnvironment } from '../../src/engine/environments'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { Store, type RunRow } from '../../src/engine/store/store'
import type { ApiEnvelope, RunDiffResponse } from '../../src/shared/api'

let tmp = ''
let dbPath = ''
let backend: LabBackend
const runs: Record<'ea' | 'renomad' | 'toy', RunRow> = {} as never
/** The best genomes as the store keeps them. */
const genomes: Record<'ea' | 'renomad', Float64Array> = {} as never

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-diff-against-'))
  dbPath = join(tmp, 'workspace.db')
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const ea = manager.create({
      algorithm: 'ea',
      seed: 4,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    const rn = manager.create({
      algorithm: 'renomad',
      seed: 5,
      config: { populationSize: 4, madsEvaluations: 10, madsCoordinates: 5 },
      budget: { generations: 2 }
    })
    const toy = manager.create({
      algorithm: 'es',
      environment: { id: 'quadratic', dim: 40, seed: 3 },
      seed: 1,
      config: { populationSize: 8 },
      budget: { generations: 1 }
    })
    runs.ea = await manager.start(ea.id)
    runs.renomad = await manager.start(rn.id)
    runs.toy = await manager.start(toy.id)
    const prior = loadEnvironment(runs.ea.envSpec).prior
    genomes.ea = store.bestGenome(ea.id, prior).weights
    genomes.renomad = store.bestGenome(rn.id, prior).weights
  } finally {
    await pool.close()
    store.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
}, 180_000)

afterAll(async () => {
  await backend?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('runs:diff against another run', () => {
  it('returns W_A − W_B for every differing synapse, with w0 and the baseline', async () => {
    const t0 = performance.now()
    const d = ok<RunDiffResponse>(
      await backend.handle('runs:diff', { id: runs.ea.id, against: runs.renomad.id, limit: 10_000 })
    )
    console.log(`runs:diff A vs B: ${d.total} changed synapses in ${(performance.now() - t0).toFixed(0)} ms`)
    const a = genomes.ea
    const b = genomes.renomad
    const expected = Array.from(a.keys()).filter((k) => a[k] !== b[k])
    expect(d.against).toEqual({ runId: runs.renomad.id, generation: 2 })
    expect(d.total).toBe(expected.length)
    expect(d.total).toBeGreaterThan(0)
    expect(d.changes).toHaveLength(expected.length)
    expect(d.increased + d.decreased).toBe(d.total)
    const l2 = Math.sqrt(expected.reduce((s, k) => s + (a[k] - b[k]) ** 2, 0))
    expect(d.l2).toBeCloseTo(l2, 9)
    const w0 = loadEnvironment(runs.ea.envSpec).prior
    for (const c of d.changes) {
      expect(c.w).toBe(a[c.index])
      expect(c.base).toBe(b[c.index])
      expect(c.w0).toBe(w0[c.index])
      expect(c.delta).toBeCloseTo(a[c.index] - b[c.index], 12)
    }
    // Largest |Δ| first.
    for (let i = 1; i < d.changes.length; i++)
      expect(Math.abs(d.changes[i - 1].delta)).toBeGreaterThanOrEqual(Math.abs(d.changes[i].delta))
  })

  it('is antisymmetric: B against A has the same synapses with the opposite Δ', async () => {
    const ab = ok<RunDiffResponse>(
      await backend.handle('runs:diff', { id: runs.ea.id, against: runs.renomad.id, limit: 10_000 })
    )
    const ba = ok<RunDiffResponse>(
      await backend.handle('runs:diff', { id: runs.renomad.id, against: runs.ea.id, limit: 10_000 })
    )
    expect(ba.total).toBe(ab.total)
    expect(ba.increased).toBe(ab.decreased)
    const byIndex = new Map(ab.changes.map((c) => [c.index, c.delta]))
    for (const c of ba.changes) expect(c.delta).toBeCloseTo(-byIndex.get(c.index)!, 12)
  })

  it('keeps the W0 diff as it was without `against`, and against itself nothing changed', async () => {
    const d = ok<RunDiffResponse>(await backend.handle('runs:diff', { id: runs.ea.id, limit: 10_000 }))
    const w0 = loadEnvironment(runs.ea.envSpec).prior
    const a = genomes.ea
    expect(d.total).toBe(Array.from(a.keys()).filter((k) => a[k] !== w0[k]).length)
    expect(d.against ?? null).toBeNull()
    for (const c of d.changes) expect(c.base).toBe(c.w0)
    const self = ok<RunDiffResponse>(
      await backend.handle('runs:diff', { id: runs.ea.id, against: runs.ea.id })
    )
    expect(self).toMatchObject({ total: 0, l2: 0, changes: [] })
  })

  it('diffs against an earlier generation of the other run', async () => {
    const d = ok<RunDiffResponse>(
      await backend.handle('runs:diff', { id: runs.ea.id, against: runs.renomad.id, againstGeneration: 1 })
    )
    expect(d.against).toEqual({ runId: runs.renomad.id, generation: 1 })
  })

  it('refuses another genome layout, an unknown run and a bad generation, naming the field', async () => {
    const toy = await backend.handle('runs:diff', { id: runs.ea.id, against: runs.toy.id })
    expect(toy).toMatchObject({ ok: false, error: { code: 'not-allowed' } })
    if (!toy.ok) expect(toy.error.message).toMatch(/: against: run .* quadratic environment/)
    const missing = await backend.handle('runs:diff', { id: runs.ea.id, against: 'rnope' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'unknown-run' } })
    if (!missing.ok) expect(missing.error.message).toMatch(/: against: unknown run 'rnope'/)
    const gen = await backend.handle('runs:diff', {
      id: runs.ea.id,
      against: runs.renomad.id,
      againstGeneration: 9
    })
    expect(gen.ok).toBe(false)
    if (!gen.ok) expect(gen.error.message).toMatch(/: against: .*no generation 9/)
    const bad = await backend.handle('runs:diff', { id: runs.ea.id, againstGeneration: 0 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    if (!bad.ok) expect(bad.error.issues?.[0]?.path).toBe('againstGeneration')
  })
})
