/**
 * Issue 8, classes 1, 4 (file parsing) and 8, through the real CLI in a child process: hostile input
 * files (FIFO, /dev/zero, directory, socket, oversized) are refused fast with flat memory; genome CSV,
 * .npy and food layouts are parsed strictly; every output path is checked before any work. Each case
 * checks the exit code, one `lab: error:` line naming the problem, and that nothing was written.
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { genomeToCsv, genomeToJson } from '../../src/core/connectome/genome'
import { encodeNpyFloat64 } from '../../src/engine/formats/npy'
import { readConnectome } from '../../src/engine/resources'
import { lab, ROOT, tempDir } from '../helpers/cli'

const c = readConnectome()
const TIME = '/usr/bin/time'
const hasTime = existsSync(TIME)
const MB = 1024 * 1024

interface Limited {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  /** Peak resident memory of the child in KB (from /usr/bin/time), or null without it. */
  peakKb: number | null
}

/**
 * Runs the CLI in its own process group under `/usr/bin/time -f %M`, killing the whole group after
 * `timeoutMs`: a refusal that hangs (a FIFO opened for reading) shows up as a timeout.
 */
function labLimited(args: string[], timeoutMs: number, memFile: string): Promise<Limited> {
  const node = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args]
  const [cmd, ...rest] = hasTime ? [TIME, '-f', '%M', '-o', memFile, ...node] : node
  return new Promise((resolve) => {
    const child = spawn(cmd, rest, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* already gone */
      }
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      let peakKb: number | null = null
      if (hasTime && existsSync(memFile)) {
        const last = readFileSync(memFile, 'utf8').trim().split('\n').pop()
        peakKb = Number(last)
        rmSync(memFile, { force: true })
      }
      resolve({ code, stdout, stderr, timedOut, peakKb })
    })
  })
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Exactly one stderr line, `lab: error: …`, matching every pattern. */
function expectOneError(stderr: string, ...patterns: RegExp[]): void {
  const lines = stderr.split('\n').filter((l) => l !== '')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^lab: error: /)
  for (const p of patterns) expect(lines[0]).toMatch(p)
}

/** Names, sizes and modification times of everything under `dir` (symlinks not followed). */
function snapshot(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const s = statSync(p, { throwIfNoEntry: false }) ?? null
      if (!s) {
        out.push(`${p} (dangling)`)
        continue
      }
      // FIFOs, sockets and devices: name and kind only (their mtime changes with any open).
      if (s.isDirectory()) {
        out.push(`${p}/`)
        walk(p)
      } else out.push(`${p} ${s.isFile() ? `${s.size} ${s.mtimeMs}` : 'special'}`)
    }
  }
  walk(dir)
  return out
}

const root = tempDir('lab-hostile-')
const files = join(root, 'files')
mkdirSync(files)
/** A workspace with one tiny worm run, copied for the commands that read a run. */
const templateDb = join(root, 'template.db')
let runId = ''
let socketServer: Server | undefined

const fifo = join(files, 'pipe')
const socket = join(files, 'sock')
const blank = join(files, 'blank-lines') // 50 MB of '\n'
const sub = join(files, 'a-directory')

beforeAll(async () => {
  execFileSync('mkfifo', [fifo])
  writeFileSync(blank, Buffer.alloc(50_000_000, 0x0a))
  mkdirSync(sub)
  // The readers choose the format by extension: hostile files under every name they accept.
  for (const ext of ['json', 'npy', 'csv']) {
    symlinkSync(fifo, `${fifo}.${ext}`)
    symlinkSync('/dev/zero', join(files, `zero.${ext}`))
    symlinkSync(blank, `${blank}.${ext}`)
    symlinkSync(sub, `${sub}.${ext}`)
  }
  socketServer = createServer()
  await new Promise<void>((r) => socketServer!.listen(socket, r))
  for (const ext of ['json', 'npy', 'csv']) symlinkSync(socket, `${socket}.${ext}`)
  const train = lab([
    'train',
    '--algo',
    'ea',
    '--generations',
    '1',
    '--config',
    '{"populationSize":4}',
    '--env-config',
    '{"model":{"steps":20}}',
    '--workers',
    '1',
    '--db',
    templateDb
  ])
  expect(train.code, train.stderr).toBe(0)
  runId = JSON.parse(lab(['runs', '--json', '--db', templateDb]).stdout)[0].id
  expect(existsSync(`${templateDb}-wal`)).toBe(false)
})

afterAll(() => {
  socketServer?.close()
  rmSync(root, { recursive: true, force: true }) // 50 MB of blank lines, among others
})

let caseNo = 0
/** A fresh directory for one case, with a copy of the template workspace at `db`. */
function freshCase(): { dir: string; db: string; newDb: string } {
  const dir = join(root, `case-${++caseNo}`)
  mkdirSync(dir)
  const db = join(dir, 'w.db')
  copyFileSync(templateDb, db)
  return { dir, db, newDb: join(dir, 'new.db') }
}

/** Nothing written: the directory is as before, the copied workspace byte-identical, no -wal, no new db. */
function expectNothingWritten(dir: string, before: string[], db: string, dbBytes: Buffer, newDb: string) {
  expect(existsSync(newDb), 'a workspace was created').toBe(false)
  expect(existsSync(`${db}-wal`), 'a -wal file appeared').toBe(false)
  expect(existsSync(`${db}-shm`), 'a -shm file appeared').toBe(false)
  expect(readFileSync(db).equals(dbBytes), 'the workspace changed').toBe(true)
  expect(snapshot(dir)).toEqual(before)
}

describe('class 1: hostile input files are refused unopened, fast, with flat memory', () => {
  // Each reader: how to pass a file to it, given the extension-specific path and a fresh case.
  type Reader = [name: string, ext: string, args: (file: string, db: string, newDb: string) => string[]]
  const readers: Reader[] = [
    ['rollout --genome (.json)', 'json', (f) => ['rollout', '--genome', f]],
    ['rollout --genome (.npy)', 'npy', (f) => ['rollout', '--genome', f]],
    ['rollout --genome (.csv)', 'csv', (f) => ['rollout', '--genome', f]],
    ['rollout --food (.json)', 'json', (f) => ['rollout', '--food', f]],
    ['rollout --food (.csv)', 'csv', (f) => ['rollout', '--food', f]],
    [
      'replay --food',
      'json',
      (f, db) => ['replay', runId, '--trace', `${db}.trace.json`, '--food', f, '--db', db]
    ],
    ['train --config', 'json', (f, _db, n) => ['train', '--algo', 'es', '--config', f, '--db', n]],
    ['train --env-config', 'json', (f, _db, n) => ['train', '--algo', 'es', '--env-config', f, '--db', n]],
    ['sweep --config', 'json', (f, _db, n) => ['sweep', '--seeds', '1', '--config', f, '--db', n]]
  ]
  const what: Record<string, RegExp> = {
    'rollout --genome': /genome file/,
    'rollout --food': /food layout/,
    'replay --food': /food layout/,
    'train --config': /--config file/,
    'train --env-config': /--env-config file/,
    'sweep --config': /--config file/
  }
  const limitOf = (name: string) => (name.includes('genome') ? '8 MiB' : '1 MiB')
  type Hostile = [kind: string, path: (ext: string) => string, message: (name: string) => RegExp]
  const hostile: Hostile[] = [
    ['a FIFO', (e) => `${fifo}.${e}`, () => /is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero', (e) => join(files, `zero.${e}`), () => /is a character device, not a regular file/],
    [
      'a 50 MB file of blank lines',
      (e) => `${blank}.${e}`,
      (name) => new RegExp(`is 50000000 bytes, over the ${limitOf(name)} limit`)
    ],
    ['a directory', (e) => `${sub}.${e}`, () => /is a directory, not a regular file/],
    ['a socket', (e) => `${socket}.${e}`, () => /is a socket, not a regular file/]
  ]
  const cases = readers.flatMap(([name, ext, args]) =>
    hostile.map(([kind, path, message]) => [name, kind, ext, args, path, message] as const)
  )
  it.each(cases)('%s refuses %s', async (name, _kind, ext, args, path, message) => {
    const { dir, db, newDb } = freshCase()
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    const file = path(ext)
    const r = await labLimited(args(file, db, newDb), 5_000, join(root, `mem-${caseNo}`))
    expect(r.timedOut, `${name} on ${file} hung`).toBe(false)
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe('')
    const base = name.replace(/ \(.*\)$/, '')
    expectOneError(r.stderr, what[base], new RegExp(escape(`'${file}'`)), message(name))
    if (r.peakKb !== null) expect(r.peakKb).toBeLessThan(300 * 1024)
    expectNothingWritten(dir, before, db, dbBytes, newDb)
  })

  it('refuses a 9 MB genome .json and a 2 MB --config file by size, naming the limit', async () => {
    const { dir, db, newDb } = freshCase()
    const big = join(dir, 'big.json')
    writeFileSync(big, ' '.repeat(9 * MB))
    const cfg = join(dir, 'cfg.json')
    writeFileSync(cfg, `{${' '.repeat(2 * MB)}}`)
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    const g = await labLimited(['rollout', '--genome', big], 20_000, join(root, 'mem-big'))
    expect(g.code).not.toBe(0)
    expectOneError(g.stderr, /genome file '.*big\.json' is 9437184 bytes, over the 8 MiB limit/)
    const k = await labLimited(
      ['train', '--algo', 'es', '--config', cfg, '--db', newDb],
      20_000,
      join(root, 'mem-cfg')
    )
    expect(k.code).not.toBe(0)
    expectOneError(k.stderr, /--config file '.*cfg\.json' is 2097154 bytes, over the 1 MiB limit/)
    expectNothingWritten(dir, before, db, dbBytes, newDb)
  })
})

describe('class 4: genome CSV, .npy and food layouts are parsed strictly', () => {
  /** A valid genome CSV (pre,post,weight) with a blank line after the header, so file lines ≠ row indexes. */
  const genomeCsv = (edit: (rows: string[]) => void = () => {}) => {
    const rows = genomeToCsv(c).trim().split('\n')
    rows[0] = 'pre,post,weight'
    edit(rows)
    return [rows[0], '', ...rows.slice(1)].join('\n') + '\n'
  }
  // Row 4 of the data (file line 6, after the header and the blank line) gets the bad weight.
  const badWeight = (w: string) =>
    genomeCsv((rows) => {
      rows[4] = `${c.pre[3]},${c.post[3]},${w}`
    })
  const pair = `${c.pre[3]} -> ${c.post[3]}`
  type Case = [
    name: string,
    file: string,
    content: string | Buffer,
    args: (f: string, newDb: string) => string[],
    message: RegExp
  ]
  const genome = (f: string) => ['rollout', '--genome', f]
  const food = (f: string) => ['rollout', '--food', f]
  const npy = encodeNpyFloat64(c.w0)
  const cases: Case[] = [
    [
      'a CSV genome with a duplicated header column',
      'dup.csv',
      genomeCsv((r) => (r[0] = 'pre,post,weight,post')),
      genome,
      /CSV genome header \(line 1\): duplicated column 'post'/
    ],
    ...['0x2', '1e', 'Infinity', '-inf', 'NaN', '1_000', '2,5', '1e999'].map((w): Case => [
      `a CSV genome weight '${w}'`,
      `w-${w.replace(/\W/g, '_')}.csv`,
      badWeight(w),
      genome,
      new RegExp(
        w === '2,5'
          ? `CSV line 6: 4 cell\\(s\\), the header has 3`
          : `CSV line 6, column 'weight': weight of ${escape(pair)} is not (a decimal number|finite): '${escape(w)}'`
      )
    ]),
    [
      'a CSV genome weight of spaces',
      'w-spaces.csv',
      badWeight('   '),
      genome,
      new RegExp(`CSV line 6, column 'weight': weight of ${escape(pair)} is empty`)
    ],
    [
      'an empty CSV genome weight',
      'w-empty.csv',
      badWeight(''),
      genome,
      /CSV line 6, column 'weight': .* is empty/
    ],
    ['a .npy cut inside its header', 'cut.npy', npy.subarray(0, 40), genome, /truncated header/],
    ['a .npy cut inside its header length', 'cut9.npy', npy.subarray(0, 9), genome, /truncated header/],
    ['a .npy cut inside its magic', 'cut4.npy', npy.subarray(0, 4), genome, /truncated header/],
    [
      'a .npy with a header length beyond the file',
      'hlen.npy',
      Buffer.concat([npy.subarray(0, 8), Buffer.from([0xff, 0xff]), npy.subarray(10, 64)]),
      genome,
      /truncated header: the header is 65535 bytes/
    ],
    [
      'a CSV food layout with a duplicated column',
      'dup-food.csv',
      'x,y,x\n1,2,3\n',
      food,
      /duplicated column 'x'/
    ],
    [
      'a CSV food x of 0x2',
      'hex-food.csv',
      'x,y\n100,100\n0x2,5\n',
      food,
      /CSV line 3, column 'x': x of point 1 is not a decimal number: '0x2'/
    ],
    [
      'a CSV food y of Infinity',
      'inf-food.csv',
      'x,y\n100,Infinity\n',
      food,
      /CSV line 2, column 'y': y of point 0 is not finite: 'Infinity'/
    ],
    [
      'an empty CSV food cell',
      'empty-food.csv',
      'x,y\n100,\n',
      food,
      /CSV line 2, column 'y': y of point 0 is empty/
    ],
    [
      'a CSV food point beyond x = 1600',
      'out-x.csv',
      'x,y\n800,600\n1600.5,10\n',
      food,
      /point 1 \(1600\.5, 10\) is outside the arena 0\.\.1600 × 0\.\.1200/
    ],
    [
      'a JSON food point beyond y = 1200',
      'out-y.json',
      '[[800, 600], [10, 1201]]',
      food,
      /point 1 \(10, 1201\) is outside the arena 0\.\.1600 × 0\.\.1200/
    ],
    [
      'a JSON food point at negative x',
      'out-neg.json',
      '{"food": [[-1, 5]]}',
      food,
      /point 0 \(-1, 5\) is outside the arena/
    ],
    [
      'a JSON food point with three numbers',
      'three.json',
      '[[1, 2, 3]]',
      food,
      /point 0 is not \[x, y\] with two finite numbers: \[1,2,3\]/
    ],
    [
      'a JSON food layout of 10,001 points',
      'many.json',
      JSON.stringify(Array.from({ length: 10_001 }, () => [5, 5])),
      food,
      /10001 food points, over the limit of 10000/
    ],
    ['an empty --genome path', '', '', () => ['rollout', '--genome', ''], /genome file: the path is empty/],
    ['an empty --food path', '', '', () => ['rollout', '--food', ''], /food layout: the path is empty/],
    [
      'an empty --config',
      '',
      '',
      (_f, n) => ['train', '--algo', 'es', '--config', '', '--db', n],
      /--config is empty/
    ]
  ]
  it.each(cases)('refuses %s', (_name, name, content, args, message) => {
    const { dir, db, newDb } = freshCase()
    const file = join(dir, name || 'unused')
    if (name) writeFileSync(file, content)
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    const r = lab(args(file, newDb))
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe('')
    expectOneError(r.stderr, message, ...(name ? [new RegExp(escape(name))] : []))
    expectNothingWritten(dir, before, db, dbBytes, newDb)
  })

  it('replay refuses a food point outside the arena before opening the workspace', () => {
    const { dir, db, newDb } = freshCase()
    const f = join(dir, 'far.json')
    writeFileSync(f, '[[2000, 100]]')
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    const r = lab(['replay', runId, '--trace', join(dir, 't.json'), '--food', f, '--db', db])
    expect(r.code).not.toBe(0)
    expectOneError(r.stderr, /far\.json': point 0 \(2000, 100\) is outside the arena/)
    expectNothingWritten(dir, before, db, dbBytes, newDb)
  })

  it('still reads valid files: a CSV genome with blank lines and a BOM, a CSV layout on the arena edge', () => {
    const dir = freshCase().dir
    const g = join(dir, 'g.csv')
    writeFileSync(g, '\ufeff' + genomeCsv())
    const f = join(dir, 'edge.csv')
    writeFileSync(f, 'x,y\r\n0,0\r\n1600,1200\r\n\r\n820.5,6e2\r\n')
    const r = lab(['rollout', '--genome', g, '--food', f, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ task: 'edge', l0: 0 })
    const j = join(dir, 'g.json')
    writeFileSync(j, JSON.stringify(genomeToJson(c, c.w0)))
    expect(lab(['rollout', '--genome', j, '--json']).code).toBe(0)
  })
})

describe('class 8: every output path is checked before any work', () => {
  type Out = [name: string, args: (p: { dir: string; db: string; newDb: string; target: string }) => string[]]
  const commands: Out[] = [
    [
      'train --out',
      ({ newDb, target }) => [
        'train',
        '--algo',
        'es',
        '--generations',
        '1',
        '--workers',
        '1',
        '--out',
        target,
        '--db',
        newDb
      ]
    ],
    ['export --out', ({ db, target }) => ['export', runId, '--out', target, '--db', db]],
    [
      'export --format npy --out',
      ({ db, target }) => ['export', runId, '--format', 'npy', '--out', target, '--db', db]
    ],
    [
      'export --metrics --out',
      ({ db, target }) => ['export', runId, '--metrics', '--out', target, '--db', db]
    ],
    ['replay --trace', ({ db, target }) => ['replay', runId, '--trace', target, '--db', db]],
    ['rollout --trace', ({ target }) => ['rollout', '--trace', target]]
  ]
  type Bad = [kind: string, target: (dir: string, db: string) => string, message: RegExp]
  const bad: Bad[] = [
    [
      'a missing directory',
      (d) => join(d, 'missing', 'dir', 'best.json'),
      /directory '.*missing\/dir' does not exist/
    ],
    ['a read-only directory', (d) => join(d, 'ro', 'best.json'), /directory '.*ro' is read-only/],
    ['an existing directory', (d) => join(d, 'outdir'), /'.*outdir' is a directory, not a file/],
    ['a path ending in /', (d) => join(d, 'new') + '/', /names a directory, not a file/],
    ['a FIFO', (d) => join(d, 'out.fifo'), /is a FIFO \(named pipe\); the lab writes only regular files/],
    [
      '/dev/null',
      () => '/dev/null',
      /'\/dev\/null' is a character device; the lab writes only regular files/
    ],
    ['a read-only file', (d) => join(d, 'locked.json'), /'.*locked\.json' is read-only/],
    ['an empty path', () => '', /the output path is empty/],
    [
      'a file inside a regular file',
      (d) => join(d, 'plain.txt', 'x.json'),
      /'.*plain\.txt' (is not a directory|does not exist)/
    ]
  ]
  // Every kind for each command; the export variants (same option, other data) with a few.
  const few = new Set(['a missing directory', 'a read-only directory', 'an empty path'])
  const cases = commands.flatMap(([name, args]) =>
    bad
      .filter(([kind]) => !/npy|metrics/.test(name) || few.has(kind))
      .map(([kind, target, msg]) => [name, kind, args, target, msg] as const)
  )
  it.each(cases)('%s refuses %s', async (name, _kind, args, target, message) => {
    const { dir, db, newDb } = freshCase()
    mkdirSync(join(dir, 'ro'))
    chmodSync(join(dir, 'ro'), 0o555)
    mkdirSync(join(dir, 'outdir'))
    execFileSync('mkfifo', [join(dir, 'out.fifo')])
    writeFileSync(join(dir, 'locked.json'), 'keep')
    chmodSync(join(dir, 'locked.json'), 0o444)
    writeFileSync(join(dir, 'plain.txt'), 'plain')
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    const t = target(dir, db)
    // A FIFO output opened for writing would block: the same hang guard as for inputs.
    const r = await labLimited(args({ dir, db, newDb, target: t }), 60_000, join(root, `mem-${caseNo}`))
    expect(r.timedOut, `${name} hung`).toBe(false)
    expect(r.code).not.toBe(0)
    expect(r.stdout, 'work was done before the refusal').toBe('')
    expectOneError(r.stderr, new RegExp(escape(name.split(' ').pop()!)), message)
    expectNothingWritten(dir, before, db, dbBytes, newDb)
    expect(readdirSync(join(dir, 'ro'))).toEqual([])
    chmodSync(join(dir, 'ro'), 0o755)
  })

  it('refuses an output that is the workspace database itself (or its -wal), leaving it intact', () => {
    const { dir, db, newDb } = freshCase()
    const before = snapshot(dir)
    const dbBytes = readFileSync(db)
    for (const args of [
      ['train', '--algo', 'es', '--out', db, '--db', db],
      ['export', runId, '--out', db, '--db', db],
      ['replay', runId, '--trace', `${db}-wal`, '--db', db]
    ]) {
      const r = lab(args)
      expect(r.code, args.join(' ')).not.toBe(0)
      expectOneError(r.stderr, /is the workspace database '.*w\.db'; pick another file/)
    }
    expectNothingWritten(dir, before, db, dbBytes, newDb)
  })

  it('train checks --out before it creates the workspace or trains (the issue’s own example)', () => {
    const { dir, newDb } = freshCase()
    const r = lab([
      'train',
      '--algo',
      'renomad',
      '--out',
      join(dir, 'unwritable', 'dir', 'best.json'),
      '--db',
      newDb
    ])
    expect(r.code).not.toBe(0)
    expectOneError(
      r.stderr,
      /--out '.*unwritable\/dir\/best\.json': directory '.*unwritable\/dir' does not exist/
    )
    expect(existsSync(newDb)).toBe(false)
    expect(existsSync(`${newDb}-wal`)).toBe(false)
  })

  it('still writes valid outputs atomically, with no temporary file left', () => {
    const { dir, db } = freshCase()
    const out = join(dir, 'best.npy')
    expect(lab(['export', runId, '--format', 'npy', '--out', out, '--db', db]).code).toBe(0)
    expect(readFileSync(out).subarray(1, 6).toString()).toBe('NUMPY')
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })
})
