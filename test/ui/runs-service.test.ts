/**
 * The runs:* backend without a browser: a lazily opened workspace and pool, the event stream, error
 * codes, and a shutdown that leaves training runs paused and resumable.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { Store } from '../../src/engine/store/store'
import type { ApiEnvelope, RunEvent, RunSummary } from '../../src/shared/api'

const tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-runs-service-'))
const backends: LabBackend[] = []
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()))
  rmSync(tmp, { recursive: true, force: true })
})

function backend(dbPath: string): LabBackend {
  const b = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
  backends.push(b)
  return b
}

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

/** Resolves with the first event matching `pred`. */
function nextEvent(b: LabBackend, pred: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const off = b.onRunEvent((e) => {
      if (pred(e)) {
        off()
        resolve(e)
      }
    })
  })
}

const statusOf = (id: string, status: string) => (e: RunEvent) =>
  e.type === 'status' && e.run.id === id && e.run.status === status

describe('runs service', () => {
  const dbPath = join(tmp, 'nested', 'folder', 'workspace.db')
  const b = backend(dbPath)

  it('creates the workspace folder on first use, and starts no pool to read it', async () => {
    expect(existsSync(dbPath)).toBe(false)
    const list = ok<{ workspace: string; runs: unknown[]; sweeps: unknown[] }>(
      await b.handle('runs:list', {})
    )
    expect(list).toEqual({ workspace: dbPath, runs: [], sweeps: [] })
    expect(existsSync(dbPath)).toBe(true)
    expect(b.runs.hasPool()).toBe(false)
  })

  it('answers with contract error codes', async () => {
    expect(await b.handle('runs:get', { id: 'rmissing' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run' }
    })
    expect(await b.handle('runs:pause', { id: 'rmissing' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run' }
    })
    const bad = await b.handle('runs:start', {
      algorithm: 'es',
      budget: { generations: 1 },
      config: { populationSize: 5 }
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    if (!bad.ok) expect(bad.error.issues?.[0]?.path).toBe('config')
    expect(b.runs.hasPool()).toBe(false)
  })

  it('trains a run, streaming status and one progress event per generation, each the stored row', async () => {
    const events: RunEvent[] = []
    const off = b.onRunEvent((e) => events.push(e))
    const started = ok<RunSummary>(
      await b.handle('runs:start', {
        algorithm: 'renomad',
        seed: 3,
        config: { populationSize: 4, madsEvaluations: 10, madsCoordinates: 5 },
        budget: { generations: 3 },
        name: 'service test'
      })
    )
    expect(started).toMatchObject({
      name: 'service test',
      status: 'running',
      live: 'here',
      ownerPid: process.pid
    })
    expect(b.runs.hasPool()).toBe(true)
    await nextEvent(b, statusOf(started.id, 'completed'))
    off()
    const mine = events.filter(
      (e) => (e.type === 'status' ? e.run.id : e.type === 'progress' ? e.runId : '') === started.id
    )
    expect(
      mine.map((e) =>
        e.type === 'status' ? e.run.status : `gen ${(e as { generation: number }).generation}`
      )
    ).toEqual(['queued', 'running', 'gen 1', 'gen 2', 'gen 3', 'completed'])
    const done = mine.at(-1) as Extract<RunEvent, { type: 'status' }>
    expect(done.run).toMatchObject({ live: null, stopping: null, generation: 3, fraction: 1 })
    const got = ok<{ metrics: unknown[] }>(await b.handle('runs:get', { id: started.id }))
    // The stored rows add where each generation's best genome is kept (decided when they are written).
    const stored = (got.metrics as { genomeGeneration?: number | null }[]).map(
      ({ genomeGeneration, ...row }) => {
        expect(genomeGeneration === null || typeof genomeGeneration === 'number').toBe(true)
        return row
      }
    )
    expect(mine.flatMap((e) => (e.type === 'progress' ? [e.metric] : []))).toEqual(stored)
    expect(await b.handle('runs:resume', { id: started.id })).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' }
    })
    expect(done.run.actions).toEqual(['delete', 'rename'])
  })

  it('deletes a run while it trains: cancelled after its generation, then deleted', async () => {
    const run = ok<RunSummary>(
      await b.handle('runs:start', {
        algorithm: 'ea',
        config: { populationSize: 6 },
        budget: { generations: 100_000 }
      })
    )
    await nextEvent(b, (e) => e.type === 'progress' && e.runId === run.id)
    const deleted = nextEvent(b, (e) => e.type === 'deleted' && e.runId === run.id)
    expect(ok(await b.handle('runs:delete', { id: run.id }))).toEqual({ id: run.id, pending: true })
    await deleted
    expect(await b.handle('runs:get', { id: run.id })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run' }
    })
  })
})

describe('sweeps and renames from the app', () => {
  const b = backend(join(tmp, 'sweeps.db'))

  it('starts a sweep: every run validated first, written together, trained here one after another', async () => {
    const bad = await b.handle('sweeps:start', {
      algorithms: ['ea', 'es'],
      seeds: [1, 2],
      budget: { generations: 2 },
      config: { ea: { populationSize: 6 }, es: { nonsense: 1 } }
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-config' } })
    expect(ok<{ runs: unknown[] }>(await b.handle('runs:list', {})).runs).toHaveLength(0)
    const stray = await b.handle('sweeps:start', {
      algorithms: ['ea'],
      seeds: [1],
      budget: { generations: 2 },
      config: { es: {} }
    })
    expect(stray).toMatchObject({ ok: false, error: { code: 'bad-request' } })

    const sweep = ok<{ sweepId: string; runs: RunSummary[] }>(
      await b.handle('sweeps:start', {
        algorithms: ['ea', 'es'],
        tasks: ['pentagon', 'square'],
        seeds: [1, 2],
        budget: { generations: 2 },
        config: { ea: { populationSize: 6 }, es: { populationSize: 6 } }
      })
    )
    expect(sweep.runs).toHaveLength(8)
    expect(sweep.runs.map((r) => `${r.task} ${r.seed} ${r.algorithm}`).slice(0, 3)).toEqual([
      'pentagon 1 ea',
      'pentagon 1 es',
      'pentagon 2 ea'
    ])
    const last = sweep.runs.at(-1)!
    await nextEvent(b, statusOf(last.id, 'completed'))
    const list = ok<{ runs: RunSummary[]; sweeps: { id: string; runs: number }[] }>(
      await b.handle('runs:list', { sweepId: sweep.sweepId })
    )
    expect(list.runs.map((r) => r.status)).toEqual(Array(8).fill('completed'))
    expect(list.sweeps).toEqual([expect.objectContaining({ id: sweep.sweepId, runs: 8 })])
  })

  it('renames a run, and refuses an empty name', async () => {
    const [run] = ok<{ runs: RunSummary[] }>(await b.handle('runs:list', {})).runs
    const renamed = ok<RunSummary>(await b.handle('runs:rename', { id: run.id, name: 'baseline' }))
    expect(renamed).toMatchObject({ id: run.id, name: 'baseline' })
    expect(await b.handle('runs:rename', { id: run.id, name: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    expect(await b.handle('runs:rename', { id: 'rnope', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run' }
    })
  })
})

describe('shutdown', () => {
  it('leaves a training run paused at a generation boundary; another backend resumes it to the end', async () => {
    const dbPath = join(tmp, 'shutdown.db')
    const first = backend(dbPath)
    const run = ok<RunSummary>(
      await first.handle('runs:start', {
        algorithm: 'ea',
        seed: 5,
        config: { populationSize: 6 },
        budget: { generations: 40 }
      })
    )
    await nextEvent(first, (e) => e.type === 'progress' && e.runId === run.id && e.generation >= 2)
    await first.close()
    expect(await first.handle('runs:list', {})).toMatchObject({ ok: false, error: { code: 'closed' } })

    const store = Store.open(dbPath)
    const paused = store.getRun(run.id)
    const checkpoint = store.lastCheckpoint(run.id)
    store.close()
    expect(paused.status).toBe('paused')
    expect(paused.generation).toBeGreaterThanOrEqual(2)
    expect(paused.generation).toBeLessThan(40)
    expect(checkpoint?.generation).toBe(paused.generation)

    const second = backend(dbPath)
    const listed = ok<{ runs: RunSummary[] }>(await second.handle('runs:list', {}))
    expect(listed.runs[0]).toMatchObject({ id: run.id, status: 'paused', live: null })
    const completed = nextEvent(second, statusOf(run.id, 'completed'))
    expect(ok<RunSummary>(await second.handle('runs:resume', { id: run.id })).status).toBe('running')
    const end = (await completed) as Extract<RunEvent, { type: 'status' }>
    expect(end.run.generation).toBe(40)
  })
})
