/**
 * Numbered schema migrations. Each runs once, in its own transaction; its SHA-256 is recorded so that
 * an edited migration that was already applied is refused. Never edit a shipped migration: add one.
 * The schema is documented for sqlite3-shell users in docs/store.md.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, metrics, genomes, checkpoints',
    sql: `
CREATE TABLE runs (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  algorithm     TEXT NOT NULL,
  task          TEXT NOT NULL,
  config        TEXT NOT NULL,
  seed          INTEGER NOT NULL,
  connectome    TEXT NOT NULL,
  pairs_hash    TEXT NOT NULL,
  code_version  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('queued','running','paused','completed','cancelled','failed')),
  budget        TEXT NOT NULL,
  tags          TEXT NOT NULL DEFAULT '[]',
  notes         TEXT NOT NULL DEFAULT '',
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  finished_at   TEXT
);
CREATE TABLE generations (
  run_id         TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  generation     INTEGER NOT NULL,
  evaluations    INTEGER NOT NULL,
  wall_seconds   REAL NOT NULL,
  best_fitness   REAL NOT NULL,
  mean_fitness   REAL NOT NULL,
  worst_fitness  REAL NOT NULL,
  best_food      INTEGER NOT NULL,
  best_reward    REAL NOT NULL,
  best_l0        INTEGER NOT NULL,
  best_l2        REAL NOT NULL,
  PRIMARY KEY (run_id, generation)
);
CREATE TABLE genomes (
  run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  generation  INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('best','population')),
  count       INTEGER NOT NULL,
  fitness     REAL,
  weights     BLOB NOT NULL,
  PRIMARY KEY (run_id, generation, kind)
);
CREATE TABLE checkpoints (
  run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  generation  INTEGER NOT NULL,
  state       BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (run_id, generation)
);
`
  },
  {
    version: 2,
    name: 'sweeps, run ownership and per-generation time profile',
    sql: `
CREATE TABLE sweeps (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  design      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
ALTER TABLE runs ADD COLUMN sweep_id TEXT REFERENCES sweeps(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE generations ADD COLUMN rollout_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN mads_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN algorithm_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN transport_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN workers INTEGER NOT NULL DEFAULT 1;
CREATE INDEX runs_by_sweep ON runs(sweep_id);
CREATE INDEX runs_by_status ON runs(status);
`
  }
]
