/**
 * The `runs:report-fig4` channel over the real backend (its dispatcher validates the request and the
 * answer): a temp workspace with tiny worm runs (rENOMAD and the EA × 2 seeds, trained by a real worker
 * pool), whose report must be the engine's reportData and reportTable, with the CSV and Markdown `lab report
 * fig4` writes for the same runs; and bad requests fail with a clear error.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableToCsv, tableToMarkdown } from '../../src/core/analysis/report-table'
import { ALGORITHM_LABELS } from '../../src/core/training/config'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { WorkerPool } from '../../src/engine/pool/pool'
import { reportData } from '../../src/engine/report/data'
import { createMissing, methodArms, planReport, type ReportCell } from '../../src/engine/report/plan'
import { reportTable, writeReport } from '../../src/engine/report/write'
import { RunManager } from '../../src/engine/runs/manager'
import { runSweep } from '../../src/engine/runs/sweeps'
import { Store, type RunRow } from '../../src/engine/store/store'
import type { RunsReportFig4Response } from '../../src/shared/api'
import { tempDir } from '../helpers/cli'
import { TINY_RENOMAD, tinyDesign } from '../helpers/report'

const design = tinyDesign()
const dir = tempDir()
const dbPath = join(dir, 'report.db')
let store: Store
let backend: LabBackend
let cells: ReportCell[] = []
let runs: RunRow[] = []
let toyId = ''
let extraEa = ''

beforeAll(async () => {
  store = Store.open(dbPath, { create: true })
  const pool = new WorkerPool({ size: 2 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const todo = planReport(store, design)
    createMissing(store, todo, design, 'Fig. 4 report (test)')
    await runSweep(
      manager,
      todo.map((c) => c.run!),
      { concurrency: 2 }
    )
    cells = planReport(store, design)
    runs = cells.map((c) => c.run!)
    // A third EA seed at another budget (not the design), and a run of the quadratic toy.
    const ea = manager.create({
      algorithm: 'ea',
      seed: 3,
      config: { populationSize: 4 },
      budget: { generations: 2 }
    })
    await manager.start(ea.id)
    extraEa = ea.id
    const toy = manager.create({
      algorithm: 'es',
      environment: { id: 'quadratic', dim: 5, seed: 1 },
      seed: 1,
      config: { populationSize: 4 },
      budget: { generations: 1 }
    })
    toyId = toy.id
  } finally {
    await pool.close()
  }
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
}, 120_000)

afterAll(async () => {
  await backend?.close()
  store?.close()
})

async function report(payload: unknown): Promise<RunsReportFig4Response> {
  const r = await backend.handle('runs:report-fig4', payload)
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.result as RunsReportFig4Response
}

describe('runs:report-fig4', () => {
  it('answers reportData and reportTable of the runs, with the CLI’s CSV and Markdown byte for byte', async () => {
    expect(runs.every((r) => r.status === 'completed')).toBe(true)
    // Unique prefixes work as in runs:compare, and the order of the ids does not matter.
    const r = await report({ ids: [...runs].reverse().map((x) => x.id.slice(0, 12)) })
    const arms = methodArms(['renomad', 'menomad', 'cfnomad', 'es', 'ea', 'renomad-random'], {})
    const data = reportData(
      store,
      runs.map((run) => ({ arm: run.algorithm, run })),
      arms.map((a) => a.key)
    )
    const table = reportTable(data, { arms })
    expect(r.methods).toEqual(['renomad', 'ea'])
    expect(r.panels).toEqual(data.panels)
    expect(r.finals).toEqual(data.finals)
    expect(r.runs).toEqual(data.runs)
    expect(r.table).toEqual(table)
    expect(r.csv).toBe(tableToCsv(table))
    expect(r.markdown).toBe(tableToMarkdown(table))
    expect(r.table.claims.find((c) => c.id === 'menomad-l0')?.status).toBe('not run')
    expect(r).toMatchObject({ budget: '30 rollouts', task: 'pentagon', notes: [] })

    const out = join(dir, 'cli-report')
    writeReport(store, 'fig4', cells, design, out, { command: 'test', missing: 0, title: 'Fig. 4' })
    expect(readFileSync(join(out, 'stats.csv'), 'utf8')).toBe(r.csv)
    expect(readFileSync(join(out, 'stats.md'), 'utf8')).toBe(r.markdown)
  })

  it('says when the runs are not an equal-budget design and a method has fewer seeds', async () => {
    const r = await report({ ids: [...runs.map((x) => x.id), extraEa] })
    expect(r.runs.ea.map((x) => x.seed)).toEqual([1, 2, 3])
    expect(r.budget).toBeNull()
    expect(r.notes).toEqual([
      'Not an equal-budget design: the budgets differ (30 rollouts; 2 generations).',
      `Unequal seeds: ${ALGORITHM_LABELS.renomad} 2, ${ALGORITHM_LABELS.ea} 3.`
    ])
  })

  it('refuses a run that is not a worm run, naming it, and unknown ids', async () => {
    const toy = await backend.handle('runs:report-fig4', { ids: [runs[0].id, toyId] })
    expect(toy.ok).toBe(false)
    if (!toy.ok) {
      expect(toy.error.code).toBe('invalid-config')
      expect(toy.error.message).toContain(`run ${toyId}`)
      expect(toy.error.message).toMatch(/quadratic run; the paper's Fig. 4 takes worm runs only/)
    }
    const unknown = await backend.handle('runs:report-fig4', { ids: ['nosuchrun'] })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-run' } })
    if (!unknown.ok) expect(unknown.error.message).toContain('nosuchrun')
    for (const payload of [{ ids: [] }, { ids: ['../x'] }, {}, { ids: [runs[0].id], sweepId: 's' }]) {
      const bad = await backend.handle('runs:report-fig4', payload)
      expect(bad, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    }
  })

  it('leaves out runs with no generation yet, and says so', async () => {
    const queued = new RunManager(store, null).create({
      algorithm: 'renomad',
      seed: 9,
      config: TINY_RENOMAD,
      budget: { evaluations: 30 }
    })
    const r = await report({ ids: [...runs.map((x) => x.id), queued.id] })
    expect(r.runs.renomad).toHaveLength(2)
    expect(r.notes).toEqual([`Left out 1 run(s) with no generation yet: ${queued.id}.`])
  })
})
