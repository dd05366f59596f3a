/**
 * `runs:export-genome` over the real backend (a real SQLite workspace, a run trained by a real worker
 * pool): the JSON, CSV and .npy files hold exactly the stored genome, and bad requests are refused.
 */
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { genomeFromCsv, genomeFromJson } from '../../src/core/connectome/genome'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { loadEnvironment } from '../../src/engine/environments'
import { decodeNpy } from '../../src/engine/formats/npy'
import { WorkerPool } from '../../src/engine/pool/pool'
import { readConnectome } from '../../src/engine/resources'
import { RunManager } from '../../src/engine/runs/manager'
import { Store } from '../../src/engine/store/store'
import type { RunGenomeExportResponse } from '../../src/shared/api'
import { tempDir } from '../helpers/cli'

const dir = tempDir('genome-export-')
const dbPath = join(dir, 'workspace.db')
const c = readConnectome()
let runId = ''
let stored: { generation: number; weights: Float64Array }[] = []
let backend: LabBackend

beforeAll(async () => {
  const store = Store.open(dbPath, { create: true })
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const run = manager.create({
      algorithm: 'ea',
      seed: 5,
      config: { populationSize: 6 },
      budget: { generations: 3 }
    })
    await manager.start(run.id)
    runId = run.id
    const prior = loadEnvironment(store.getRun(run.id).envSpec).prior
    stored = [1, 3].map((g) => store.bestGenome(run.id, prior, g))
  } finally {
    await pool.close()
    store.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
})

afterAll(async () => {
  await backend?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function exportGenome(payload: unknown): Promise<RunGenomeExportResponse> {
  const env = await backend.handle('runs:export-genome', payload)
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`)
  return env.result as RunGenomeExportResponse
}
const bytesOf = (r: RunGenomeExportResponse): Buffer => Buffer.from(r.bytes, 'base64')

describe('runs:export-genome', () => {
  it('the trained genome differs from W0 (so equality below means something)', () => {
    const last = stored[1].weights
    expect(last.length).toBe(c.w0.length)
    expect(last.some((w, k) => w !== c.w0[k])).toBe(true)
  })

  it('writes the same numbers as the stored genome in JSON, CSV and .npy', async () => {
    const latest = stored[1]
    const started = performance.now()
    const files = await Promise.all(
      (['json', 'csv', 'npy'] as const).map((format) => exportGenome({ id: runId, format }))
    )
    console.log(`export-genome: 3 formats in ${(performance.now() - started).toFixed(1)} ms`)
    const [json, csv, npy] = files
    for (const f of files) {
      expect(f.runId).toBe(runId)
      expect(f.generation).toBe(latest.generation)
      expect(f.size).toBe(bytesOf(f).length)
      expect(f.fileName).toMatch(new RegExp(`-gen${latest.generation}\\.${f.format}$`))
    }
    expect(json.mime).toBe('application/json')
    expect(csv.mime).toBe('text/csv')
    const fromJson = genomeFromJson(c, JSON.parse(bytesOf(json).toString('utf8')))
    const fromCsv = genomeFromCsv(c, bytesOf(csv).toString('utf8'))
    const fromNpy = decodeNpy(bytesOf(npy))
    for (const got of [fromJson, fromCsv, fromNpy])
      expect(Array.from(got)).toEqual(Array.from(latest.weights))
    expect(JSON.parse(bytesOf(json).toString('utf8')).meta).toMatchObject({ run: runId, generation: 3 })
  })

  it('exports an earlier generation on request', async () => {
    const first = await exportGenome({ id: runId, generation: 1, format: 'npy' })
    expect(first.generation).toBe(stored[0].generation)
    expect(Array.from(decodeNpy(bytesOf(first)))).toEqual(Array.from(stored[0].weights))
  })

  it('is read back exactly by numpy.load when Python with NumPy is present', async () => {
    const npy = await exportGenome({ id: runId, format: 'npy' })
    const path = join(dir, npy.fileName)
    writeFileSync(path, bytesOf(npy))
    const expected = join(dir, 'expected.json')
    writeFileSync(expected, JSON.stringify(Array.from(stored[1].weights)))
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys,numpy; a=numpy.load(sys.argv[1]); e=numpy.array(json.load(open(sys.argv[2])));' +
          'print(a.dtype, a.shape, bool(numpy.array_equal(a, e)))',
        path,
        expected
      ],
      { encoding: 'utf8' }
    )
    if (py.status !== 0) return console.log('numpy.load: skipped (no python3 with numpy)')
    expect(py.stdout.trim()).toBe(`float64 (${c.w0.length},) True`)
  })

  it('refuses bad requests, naming the field', async () => {
    const bad = await backend.handle('runs:export-genome', { id: runId, format: 'xls' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    if (!bad.ok) expect(bad.error.message).toMatch(/format: expected json, csv or npy/)
    const noGen = await backend.handle('runs:export-genome', { id: runId, format: 'npy', generation: 0 })
    expect(noGen).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    if (!noGen.ok) expect(noGen.error.issues?.[0].path).toBe('generation')
    const extra = await backend.handle('runs:export-genome', {
      id: runId,
      format: 'npy',
      path: '/etc/passwd'
    })
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    const missing = await backend.handle('runs:export-genome', { id: 'rnope1234', format: 'json' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'unknown-run' } })
    const future = await backend.handle('runs:export-genome', { id: runId, format: 'json', generation: 99 })
    expect(future.ok).toBe(false)
    if (!future.ok) expect(future.error.code).not.toBe('internal')
  })
})
