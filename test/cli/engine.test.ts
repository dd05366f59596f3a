import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { readGenomeFile } from '../../src/engine/genome-file'
import { readConnectome } from '../../src/engine/resources'
import { processAlive } from '../../src/engine/runs/manager'
import { lab, ROOT, tempDir, storedGenerations } from '../helpers/cli'

const c = readConnectome()
const CONFIG = JSON.stringify({ populationSize: 6, madsEvaluations: 40, madsCoordinates: 8 })
const TRAIN = [
  'train',
  '--algo',
  'renomad',
  '--seed',
  '3',
  '--generations',
  '8',
  '--config',
  CONFIG,
  '--workers',
  '2',
  '--json'
]

/** Child processes of `pid`, from /proc. */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid)
      } catch {
        return false
      }
    })
    .map(Number)

function startLab(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null)))
  )
  return { child, exited, stderr: () => stderr }
}

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 25))
  }
}

const runIdOf = (db: string) => JSON.parse(lab(['runs', '--json', '--db', db]).stdout)[0].id as string

describe('lab train / resume after the parent process is killed', () => {
  it('leaves no orphan workers and resumes bit-identical to an uninterrupted run', async () => {
    const dir = tempDir()
    const reference = join(dir, 'reference.db')
    const r = lab([...TRAIN, '--db', reference])
    expect(r.code).toBe(0)

    const db = join(dir, 'killed.db')
    const p = startLab([...TRAIN, '--db', db])
    await waitFor(() => storedGenerations(db) >= 2)
    const workers = childrenOf(p.child.pid!)
    expect(workers.length).toBe(2)
    p.child.kill('SIGKILL')
    await p.exited
    await waitFor(() => workers.every((w) => !processAlive(w)), 10_000)
    const id = runIdOf(db)
    const interrupted = JSON.parse(lab(['show', id, '--json', '--db', db]).stdout)
    expect(interrupted.status).toBe('running')
    expect(interrupted.generation).toBeLessThan(8)

    const resumed = lab(['resume', id, '--db', db, '--workers', '2', '--json'])
    expect(resumed.code).toBe(0)
    const a = JSON.parse(lab(['show', id, '--json', '--db', db]).stdout)
    const b = JSON.parse(lab(['show', runIdOf(reference), '--json', '--db', reference]).stdout)
    expect(a.status).toBe('completed')
    expect(a.generation).toBe(8)
    expect(a.metrics.map((m: { bestFitness: number }) => m.bestFitness)).toEqual(
      b.metrics.map((m: { bestFitness: number }) => m.bestFitness)
    )
    const ga = join(dir, 'a.npy')
    const gb = join(dir, 'b.npy')
    expect(lab(['export', id, '--format', 'npy', '--out', ga, '--db', db]).code).toBe(0)
    expect(lab(['export', runIdOf(reference), '--format', 'npy', '--out', gb, '--db', reference]).code).toBe(
      0
    )
    expect(readFileSync(ga).equals(readFileSync(gb))).toBe(true)
  })

  it('stops cleanly on Ctrl-C: run paused, workers gone, exit 130', async () => {
    const db = join(tempDir(), 'sigint.db')
    const p = startLab([...TRAIN, '--db', db])
    await waitFor(() => storedGenerations(db) >= 1)
    const workers = childrenOf(p.child.pid!)
    p.child.kill('SIGINT')
    expect(await p.exited).toBe(130)
    for (const w of workers) expect(processAlive(w)).toBe(false)
    const run = JSON.parse(lab(['runs', '--json', '--db', db]).stdout)[0]
    expect(run.status).toBe('paused')
    expect(p.stderr()).toMatch(/resume with `lab resume RUN`/)
  })
})

describe('lab runs / show / export', () => {
  const dir = tempDir()
  const db = join(dir, 'w.db')
  it('lists runs as a table and as JSON with the documented keys', () => {
    expect(
      lab([
        'train',
        '--algo',
        'ea',
        '--generations',
        '2',
        '--seed',
        '9',
        '--config',
        '{"populationSize":6}',
        '--db',
        db,
        '--workers',
        '1'
      ]).code
    ).toBe(0)
    const json = JSON.parse(lab(['runs', '--json', '--db', db]).stdout)
    expect(json).toHaveLength(1)
    expect(Object.keys(json[0])).toEqual(
      expect.arrayContaining([
        'id',
        'status',
        'algorithm',
        'environment',
        'task',
        'seed',
        'generation',
        'bestMetrics',
        'actions'
      ])
    )
    expect(Object.keys(json[0].bestMetrics)).toEqual(['foodEaten', 'reward', 'l0', 'l2'])
    expect(json[0].actions).toEqual(['delete', 'rename'])
    expect(json[0]).toMatchObject({
      status: 'completed',
      algorithm: 'ea',
      task: 'pentagon',
      seed: 9,
      generation: 2
    })
    expect(lab(['runs', '--db', db]).stdout).toMatch(/ID\s+NAME\s+ALGO/)
  })
  it('exports genomes that round-trip through every format', () => {
    const id = runIdOf(db)
    const files = { json: join(dir, 'g.json'), csv: join(dir, 'g.csv'), npy: join(dir, 'g.npy') }
    for (const [format, out] of Object.entries(files))
      expect(lab(['export', id, '--format', format, '--out', out, '--db', db]).code).toBe(0)
    const weights = Object.values(files).map((f) => Array.from(readGenomeFile(f, c)))
    expect(weights[1]).toEqual(weights[0])
    expect(weights[2]).toEqual(weights[0])
    const meta = JSON.parse(readFileSync(files.json, 'utf8'))
    expect(meta).toMatchObject({
      connectome: 'gopigo2014',
      pairsHash: c.pairsHash,
      meta: { run: id, algorithm: 'ea', generation: 2 }
    })
    expect(readFileSync(files.csv, 'utf8').split('\n')[0]).toBe('pre,post,w0,w,delta')
    const metrics = lab(['export', id, '--metrics', '--db', db]).stdout.trim().split('\n')
    expect(metrics).toHaveLength(3)
    expect(metrics[0]).toBe(
      'generation,evaluations,wallSeconds,bestFitness,meanFitness,worstFitness,foodEaten,reward,l0,l2,rolloutMs,madsMs,algorithmMs,transportMs'
    )
    const replay = lab(['replay', id, '--trace', join(dir, 't.json'), '--json', '--db', db])
    expect(replay.code).toBe(0)
    expect(JSON.parse(replay.stdout).fitness).toBe(meta.meta.fitness)
  })
  it('fails clearly, writing nothing, on bad input', () => {
    const before = readFileSync(db)
    const cases: [string[], RegExp][] = [
      [['show', 'zzz', '--db', db], /unknown run 'zzz'/],
      [['export', 'zzz', '--db', db], /unknown run 'zzz'/],
      [
        ['train', '--algo', 'renomad', '--config', '{"populationSize":-1}', '--db', db],
        /invalid renomad config: populationSize/
      ],
      [['train', '--algo', 'magic', '--db', db], /unknown algorithm 'magic'/],
      [['runs', '--db', join(dir, 'missing', 'w.db')], /does not exist/],
      [['export', runIdOf(db), '--format', 'npy', '--db', db], /needs --out/]
    ]
    for (const [args, message] of cases) {
      const r = lab(args)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.stderr).toMatch(message)
    }
    expect(JSON.parse(lab(['runs', '--json', '--db', db]).stdout)).toHaveLength(1)
    expect(readFileSync(db).length).toBe(before.length)
  })
})

describe('lab sweep', () => {
  it('runs algorithms × seeds under one sweep id with an equal budget, and writes nothing on a bad config', () => {
    const db = join(tempDir(), 'sweep.db')
    const config = JSON.stringify({ ea: { populationSize: 6 }, es: { populationSize: 6 } })
    const sweep = (cfg: string, ...more: string[]) =>
      lab([
        'sweep',
        '--algos',
        'ea,es',
        '--seeds',
        '2',
        '--generations',
        '2',
        '--config',
        cfg,
        '--db',
        db,
        ...more
      ])
    const r = sweep(config, '--json', '--workers', '1')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.runs).toHaveLength(4)
    expect(
      out.runs.map((x: { algorithm: string; seed: number }) => `${x.algorithm}/${x.seed}`).sort()
    ).toEqual(['ea/1', 'ea/2', 'es/1', 'es/2'])
    for (const run of out.runs)
      expect(run).toMatchObject({
        status: 'completed',
        generation: 2,
        sweepId: out.sweepId,
        budget: { generations: 2 }
      })
    expect(JSON.parse(lab(['runs', '--sweep', out.sweepId, '--json', '--db', db]).stdout)).toHaveLength(4)
    // Nothing left to continue.
    const again = lab(['sweep', '--continue', out.sweepId, '--json', '--workers', '1', '--db', db])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).runs.every((x: { generation: number }) => x.generation === 2)).toBe(true)

    const bad = sweep('{"es":{"sigma":-1}}')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/invalid es config: sigma/)
    expect(JSON.parse(lab(['runs', '--json', '--db', db]).stdout)).toHaveLength(4)
    const d = new Database(db, { readonly: true })
    expect(d.prepare('SELECT COUNT(*) AS n FROM sweeps').get()).toEqual({ n: 1 })
    d.close()
  })
})
