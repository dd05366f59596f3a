import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations'

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** A SQLite database that is not a Connectome Lab workspace (another application's). */
export class ForeignDatabaseError extends MigrationError {
  override name = 'ForeignDatabaseError'
}

export const migrationHash = (m: Migration): string => createHash('sha256').update(m.sql).digest('hex')

interface AppliedRow {
  version: number
  name: string
  hash: string
}

/** What a database holds: nothing yet (`empty`), or a workspace with the migrations still to apply. */
export type SchemaState = { kind: 'empty' } | { kind: 'workspace'; pending: Migration[] }

const sorted = (migrations: Migration[]) => [...migrations].sort((a, b) => a.version - b.version)

/**
 * Reads what a database holds, without writing anything (it works on a `query_only` connection), and
 * refuses a database this version must not touch:
 * - another application's: tables but no `schema_migrations`, a `schema_migrations` of another shape, or
 *   one whose applied migrations are none of ours (`ForeignDatabaseError`);
 * - a workspace of a newer version of the app, or one whose applied migration was edited (`MigrationError`).
 */
export function inspectSchema(db: Database.Database, migrations: Migration[] = MIGRATIONS): SchemaState {
  const tables = (
    db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`
      )
      .all() as { name: string }[]
  ).map((t) => t.name)
  const others = tables.filter((t) => t !== 'schema_migrations')
  const named = (names: string[]) =>
    names
      .slice(0, 5)
      .map((n) => `'${n}'`)
      .join(', ') + (names.length > 5 ? `, … (${names.length} tables)` : '')
  if (!tables.includes('schema_migrations')) {
    if (others.length === 0) return { kind: 'empty' }
    throw new ForeignDatabaseError(
      `not a Connectome Lab workspace: a SQLite database with other tables (${named(others)}) and no schema_migrations`
    )
  }
  const columns = new Set(
    (db.prepare(`SELECT name FROM pragma_table_info('schema_migrations')`).all() as { name: string }[]).map(
      (c) => c.name
    )
  )
  if (!['version', 'name', 'hash'].every((c) => columns.has(c)))
    throw new ForeignDatabaseError(
      `not a Connectome Lab workspace: its schema_migrations table is another application's (columns ${[...columns].join(', ')})`
    )
  const applied = db
    .prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version')
    .all() as AppliedRow[]
  if (applied.length === 0) {
    // A workspace whose first migration never committed (an older version made the table first).
    if (others.length === 0) return { kind: 'empty' }
    throw new ForeignDatabaseError(
      `not a Connectome Lab workspace: an empty schema_migrations next to other tables (${named(others)})`
    )
  }
  const known = new Map(migrations.map((m) => [m.version, m]))
  // Ours when at least one applied migration is one of ours, by its hash or by its name.
  const ours = applied.some((r) => {
    const m = known.get(r.version)
    return m !== undefined && (migrationHash(m) === r.hash || m.name === r.name)
  })
  if (!ours) {
    const first = applied[0]
    throw new ForeignDatabaseError(
      `not a Connectome Lab workspace: its schema_migrations records migrations that are not ours ` +
        `(version ${first.version} '${first.name}')`
    )
  }
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
  return { kind: 'workspace', pending: sorted(migrations).filter((m) => !done.has(m.version)) }
}

/**
 * Brings a database up to the newest schema. What is applied is checked first (inspectSchema: a foreign,
 * newer or edited database is refused before anything runs). Each pending migration then runs in its own
 * `BEGIN IMMEDIATE` transaction together with its bookkeeping row, and what is applied is read again
 * inside that lock: another process opening the same new workspace at the same moment waits for the
 * lock (the connection's busy_timeout), then finds the migration done and skips it.
 */
export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): number[] {
  const ran: number[] = []
  if (!needsMigration(db, migrations)) return ran
  const record = (m: Migration) =>
    db
      .prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)')
      .run(m.version, m.name, migrationHash(m), new Date().toISOString())
  const step = db.transaction((): number | null => {
    const state = inspectSchema(db, migrations)
    const next = state.kind === 'empty' ? sorted(migrations)[0] : state.pending[0]
    if (!next) return null
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)`)
    db.exec(next.sql)
    record(next)
    return next.version
  })
  for (;;) {
    const version = step.immediate()
    if (version === null) return ran
    ran.push(version)
  }
}

/** Whether migrate has work to do (read without taking the write lock; refuses what inspectSchema refuses). */
function needsMigration(db: Database.Database, migrations: Migration[]): boolean {
  const state = inspectSchema(db, migrations)
  return state.kind === 'empty' ? migrations.length > 0 : state.pending.length > 0
}
