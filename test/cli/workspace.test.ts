/**
 * The workspace file under bad input and faults (issue 8, classes 5, 6 and 10), through the real `lab`
 * CLI in child processes on real files. Every refusal is checked three ways: the exit code, one
 * `lab: error:` line naming the problem, and nothing written (every file's bytes, no `-wal` / `-shm`,
 * no file or folder created).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/engine/store/migrate'
import { MIGRATIONS } from '../../src/engine/store/migrations'
import { ROOT, tempDir, type CliResult } from '../helpers/cli'
import { GroupProcess } from '../helpers/processes'

/** tsx by absolute URL, so that the CLI runs from any folder (the tests run it inside temporary ones). */
const TSX = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href

/** The real `lab` CLI in a child process (as test/helpers/cli.ts's `lab`), from any working folder. */
function lab(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/lab.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 120_000
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

/** Every file and folder under `dir`: relative path → sha256 of its bytes ('dir' for a folder). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) {
        out[relative(dir, p)] = 'dir'
        walk(p)
      } else out[relative(dir, p)] = sha(p)
    }
  }
  walk(dir)
  return out
}

/** Exit code 1 and exactly one `lab: error:` line, which matches `message`. */
function expectRefused(r: CliResult, message: RegExp, what = ''): void {
  expect(r.code, `${what}\n${r.stderr}`).toBe(1)
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines, what).toHaveLength(1)
  expect(lines[0], what).toMatch(/^lab: error: /)
  expect(lines[0], what).toMatch(message)
}

/** The journal mode a SQLite file is in, from its header (byte 18: 1 rollback journal, 2 WAL). */
const journalOf = (path: string) => (readFileSync(path)[18] === 2 ? 'wal' : 'rollback')

/** A small, fast run: the quadratic toy, two generations, one worker. */
const QUICK = [
  'train',
  '--algo',
  'es',
  '--env',
  'quadratic',
  '--env-config',
  '{"dim":4}',
  '--generations',
  '2',
  '--config',
  '{"populationSize":4}',
  '--workers',
  '1'
]

/** The per-user default workspace inside `home` (no CONNECTOME_LAB_DB). */
const homeEnv = (home: string) => ({
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  CONNECTOME_LAB_DB: ''
})

describe('class 5: reading commands never create a workspace', () => {
  const reading = (db: string): string[][] => [
    ['runs', '--db', db],
    ['show', 'r12345', '--db', db],
    ['export', 'r12345', '--db', db],
    ['export', 'r12345', '--metrics', '--db', db],
    ['replay', 'r12345', '--trace', 'trace.json', '--db', db],
    ['cancel', 'r12345', '--db', db],
    ['pause', 'r12345', '--db', db],
    ['delete', 'r12345', '--db', db],
    ['resume', 'r12345', '--db', db, '--workers', '1'],
    ['sweep', '--continue', 's12345', '--db', db, '--workers', '1']
  ]

  it('refuses a missing file or folder, creating neither', () => {
    const dir = tempDir()
    // Every reading command on a path whose folders are missing; two of them with only the file missing.
    const deep = join(dir, 'path', 'that', 'does', 'not', 'exist.db')
    const flat = join(dir, 'w.db')
    for (const db of [deep, flat]) {
      for (const args of db === deep ? reading(db) : [reading(db)[0], reading(db)[7]]) {
        const r = lab(args, { cwd: dir })
        expectRefused(r, new RegExp(`no workspace at '${db}' \\(the file does not exist\\)`), args.join(' '))
        expect(tree(dir), args.join(' ')).toEqual({})
      }
    }
  })

  it('refuses an empty file without initialising it', () => {
    const dir = tempDir()
    const db = join(dir, 'empty.db')
    writeFileSync(db, '')
    for (const args of [reading(db)[0], reading(db)[7]]) {
      expectRefused(
        lab(args, { cwd: dir }),
        /no workspace at '.*empty\.db' \(an empty database\)/,
        args.join(' ')
      )
      expect(tree(dir)).toEqual({ 'empty.db': sha(db) })
      expect(readFileSync(db).length).toBe(0)
    }
  })

  it('creates the per-user default workspace only for a command that writes', () => {
    const home = tempDir()
    const env = homeEnv(home)
    for (const args of [['runs'], ['show', 'r12345'], ['delete', 'r12345']]) {
      expectRefused(lab(args, { cwd: home, env }), /no workspace at '.*connectome-lab\/workspace\.db'/)
      expect(tree(home), args.join(' ')).toEqual({})
    }
    expect(lab(QUICK, { cwd: home, env }).code).toBe(0)
    expect(existsSync(join(home, 'config', 'connectome-lab', 'workspace.db'))).toBe(true)
    expect(JSON.parse(lab(['runs', '--json'], { cwd: home, env }).stdout)).toHaveLength(1)
  })
})

describe('class 5: databases that are not ours, or newer, are refused untouched', () => {
  /** A SQLite file in rollback-journal mode, made by `fill`. */
  function sqliteFile(path: string, fill: (db: Database.Database) => void): string {
    const db = new Database(path)
    fill(db)
    db.close()
    expect(journalOf(path)).toBe('rollback')
    return path
  }
  const commands = (db: string): string[][] => [
    ['runs', '--db', db],
    ['show', 'r12345', '--db', db],
    ['delete', 'r12345', '--db', db],
    [...QUICK, '--db', db]
  ]

  /** Every command (or the first and the last: a reading one and a writing one) refused, nothing changed. */
  function expectUntouched(dir: string, db: string, message: RegExp, all = true) {
    const before = tree(dir)
    const cases = commands(db)
    for (const args of all ? cases : [cases[0], cases[3]]) {
      expectRefused(lab(args, { cwd: dir }), message, args.join(' '))
      expect(tree(dir), args.join(' ')).toEqual(before) // the same bytes, no -wal / -shm, nothing new
      expect(journalOf(db)).toBe('rollback')
    }
  }

  it("refuses another application's database: no tables installed, not switched to WAL", () => {
    const dir = tempDir()
    const db = sqliteFile(join(dir, 'contacts.db'), (d) => {
      d.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO people VALUES (1, 'Ada')")
    })
    expectUntouched(
      dir,
      db,
      /'.*contacts\.db' is not a Connectome Lab workspace: .*'people'.* it was left untouched/
    )
  })

  it("refuses a database whose schema_migrations is another application's", () => {
    const dir = tempDir()
    const rails = sqliteFile(join(dir, 'rails.db'), (d) => {
      d.exec(
        "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101')"
      )
      d.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)')
    })
    expectUntouched(
      dir,
      rails,
      /is not a Connectome Lab workspace: its schema_migrations table is another application's/,
      false
    )
    const lookalike = sqliteFile(join(dir, 'lookalike.db'), (d) => {
      d.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, hash TEXT, applied_at TEXT);
        INSERT INTO schema_migrations VALUES (1, 'create users', 'abc', 't'); CREATE TABLE users (id INTEGER)`)
    })
    expectUntouched(
      dir,
      lookalike,
      /not a Connectome Lab workspace: .*migrations that are not ours \(version 1 'create users'\)/,
      false
    )
  })

  it('refuses a newer-schema workspace in rollback-journal mode before converting anything to WAL', () => {
    const dir = tempDir()
    const db = sqliteFile(join(dir, 'future.db'), (d) => {
      migrate(d)
      d.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(
        MIGRATIONS.length + 1,
        'from the future',
        'f'.repeat(64),
        't'
      )
    })
    expectUntouched(
      dir,
      db,
      new RegExp(
        `schema version ${MIGRATIONS.length + 1} \\('from the future'\\) is newer than this Connectome Lab knows: upgrade the app`
      )
    )
  })
})

describe("class 5: --db '' is refused, never the default workspace", () => {
  it('names the option and writes nothing, here or in the default workspace', () => {
    const home = tempDir()
    const env = homeEnv(home)
    const cases = [
      ['runs', '--db', ''],
      ['show', 'r12345', '--db', ''],
      ['delete', 'r12345', '--db', '  '],
      [...QUICK, '--db', ''],
      ['sweep', '--algos', 'es', '--seeds', '1', '--generations', '1', '--db', ''],
      ['serve', '--db', '']
    ]
    for (const args of cases) {
      expectRefused(lab(args, { cwd: home, env }), /--db needs a path/, args.join(' '))
      expect(tree(home), args.join(' ')).toEqual({})
    }
  })
})

describe('class 5: processes opening a new workspace at once', () => {
  const children: { proc: ChildProcessWithoutNullStreams; out: string[] }[] = []
  beforeAll(async () => {
    for (let k = 0; k < 3; k++) {
      const proc = spawn(process.execPath, ['--import', TSX, join(ROOT, 'test/helpers/open-store.ts')], {
        cwd: ROOT
      })
      const child = { proc, out: [] as string[] }
      let buf = ''
      proc.stdout.on('data', (d: Buffer) => {
        buf += d.toString()
        const lines = buf.split('\n')
        buf = lines.pop()!
        child.out.push(...lines)
      })
      children.push(child)
    }
    await Promise.all(children.map((c) => until(() => c.out.includes('ready'))))
  })
  afterAll(() => {
    for (const c of children) c.proc.kill()
  })

  it('migrates it once, every opener succeeding (20 rounds, three processes opening at the same moment)', async () => {
    const dir = tempDir()
    for (let round = 0; round < 20; round++) {
      const db = join(dir, `new-${round}.db`)
      const at = Date.now() + 150
      for (const c of children) c.proc.stdin.write(`OPEN ${db} ${at}\n`)
      const answers = () => children.map((c) => c.out.find((l) => l.split(' ')[1] === db))
      await until(() => answers().every(Boolean))
      expect(answers(), `round ${round}`).toEqual(children.map(() => `ok ${db}`))
      const d = new Database(db, { readonly: true })
      expect(d.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version }))
      )
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok')
      d.close()
    }
  })

  it('two `lab train` started at once on a new workspace both store their run', async () => {
    const dir = tempDir()
    const db = join(dir, 'w.db')
    const trainers = [1, 2].map(
      (seed) =>
        new GroupProcess(
          process.execPath,
          ['--import', TSX, join(ROOT, 'src/cli/lab.ts'), ...QUICK, '--seed', String(seed), '--db', db],
          { cwd: ROOT }
        )
    )
    const exits = await Promise.all(trainers.map((t) => t.exited))
    expect(
      exits.map((e) => e.code),
      trainers.map((t) => t.stderr).join('\n')
    ).toEqual([0, 0])
    const runs = JSON.parse(lab(['runs', '--json', '--db', db]).stdout) as { seed: number; status: string }[]
    expect(runs.map((r) => `${r.seed} ${r.status}`).sort()).toEqual(['1 completed', '2 completed'])
  })
})

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('class 6: no run is deleted (or touched) by an empty, blank, malformed or short id', () => {
  it('refuses them everywhere, then deletes by a 3-character prefix, naming the run', () => {
    const dir = tempDir()
    const db = join(dir, 'w.db')
    expect(lab([...QUICK, '--name', 'keep me', '--db', db]).code).toBe(0)
    const [run] = JSON.parse(lab(['runs', '--json', '--db', db]).stdout) as { id: string; name: string }[]
    const before = tree(dir)
    const ids: [string, RegExp][] = [
      ['', /a run id is needed, got an empty one/],
      ['   ', /a run id is needed, got an empty one/],
      ['r', /run id prefix 'r' is too short: give at least 3 characters/],
      [run.id.slice(0, 2), /too short: give at least 3 characters/],
      ['r_%', /"r_%" is not a run id/],
      ['r\n', /"r\\n" is not a run id/]
    ]
    for (const [id, message] of ids) {
      expectRefused(lab(['delete', id, '--db', db]), message, `delete ${JSON.stringify(id)}`)
      expect(tree(dir)).toEqual(before)
    }
    for (const args of [
      ['show', '', '--db', db],
      ['export', ' ', '--db', db],
      ['replay', '', '--trace', join(dir, 't.json'), '--db', db],
      ['pause', 'r', '--db', db],
      ['resume', '', '--db', db, '--workers', '1']
    ]) {
      expectRefused(lab(args), /a run id is needed|too short/, args.join(' '))
      expect(tree(dir)).toEqual(before)
    }
    expectRefused(lab(['runs', '--sweep', '', '--db', db]), /a sweep id is needed/)
    expectRefused(
      lab(['sweep', '--continue', '', '--db', db, '--workers', '1']),
      /a sweep id is needed, got an empty one/
    )
    expect(tree(dir)).toEqual(before)

    const r = lab(['delete', run.id.slice(0, 3), '--db', db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`run ${run.id} deleted ("keep me")\n`)
    expect(JSON.parse(lab(['runs', '--json', '--db', db]).stdout)).toEqual([])
  })
})

describe('class 10: a damaged checkpoint', () => {
  // The worm with a small EA: ~20 ms a generation, long enough to interrupt it twice.
  const TRAIN = [
    'train',
    '--algo',
    'ea',
    '--seed',
    '4',
    '--generations',
    '60',
    '--config',
    '{"populationSize":6}',
    '--workers',
    '1',
    '--json'
  ]
  const dir = tempDir()
  const db = join(dir, 'w.db')
  const reference = join(dir, 'reference.db')
  let id = ''
  let checkpoints: number[] = []

  const checkpointsOf = (path: string) => {
    const d = new Database(path, { readonly: true })
    try {
      return (
        d.prepare('SELECT generation FROM checkpoints ORDER BY generation').all() as { generation: number }[]
      ).map((r) => r.generation)
    } finally {
      d.close()
    }
  }
  /** Starts `args`, and interrupts it (Ctrl-C) once it reports generation `after` + 3. */
  async function interrupt(args: string[], after: number): Promise<void> {
    const p = new GroupProcess(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/lab.ts'), ...args], {
      cwd: ROOT
    })
    await p.waitFor('stdout', new RegExp(`"generation":${after + 3}[,}]`), 60_000)
    p.child.kill('SIGINT')
    expect((await p.exited).code).toBe(130)
  }
  /** Replaces a checkpoint's blob by `how(blob)` (outside the lab, as a bad disk would); returns the old one. */
  function damage(generation: number, how: (b: Buffer) => Buffer): Buffer {
    const d = new Database(db)
    const { state } = d.prepare('SELECT state FROM checkpoints WHERE generation = ?').get(generation) as {
      state: Buffer
    }
    d.prepare('UPDATE checkpoints SET state = ? WHERE generation = ?').run(
      how(Buffer.from(state)),
      generation
    )
    d.close()
    return state
  }
  const flip = (b: Buffer) => {
    b[Math.floor(b.length / 2)] ^= 0x10
    return b
  }

  beforeAll(async () => {
    expect(lab([...TRAIN, '--db', reference]).code).toBe(0)
    await interrupt([...TRAIN, '--db', db], 0)
    id = JSON.parse(lab(['runs', '--json', '--db', db]).stdout)[0].id
    const first = checkpointsOf(db).at(-1)!
    await interrupt(['resume', id, '--db', db, '--workers', '1', '--json'], first)
    checkpoints = checkpointsOf(db)
  })

  it('keeps the two newest checkpoints', () => {
    expect(checkpoints).toHaveLength(2)
    expect(checkpoints[1]).toBeLessThan(60)
    expect(JSON.parse(lab(['show', id, '--json', '--db', db]).stdout)).toMatchObject({
      status: 'paused',
      generation: checkpoints[1]
    })
  })

  it('refuses --from-previous-checkpoint while the newest checkpoint is intact', () => {
    const before = tree(dir)
    expectRefused(
      lab(['resume', id, '--from-previous-checkpoint', '--db', db, '--workers', '1']),
      new RegExp(`run ${id}: its newest checkpoint \\(generation ${checkpoints[1]}\\) is intact`)
    )
    expect(tree(dir)).toEqual(before)
  })

  it('names the run and the generation of a damaged checkpoint, writing nothing', () => {
    damage(checkpoints[1], flip)
    const before = tree(dir)
    const [prev, last] = checkpoints
    expectRefused(
      lab(['resume', id, '--db', db, '--workers', '1']),
      new RegExp(
        `run ${id}: its checkpoint of generation ${last} is damaged \\(.*\\); the previous checkpoint, of generation ${prev}, is intact: ` +
          `resume from it with \`lab resume ${id} --from-previous-checkpoint\``
      )
    )
    expect(tree(dir)).toEqual(before)
    expect(JSON.parse(lab(['show', id, '--json', '--db', db]).stdout).status).toBe('paused')
  })

  it('refuses to resume when the previous checkpoint is damaged too, writing nothing', () => {
    const [prev, last] = checkpoints
    const good = damage(prev, (b) => b.subarray(0, 40)) // truncated
    const before = tree(dir)
    const message = new RegExp(
      `run ${id}: its checkpoint of generation ${last} is damaged .*the previous one, of generation ${prev}, is damaged too: the run cannot be resumed`
    )
    expectRefused(lab(['resume', id, '--db', db, '--workers', '1']), message)
    expectRefused(
      lab(['resume', id, '--from-previous-checkpoint', '--db', db, '--workers', '1']),
      new RegExp(
        `run ${id}: its checkpoint of generation ${last} is damaged and so is the previous one, of generation ${prev}: the run cannot be resumed`
      )
    )
    expect(tree(dir)).toEqual(before)
    damage(prev, () => good)
  })

  it('resumes from the previous checkpoint, bit-identical to an uninterrupted run', () => {
    const r = lab(['resume', id, '--from-previous-checkpoint', '--db', db, '--workers', '1', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const a = JSON.parse(lab(['show', id, '--json', '--db', db]).stdout)
    const refId = JSON.parse(lab(['runs', '--json', '--db', reference]).stdout)[0].id
    const b = JSON.parse(lab(['show', refId, '--json', '--db', reference]).stdout)
    expect(a).toMatchObject({ status: 'completed', generation: 60 })
    const curve = (x: { metrics: { generation: number; bestFitness: number; evaluations: number }[] }) =>
      x.metrics.map((m) => [m.generation, m.bestFitness, m.evaluations])
    expect(curve(a)).toEqual(curve(b))
    const ga = join(dir, 'a.npy')
    const gb = join(dir, 'b.npy')
    expect(lab(['export', id, '--format', 'npy', '--out', ga, '--db', db]).code).toBe(0)
    expect(lab(['export', refId, '--format', 'npy', '--out', gb, '--db', reference]).code).toBe(0)
    expect(sha(ga)).toBe(sha(gb))
  })
})
