/**
 * Races between real `lab` processes on one real workspace file, their timing windows widened on purpose
 * with the test hooks of src/engine/test-hooks.ts, so that every iteration meets the interleaving it is
 * about. Each race runs ITERATIONS times in a row, and every iteration must end the one way the lifecycle
 * allows (docs/lifecycle.md, "Claims").
 */
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { loadEnvironment } from '../../src/engine/environments'
import { HEARTBEAT_STALE_MS, processAlive } from '../../src/engine/runs/lifecycle'
import { Store, type MetricRow, type RunRow } from '../../src/engine/store/store'
import { lab, ROOT, tempDir, storedGenerations } from '../helpers/cli'
import { GroupProcess } from '../helpers/processes'

const ITERATIONS = 20
/** Each racing claim or stop holds its transaction open this long between its read and its write. */
const CLAIM_DELAY_MS = 1000
/** How much longer a trainer's last generation seems (test hook): room for a `lab cancel` to start. */
const FINISH_DELAY_MS = 5000
/** The cancel's read-to-write window: it spans the trainer's finish, which must wait for it. */
const CANCEL_DELAY_MS = 4500

const GENERATIONS = 8
const WORM = [
  'train',
  '--algo',
  'renomad',
  '--seed',
  '7',
  '--generations',
  String(GENERATIONS),
  '--config',
  JSON.stringify({ populationSize: 4, madsEvaluations: 30, madsCoordinates: 8 }),
  '--workers',
  '1',
  '--json'
]
const TOY = [
  'train',
  '--env',
  'quadratic',
  '--env-config',
  JSON.stringify({ dim: 8 }),
  '--algo',
  'ea',
  '--config',
  JSON.stringify({ populationSize: 4 }),
  '--generations',
  '3',
  '--workers',
  '1',
  '--json'
]

const started: GroupProcess[] = []
afterEach(() => {
  for (const p of started.splice(0)) p.killGroup()
})

/** A `lab` command in its own process group (its pid is the group id), with extra environment. */
function start(args: string[], env: Record<string, string> = {}): GroupProcess {
  const p = new GroupProcess(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env }
  })
  started.push(p)
  return p
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The run and what a training run must reproduce exactly: every metric but the timings. */
function stored(db: string, id: string): { run: RunRow; metrics: Partial<MetricRow>[]; best: number[] } {
  const store = Store.open(db)
  try {
    const run = store.getRun(id)
    const metrics = store.metrics(id).map((m) => ({
      generation: m.generation,
      evaluations: m.evaluations,
      bestFitness: m.bestFitness,
      meanFitness: m.meanFitness,
      worstFitness: m.worstFitness,
      metrics: m.metrics
    }))
    const best = Array.from(store.bestGenome(id, loadEnvironment(run.envSpec).prior).weights)
    return { run, metrics, best }
  } finally {
    store.close()
  }
}

const runsJson = (db: string) =>
  JSON.parse(lab(['runs', '--json', '--db', db]).stdout) as {
    id: string
    status: string
    live: string | null
    actions: string[]
    generation: number
  }[]

const generationsPrinted = (stdout: string): number[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { generation: number }).generation)

let reference: ReturnType<typeof stored> | undefined
/** The worm run of WORM, trained once without interruption: what every resumed copy must reproduce. */
function uninterrupted(): ReturnType<typeof stored> {
  if (!reference) {
    const db = join(tempDir('lab-race-reference-'), 'reference.db')
    expect(lab([...WORM, '--db', db]).code).toBe(0)
    reference = stored(db, runsJson(db)[0].id)
    expect(reference.run.generation).toBe(GENERATIONS)
  }
  return reference
}

describe('two `lab resume` of one interrupted run, started at the same moment', () => {
  it(`lets exactly one train it; the other is refused as busy (${ITERATIONS} times in a row)`, async () => {
    const dir = tempDir('lab-race-resume-')
    const expected = uninterrupted()

    // The same run, its trainer SIGKILLed after its first stored batch: `running`, owner dead.
    const killed = join(dir, 'killed.db')
    // Every generation written at once (test hook), so the kill lands mid-run however fast it trains.
    const trainer = start([...WORM, '--db', killed], { CONNECTOME_LAB_TEST_FLUSH_MS: '0' })
    await until(() => storedGenerations(killed) >= 1)
    process.kill(trainer.pgid, 'SIGKILL')
    await trainer.waitExit(10_000)
    await until(() => !processAlive(trainer.pgid), 10_000)
    const [before] = runsJson(killed) // (reading also folds the WAL into the file)
    expect(before).toMatchObject({
      status: 'running',
      live: 'interrupted',
      actions: ['resume', 'cancel', 'delete', 'rename']
    })
    expect(before.generation).toBeGreaterThanOrEqual(1)
    expect(before.generation).toBeLessThan(GENERATIONS)
    const id = before.id

    for (let i = 0; i < ITERATIONS; i++) {
      const db = join(dir, `race-${i}.db`)
      copyFileSync(killed, db)
      if (existsSync(`${killed}-wal`)) copyFileSync(`${killed}-wal`, `${db}-wal`)
      const env = { CONNECTOME_LAB_TEST_CLAIM_DELAY_MS: String(CLAIM_DELAY_MS) }
      const args = ['resume', id, '--db', db, '--workers', '1', '--json']
      const racers = [start(args, env), start(args, env)]
      const exits = await Promise.all(racers.map((p) => p.waitExit(120_000)))
      const context = `iteration ${i}\n${racers.map((p) => p.output()).join('\n')}`
      expect(exits.map((e) => e.code).sort(), context).toEqual([0, 1])
      const winner = racers[exits[0].code === 0 ? 0 : 1]
      const loser = racers[exits[0].code === 0 ? 1 : 0]
      expect(loser.stderr.trimEnd().split('\n'), context).toEqual([
        `lab: error: run ${id} is being trained by process ${winner.pgid}; resume is not possible from here`
      ])
      expect(loser.stdout, context).toBe('')
      expect(winner.stderr, context).not.toMatch(/error|UNIQUE/i)
      // The winner trained exactly the generations after the checkpoint, and the run ends as if never
      // interrupted.
      expect(generationsPrinted(winner.stdout), context).toEqual(
        Array.from({ length: GENERATIONS - before.generation }, (_, k) => before.generation + 1 + k)
      )
      const got = stored(db, id)
      expect(got.run, context).toMatchObject({
        status: 'completed',
        generation: GENERATIONS,
        ownerPid: null,
        stopRequest: null,
        heartbeatAt: null,
        error: null
      })
      expect(got.metrics, context).toEqual(expected.metrics)
      expect(got.best, context).toEqual(expected.best)
    }
  }, 600_000)
})

describe('`lab cancel` racing the last generation of a trainer in another process', () => {
  it(`ends the run cancelled, never completed (${ITERATIONS} times in a row)`, async () => {
    const dir = tempDir('lab-race-cancel-')
    for (let i = 0; i < ITERATIONS; i++) {
      const db = join(dir, `cancel-${i}.db`)
      const trainer = start([...TOY, '--db', db], {
        CONNECTOME_LAB_TEST_FINISH_DELAY_MS: String(FINISH_DELAY_MS)
      })
      // The last generation is printed (and stored): the trainer made its last stop check before it.
      const [, id] = await trainer.waitFor('stdout', /^\{"runId":"(\w+)","generation":3,/m, 60_000)
      const cancel = start(['cancel', id, '--db', db], {
        CONNECTOME_LAB_TEST_CLAIM_DELAY_MS: String(CANCEL_DELAY_MS)
      })
      const [c, t] = await Promise.all([cancel.waitExit(60_000), trainer.waitExit(60_000)])
      const context = `iteration ${i}\n${trainer.output()}\n${cancel.output()}`
      expect(c.code, context).toBe(0)
      expect(cancel.stdout, context).toBe(
        `run ${id}: cancel requested; process ${trainer.pgid} stops it after its current generation\n`
      )
      expect(t.code, context).toBe(0)
      expect(generationsPrinted(trainer.stdout), context).toEqual([1, 2, 3])
      expect(stored(db, id).run, context).toMatchObject({
        status: 'cancelled',
        generation: 3,
        ownerPid: null,
        stopRequest: null,
        heartbeatAt: null
      })
    }
  }, 600_000)
})

describe('a trainer that stalls past the heartbeat limit', () => {
  it('loses its run to a resumer, and then writes nothing into it', async () => {
    const expected = uninterrupted()
    const db = join(tempDir('lab-race-stall-'), 'stall.db')
    const stalled = start([...WORM, '--db', db], { CONNECTOME_LAB_TEST_FLUSH_MS: '0' })
    await until(() => storedGenerations(db) >= 1)
    // Suspend it outside a write (it holds no lock), and age its heartbeat as 60 s of silence would.
    const probe = new Database(db, { timeout: 0 })
    try {
      for (;;) {
        process.kill(stalled.pgid, 'SIGSTOP')
        try {
          probe.exec('BEGIN IMMEDIATE')
          break
        } catch {
          process.kill(stalled.pgid, 'SIGCONT') // stopped inside a transaction: let it finish it
          await new Promise((r) => setTimeout(r, 30))
        }
      }
      probe
        .prepare('UPDATE runs SET heartbeat_at = ?')
        .run(new Date(Date.now() - 2 * HEARTBEAT_STALE_MS).toISOString())
      probe.exec('COMMIT')
    } finally {
      probe.close()
    }
    const [run] = runsJson(db)
    expect(run).toMatchObject({ status: 'running', live: 'interrupted' })
    expect(processAlive(stalled.pgid)).toBe(true)

    const resumed = lab(['resume', run.id, '--db', db, '--workers', '1', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const done = stored(db, run.id)
    expect(done.run).toMatchObject({ status: 'completed', generation: GENERATIONS, ownerPid: null })

    // Woken up, the stalled trainer finds the run is no longer its own: it stops, writing nothing.
    process.kill(stalled.pgid, 'SIGCONT')
    const exit = await stalled.waitExit(60_000)
    expect(exit.code, stalled.output()).toBe(1)
    expect(stalled.stderr.trimEnd().split('\n').at(-1)).toBe(
      `lab: error: run ${run.id} is no longer trained by process ${stalled.pgid} (it is completed); this process stops training it`
    )
    expect(stalled.stderr).not.toMatch(/UNIQUE/)
    const after = stored(db, run.id)
    expect(after.run).toMatchObject({ status: 'completed', generation: GENERATIONS, ownerPid: null })
    expect(after.run.updatedAt).toBe(done.run.updatedAt)
    expect(after.metrics).toEqual(expected.metrics)
    expect(after.best).toEqual(expected.best)
  }, 180_000)
})
