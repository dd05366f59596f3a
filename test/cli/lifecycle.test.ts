import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { processAlive } from '../../src/engine/runs/lifecycle'
import { lab, ROOT, tempDir } from '../helpers/cli'

/** The run lifecycle across processes: two real `lab` processes on one real database file. */
const CONFIG = JSON.stringify({ populationSize: 4, madsEvaluations: 60, madsCoordinates: 8 })
const trainArgs = (db: string) => [
  'train',
  '--algo',
  'renomad',
  '--generations',
  '100000',
  '--config',
  CONFIG,
  '--workers',
  '1',
  '--json',
  '--db',
  db
]

function trainer(db: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...trainArgs(db)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const out = { stdout: '', stderr: '' }
  child.stdout.on('data', (d) => (out.stdout += d))
  child.stderr.on('data', (d) => (out.stderr += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const generations = () => out.stdout.split('\n').filter((l) => l.startsWith('{')).length
  return { child, exited, out, generations }
}

function labAsync(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout })))
}

const runs = (db: string) =>
  JSON.parse(lab(['runs', '--json', '--db', db]).stdout) as Record<string, unknown>[]

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Waits until the trainer has stored a generation and marked its run running; returns the run id. */
async function started(db: string, t: ReturnType<typeof trainer>): Promise<string> {
  await waitFor(() => t.generations() >= 1)
  await waitFor(() => runs(db)[0]?.live === 'elsewhere')
  return runs(db)[0].id as string
}

describe('run lifecycle across processes', () => {
  it('refuses resume and delete of a run another process trains, and cancels it there within a generation', async () => {
    const db = join(tempDir(), 'two.db')
    const t = trainer(db)
    const id = await started(db, t)
    expect(runs(db)[0]).toMatchObject({
      status: 'running',
      live: 'elsewhere',
      actions: ['pause', 'cancel', 'rename']
    })

    const resume = lab(['resume', id, '--db', db])
    expect(resume.code).not.toBe(0)
    expect(resume.stderr).toMatch(/being trained by process \d+/)
    const del = lab(['delete', id, '--db', db])
    expect(del.code).not.toBe(0)
    expect(del.stderr).toMatch(/cancel it first, or delete with --force/)
    expect(runs(db)).toHaveLength(1)

    // Asynchronously, so that the trainer's output keeps being read while `lab cancel` runs.
    const cancel = await labAsync(['cancel', id, '--db', db])
    expect(cancel.code).toBe(0)
    expect(cancel.stdout).toMatch(/cancel requested/)
    const atCancel = t.generations()
    expect(await t.exited).toBe(0)
    // The trainer checks for a stop request before every generation: at most the one in flight ends.
    expect(t.generations() - atCancel).toBeLessThanOrEqual(2)
    const last = JSON.parse(t.out.stdout.trim().split('\n').at(-1)!) as { generation: number }
    expect(JSON.parse(lab(['show', id, '--json', '--db', db]).stdout).generation).toBe(last.generation)
    expect(runs(db)[0]).toMatchObject({ status: 'cancelled', live: null, actions: ['delete', 'rename'] })
    expect(lab(['resume', id, '--db', db]).stderr).toMatch(/cancelled; it cannot be resumed/)
  })

  it('pauses a run another process trains; it resumes from there', async () => {
    const db = join(tempDir(), 'pause.db')
    const t = trainer(db)
    const id = await started(db, t)
    expect(lab(['pause', id, '--db', db]).stdout).toMatch(/pause requested/)
    expect(await t.exited).toBe(0)
    expect(runs(db)[0]).toMatchObject({ status: 'paused', actions: ['resume', 'cancel', 'delete', 'rename'] })
  })

  it('deletes a run trained elsewhere with --force: cancelled there first, then deleted', async () => {
    const db = join(tempDir(), 'force.db')
    const t = trainer(db)
    const id = await started(db, t)
    const del = lab(['delete', id, '--force', '--db', db])
    expect(del.code).toBe(0)
    expect(del.stdout).toMatch(`run ${id} deleted`)
    expect(await t.exited).toBe(0)
    expect(runs(db)).toHaveLength(0)
  })

  it('shows a run whose trainer died as interrupted, and resumes it', async () => {
    const db = join(tempDir(), 'dead.db')
    const t = trainer(db)
    const id = await started(db, t)
    t.child.kill('SIGKILL')
    await t.exited
    await waitFor(() => !processAlive(t.child.pid!))
    expect(runs(db)[0]).toMatchObject({
      status: 'running',
      live: 'interrupted',
      actions: ['resume', 'cancel', 'delete', 'rename']
    })
    expect(lab(['runs', '--db', db]).stdout).toMatch(/interrupted/)
    expect(lab(['cancel', id, '--db', db]).stdout).toMatch(`run ${id} cancelled`)
  })
})
