/**
 * The analyses of stored runs end to end: tiny quadruped runs (Hebbian and static, 60 steps, one generation
 * of 4) trained by a real pool; `lab analyse` stores the result and writes its files; the `runs:analyse`
 * channel validates, runs on the backend's pool and stores, `runs:analyses` lists; rows go with their run;
 * a worm run, an unknown run and bad parameters are refused with nothing written.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { insertAnalysis, listAnalyses } from '../../src/engine/store/analyses'
import { Store } from '../../src/engine/store/store'
import type { AnalysisResult } from '../../src/shared/api'
import { lab, tempDir } from '../helpers/cli'

const dir = tempDir()
const db = join(dir, 'analyses.db')
let hebbian = ''
let statics = ''
let worm = ''
let backend: LabBackend

beforeAll(async () => {
  const store = Store.open(db, { create: true })
  const pool = new WorkerPool({ size: 2 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const quad = (controller: object) =>
      manager.create({
        algorithm: 'hebbian-es',
        environment: { id: 'quadruped', steps: 60, controller },
        seed: 1,
        config: { populationSize: 4 },
        budget: { generations: 1 }
      })
    const h = quad({ kind: 'hebbian', rule: 'ABCD_lr', init: 'uniform' })
    const s = manager.create({
      algorithm: 'es',
      environment: { id: 'quadruped', steps: 60, controller: { kind: 'static' } },
      seed: 1,
      config: { populationSize: 4 },
      budget: { generations: 1 }
    })
    const w = manager.create({
      algorithm: 'ea',
      seed: 1,
      config: { populationSize: 4 },
      budget: { generations: 1 }
    })
    for (const r of [h, s, w]) await manager.start(r.id)
    ;[hebbian, statics, worm] = [h.id, s.id, w.id]
  } finally {
    await pool.close()
    store.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath: db, workers: 1 })
}, 300_000)

afterAll(async () => {
  await backend?.close()
})

const stored = (runId: string) => {
  const store = Store.open(db, { create: false })
  try {
    return listAnalyses(store, runId)
  } finally {
    store.close()
  }
}

describe('lab analyse', () => {
  it('stores the result and writes the PNG, SVG, CSV and JSON', () => {
    const out = join(dir, 'freeze')
    const r = lab([
      'analyse',
      hebbian.slice(0, 8),
      'freeze',
      '--episodes',
      '2',
      '--params',
      '{"freezeAt":[0,30]}',
      '--out',
      out,
      '--db',
      db,
      '--workers',
      '2'
    ])
    expect(r.stderr).not.toMatch(/error/)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Freeze the Hebbian updates at step t/)
    const rows = stored(hebbian)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      kind: 'freeze',
      runId: hebbian,
      params: { episodes: 2, freezeAt: [0, 30, 60] }
    })
    expect(r.stdout).toContain(rows[0].id)
    expect(readFileSync(join(out, 'freeze.png')).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    )
    expect(readFileSync(join(out, 'freeze.svg'), 'utf8')).toMatch(/^<svg/)
    const csv = readFileSync(join(out, 'freeze.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('series,x,y,lo,hi')
    expect(csv.slice(1).map((l) => l.split(',')[1])).toEqual(['0', '30', '60'])
    const json = JSON.parse(readFileSync(join(out, 'freeze.json'), 'utf8')) as AnalysisResult
    expect(json.series[0].y).toEqual(rows[0].series[0].y)
  }, 180_000)

  it('refuses a worm run, an unknown run and a static run for pca, writing nothing', () => {
    const out = join(dir, 'refused')
    const wormRun = lab(['analyse', worm, 'damage-table', '--out', out, '--db', db])
    expect(wormRun.code).toBe(1)
    expect(wormRun.stderr).toMatch(/trains the worm environment; the Hebbian analyses take quadruped runs/)
    const unknown = lab(['analyse', 'rnosuchrun', 'freeze', '--db', db])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/unknown run 'rnosuchrun'/)
    const pca = lab(['analyse', statics, 'pca', '--db', db])
    expect(pca.stderr).toMatch(/pca: needs a Hebbian run/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
    expect(stored(worm)).toEqual([])
    expect(stored(statics)).toEqual([])
  }, 120_000)
})

describe('runs:analyse and runs:analyses', () => {
  it('validates, runs the damage table against the static run, stores and lists it', async () => {
    const r = await backend.handle('runs:analyse', {
      runId: hebbian,
      kind: 'damage-table',
      params: { episodes: 2, morphologies: ['intact', 'left'] },
      against: statics
    })
    if (!r.ok) throw new Error(r.error.message)
    const result = r.result as AnalysisResult
    expect(result.table!.rows.map((x) => [x[0], x[1], x[2]])).toEqual([
      ['no damage', 'seen', 'Hebbian (ABCD_lr)'],
      ['no damage', 'seen', 'static'],
      ['left front leg', 'unseen', 'Hebbian (ABCD_lr)'],
      ['left front leg', 'unseen', 'static']
    ])
    expect(result.params).toMatchObject({ against: statics, episodes: 2, solvedAt: 100 })
    const list = await backend.handle('runs:analyses', { runId: hebbian })
    if (!list.ok) throw new Error(list.error.message)
    const ids = (list.result as AnalysisResult[]).map((a) => a.id)
    expect(ids[0]).toBe(result.id) // newest first
    expect(ids).toHaveLength(2)
  }, 180_000)

  it('refuses bad requests before anything runs', async () => {
    const before = stored(hebbian).length
    const bad = await backend.handle('runs:analyse', {
      runId: hebbian,
      kind: 'freeze',
      params: { episodes: 0 }
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    const kind = await backend.handle('runs:analyse', { runId: hebbian, kind: 'wobble' })
    expect(kind).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    const worms = await backend.handle('runs:analyse', { runId: worm, kind: 'freeze' })
    expect(worms).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    const late = await backend.handle('runs:analyse', { runId: hebbian, kind: 'prune', params: { at: 60 } })
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid-config' } })
    expect((late as { error: { message: string } }).error.message).toMatch(
      /at 60 is not within the run's 60 steps/
    )
    expect(stored(hebbian)).toHaveLength(before)
  })
})

describe('the analyses table', () => {
  it('is added to an older workspace, and its rows go with their run (the compared run: set to NULL)', () => {
    const path = join(tempDir(), 'v2.db')
    copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'workspace-v2.db'), path)
    const store = Store.open(path)
    try {
      const [a, b] = store.listRuns()
      const out = {
        kind: 'freeze' as const,
        title: 't',
        params: { episodes: 1 },
        xLabel: 'x',
        yLabel: 'y',
        series: [{ name: 's', x: [0], y: [1] }]
      }
      const row = insertAnalysis(store, a.id, out, b.id)
      expect(listAnalyses(store, a.id)).toEqual([row])
      const against = () => store.db.prepare('SELECT against_id AS x FROM analyses WHERE id = ?').get(row.id)
      expect(against()).toEqual({ x: b.id })
      store.deleteRun(b.id)
      expect(against()).toEqual({ x: null })
      store.deleteRun(a.id)
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM analyses').get()).toEqual({ n: 0 })
      expect(() => insertAnalysis(store, 'rnosuchrun', out)).toThrow(/unknown run 'rnosuchrun'/)
    } finally {
      store.close()
    }
  })
})
