import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
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
