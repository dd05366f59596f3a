import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations'

export class MigrationError extends Error {
  override name = 'MigrationError'
}

export const migrationHash = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex')

/**
 * Brings a database up to the newest schema. Applied migrations are checked against their recorded hash
 * first (an edited applied migration is refused before anything runs); pending ones then run in order,
 * each in its own transaction together with its bookkeeping row.
 */
export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)`)
  const applied = db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all() as {
    version: number
    name: string
    hash: string
  }[]
  const known = new Map(migrations.map((m) => [m.version, m]))
  for (const row of applied) {
    const m = known.get(row.version)
    if (!m) {
      throw new MigrationError(
        `database schema version ${row.version} ('${row.name}') is newer than this Connectome Lab knows: upgrade the app`
      )
    }
    if (migrationHash(m) !== row.hash) {
      throw new MigrationError(
        `migration ${m.version} ('${m.name}') was edited after it was applied to this database ` +
          `(recorded hash ${row.hash.slice(0, 12)}…, now ${migrationHash(m).slice(0, 12)}…); refusing to continue`
      )
    }
  }
  const done = new Set(applied.map((r) => r.version))
  const ran: number[] = []
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)'
  )
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue
    db.transaction(() => {
      db.exec(m.sql)
      record.run(m.version, m.name, migrationHash(m), new Date().toISOString())
    })()
    ran.push(m.version)
  }
  return ran
}
