import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { deflateRawSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint } from '../../src/engine/store/blobs'
import { migrate } from '../../src/engine/store/migrate'
import { MIGRATIONS } from '../../src/engine/store/migrations'
import { Store } from '../../src/engine/store/store'
import { tempDir } from '../helpers/cli'

const newRun = {
  algorithm: 'ea',
  task: 'pentagon',
  envSpec: { id: 'worm' as const, connectome: 'gopigo2014', task: 'pentagon', model: {} },
  genomeLength: 3689,
  layoutHash: 'x',
  config: { populationSize: 4 },
  seed: 1,
  codeVersion: 'test',
  budget: { generations: 2 }
}

describe('migrations', () => {
  it('upgrades a database of the previous schema, keeping its data', () => {
    const path = join(tempDir(), 'old.db')
    const old = new Database(path)
    migrate(old, MIGRATIONS.slice(0, 1))
    old
      .prepare(
        `INSERT INTO runs (id, name, algorithm, task, config, seed, connectome, pairs_hash, code_version, status, budget, created_at, updated_at)
         VALUES ('r1', 'old run', 'ea', 'pentagon', '{}', 3, 'gopigo2014', 'h', 'v0', 'completed', '{}', 't', 't')`
      )
      .run()
    old.close()
    const store = Store.open(path)
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })))
    const run = store.getRun('r1')
    expect(run).toMatchObject({ name: 'old run', seed: 3, status: 'completed', sweepId: null })
    expect(run).toMatchObject({
      environment: 'worm',
      layoutHash: 'h',
      envSpec: { id: 'worm', task: 'pentagon' }
    })
    expect(store.createSweep('s', {}).id).toMatch(/^s/) // a table added by a newer migration
    store.close()
  })
  it('refuses a database whose applied migration was edited, changing nothing', () => {
    const path = join(tempDir(), 'edited.db')
    const db = new Database(path)
    migrate(db)
    const edited = MIGRATIONS.map((m) =>
      m.version === 1 ? { ...m, sql: m.sql.replace('notes', 'remarks') } : m
    )
    const before = db.prepare('SELECT * FROM schema_migrations').all()
    expect(() => migrate(db, edited)).toThrow(/migration 1 .* was edited after it was applied/)
    expect(db.prepare('SELECT * FROM schema_migrations').all()).toEqual(before)
    db.close()
  })
  it('rolls a failing migration back completely', () => {
    const db = new Database(':memory:')
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE t99 (a); INSERT INTO nope VALUES (1);' }
    ]
    expect(() => migrate(db, broken)).toThrow(/no such table: nope/)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't99'").all()).toEqual([])
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({
      v: MIGRATIONS.length
    })
  })
  it('refuses a database from a newer version of the app', () => {
    const db = new Database(':memory:')
    migrate(db)
    expect(() => migrate(db, MIGRATIONS.slice(0, 1))).toThrow(/schema version 2 .* is newer/)
    expect(() => migrate(db, MIGRATIONS.slice(0, 2))).toThrow(/schema version 3 .* is newer/)
  })
})

describe('store: bad input writes nothing', () => {
  it('refuses a corrupt database file and leaves it untouched', () => {
    const dir = tempDir()
    const path = join(dir, 'corrupt.db')
    writeFileSync(path, Buffer.from('this is not a database at all, just some text'.repeat(20)))
    const hash = () => createHash('sha256').update(readFileSync(path)).digest('hex')
    const before = hash()
    expect(() => Store.open(path)).toThrow(/not a SQLite database/)
    expect(hash()).toBe(before)
    expect(existsSync(path + '-wal')).toBe(false)
  })
  it('refuses a damaged SQLite file', () => {
    const dir = tempDir()
    const path = join(dir, 'damaged.db')
    const good = Store.open(path)
    good.createRun(newRun)
    good.close()
    const bytes = readFileSync(path)
    bytes.fill(0xab, 100, bytes.length) // keep the magic, destroy the rest
    writeFileSync(path, bytes)
    expect(() => Store.open(path)).toThrow(/corrupt|not a database|malformed|cannot use/)
  })
  it('refuses a read-only directory', () => {
    const dir = tempDir()
    chmodSync(dir, 0o555)
    try {
      expect(() => Store.open(join(dir, 'w.db'))).toThrow(/read-only/)
      expect(existsSync(join(dir, 'w.db'))).toBe(false)
    } finally {
      chmodSync(dir, 0o755)
    }
  })
  it('refuses a missing directory and an unknown run id', () => {
    expect(() => Store.open('/nonexistent-dir/w.db')).toThrow(/does not exist/)
    const store = Store.open(join(tempDir(), 'w.db'))
    expect(() => store.getRun('nope')).toThrow(/unknown run 'nope'/)
    expect(() => store.deleteRun('nope')).toThrow(/unknown run/)
    store.close()
  })
})

describe('store', () => {
  it('uses WAL mode and resolves unique id prefixes', () => {
    const store = Store.open(join(tempDir(), 'w.db'))
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    const a = store.createRun(newRun)
    expect(store.getRun(a.id.slice(0, 9)).id).toBe(a.id)
    store.close()
  })
})

describe('store: opening modes and databases that are not ours', () => {
  it('creates nothing without create, and refuses an empty path', () => {
    const dir = tempDir()
    expect(() => Store.open(join(dir, 'w.db'), { create: false })).toThrow(
      /no workspace at '.*w\.db' \(the file does not exist\)/
    )
    expect(() => Store.open(join(dir, 'sub', 'w.db'), { create: false })).toThrow(/no workspace at/)
    writeFileSync(join(dir, 'empty.db'), '')
    expect(() => Store.open(join(dir, 'empty.db'), { create: false })).toThrow(/an empty database/)
    expect(readdirSync(dir)).toEqual(['empty.db'])
    expect(readFileSync(join(dir, 'empty.db')).length).toBe(0)
    expect(() => Store.open('')).toThrow(/a workspace needs a path/)
    expect(() => Store.open('  ', { create: true })).toThrow(/a workspace needs a path/)
    Store.open(join(dir, 'empty.db'), { create: true }).close() // an empty file becomes a workspace
    Store.open(join(dir, 'empty.db'), { create: false }).close()
  })

  it("refuses another application's database and a newer one without writing, in rollback mode", () => {
    const dir = tempDir()
    const foreign = join(dir, 'other.db')
    const f = new Database(foreign)
    f.exec('CREATE TABLE notes (body TEXT)')
    f.close()
    const newer = join(dir, 'newer.db')
    const n = new Database(newer)
    migrate(n)
    n.prepare("INSERT INTO schema_migrations VALUES (99, 'later', 'x', 't')").run()
    n.close()
    const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')
    const before = [hash(foreign), hash(newer)]
    for (const create of [true, false]) {
      expect(() => Store.open(foreign, { create })).toThrow(/is not a Connectome Lab workspace: .*'notes'/)
      expect(() => Store.open(newer, { create })).toThrow(/schema version 99 \('later'\) is newer/)
    }
    expect([hash(foreign), hash(newer)]).toEqual(before)
    expect(readFileSync(foreign)[18]).toBe(1) // still a rollback journal, not WAL
    expect(readFileSync(newer)[18]).toBe(1)
    expect(readdirSync(dir).sort()).toEqual(['newer.db', 'other.db'])
  })
})

describe('store: run ids', () => {
  it('refuses empty, blank, malformed and short references; an exact id of any length is found', () => {
    const store = Store.open(join(tempDir(), 'w.db'))
    const a = store.createRun(newRun)
    for (const [ref, message] of [
      ['', /a run id is needed/],
      [' ', /a run id is needed/],
      ['r%', /"r%" is not a run id/],
      [a.id.slice(0, 2), /too short: give at least 3 characters/]
    ] as const) {
      expect(() => store.getRun(ref), ref).toThrow(message)
      expect(() => store.deleteRun(ref), ref).toThrow(message)
    }
    expect(() => store.getRun('')).toThrow(expect.objectContaining({ code: 'invalid-id' }))
    expect(store.getRun(a.id.slice(0, 3)).id).toBe(a.id)
    store.db.prepare("UPDATE runs SET id = 'r1' WHERE id = ?").run(a.id)
    expect(store.getRun('r1').name).toBe(a.name)
    expect(store.listRuns({ sweepId: '' })).toEqual([]) // an empty filter filters, it is not "all"
    store.close()
  })
})

describe('store: checkpoints', () => {
  const snapshot = (g: number) => ({ version: 1, generation: g, data: new Float64Array([g, 1, 2]) })
  const record = (store: Store, id: string, g: number) =>
    store.recordGenerations(id, {
      records: [
        {
          metric: {
            generation: g,
            evaluations: g * 4,
            wallSeconds: g,
            bestFitness: g,
            meanFitness: g,
            worstFitness: g,
            metrics: {},
            rolloutMs: 0,
            madsMs: 0,
            algorithmMs: 0,
            transportMs: 0,
            workers: 1,
            genomeGeneration: g
          },
          best: new Float64Array([g])
        }
      ],
      checkpoint: { generation: g, snapshot: snapshot(g) as never, population: [new Float64Array([g])] },
      prior: null
    })

  it('keeps the two newest, names a damaged one, and rolls back to the previous in one transaction', () => {
    const store = Store.open(join(tempDir(), 'w.db'))
    const { id } = store.createRun({ ...newRun, genomeLength: 1 })
    store.claimRun(id) // only the process that holds a run writes into it
    for (const g of [1, 2, 3]) record(store, id, g)
    const gens = () =>
      (
        store.db.prepare('SELECT generation FROM checkpoints WHERE run_id = ?').all(id) as {
          generation: number
        }[]
      ).map((r) => r.generation)
    expect(gens()).toEqual([2, 3])
    expect(store.lastCheckpoint(id)!.snapshot).toEqual(snapshot(3))
    expect(() => store.rollbackToPreviousCheckpoint(id)).toThrow(
      /newest checkpoint \(generation 3\) is intact/
    )

    // A flipped bit that still inflates is caught by the checksum.
    const state = (
      store.db.prepare('SELECT state FROM checkpoints WHERE generation = 3').get() as { state: Buffer }
    ).state
    const damaged = Buffer.from(state)
    damaged[damaged.length - 2] ^= 0x01
    store.db.prepare('UPDATE checkpoints SET state = ? WHERE generation = 3').run(damaged)
    expect(() => store.lastCheckpoint(id)).toThrow(
      new RegExp(`run ${id}: its checkpoint of generation 3 is damaged .*generation 2, is intact`)
    )
    expect(() => store.lastCheckpoint(id)).toThrow(expect.objectContaining({ code: 'corrupt-checkpoint' }))
    expect(store.rollbackToPreviousCheckpoint(id)).toEqual({ damaged: 3, resumeFrom: 2 })
    expect(gens()).toEqual([2])
    expect(store.metrics(id).map((m) => m.generation)).toEqual([1, 2])
    expect(store.getRun(id).generation).toBe(2)
    expect(store.bestGenome(id, null).weights).toEqual(new Float64Array([2]))
    expect(
      store.db.prepare('SELECT COUNT(*) AS n FROM genomes WHERE run_id = ? AND generation > 2').get(id)
    ).toEqual({
      n: 0
    })
    expect(store.lastCheckpoint(id)!.snapshot).toEqual(snapshot(2))
    store.close()
  })

  it('still reads the checkpoints of the earlier encodings', () => {
    const raw = serialize(snapshot(5))
    expect(decodeCheckpoint(raw)).toEqual(snapshot(5)) // schema v2: plain v8
    const deflated = Buffer.concat([Buffer.from([1]), deflateRawSync(raw)])
    expect(decodeCheckpoint(deflated)).toEqual(snapshot(5))
    expect(() => decodeCheckpoint(deflated.subarray(0, 10))).toThrow(/cannot (inflate|deserialise) it/)
    expect(() => decodeCheckpoint(Buffer.from([7, 1, 2]))).toThrow(/unknown encoding 0x7/)
    expect(encodeCheckpoint(snapshot(5))[0]).toBe(2)
  })
})
