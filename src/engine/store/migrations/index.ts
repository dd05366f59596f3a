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
  },
  {
    version: 3,
    name: 'environments, named metrics, sparse genomes, cross-process stop requests',
    sql: `
ALTER TABLE runs ADD COLUMN environment TEXT NOT NULL DEFAULT 'worm';
ALTER TABLE runs ADD COLUMN env_spec TEXT NOT NULL DEFAULT '{}';
ALTER TABLE runs ADD COLUMN genome_length INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN layout_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN stop_request TEXT CHECK (stop_request IN ('pause','cancel'));
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
UPDATE runs SET
  env_spec = json_object('id', 'worm', 'connectome', connectome, 'task', task,
    'model', json(COALESCE(json_extract(config, '$.model'), '{}'))),
  config = json_remove(config, '$.task', '$.model'),
  layout_hash = pairs_hash,
  genome_length = COALESCE((SELECT length(g.weights) / 8 / g.count FROM genomes g
    WHERE g.run_id = runs.id AND g.kind = 'best' LIMIT 1), 0);
CREATE TABLE generations_v3 (
  run_id         TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  generation     INTEGER NOT NULL,
  evaluations    INTEGER NOT NULL,
  wall_seconds   REAL NOT NULL,
  best_fitness   REAL NOT NULL,
  mean_fitness   REAL NOT NULL,
  worst_fitness  REAL NOT NULL,
  best_metrics   TEXT NOT NULL,
  rollout_ms     REAL NOT NULL DEFAULT 0,
  mads_ms        REAL NOT NULL DEFAULT 0,
  algorithm_ms   REAL NOT NULL DEFAULT 0,
  transport_ms   REAL NOT NULL DEFAULT 0,
  workers        INTEGER NOT NULL DEFAULT 1,
  genome_generation INTEGER,
  PRIMARY KEY (run_id, generation)
);
INSERT INTO generations_v3
  SELECT run_id, generation, evaluations, wall_seconds, best_fitness, mean_fitness, worst_fitness,
    json_object('foodEaten', best_food, 'reward', best_reward, 'l0', best_l0, 'l2', best_l2),
    rollout_ms, mads_ms, algorithm_ms, transport_ms, workers, generation
  FROM generations;
DROP TABLE generations;
ALTER TABLE generations_v3 RENAME TO generations;
ALTER TABLE genomes ADD COLUMN indices BLOB;
`
  },
  {
    version: 4,
    name: 'analyses of runs (the Hebbian paper figures)',
    sql: `
CREATE TABLE analyses (
  id          TEXT PRIMARY KEY,
  run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  against_id  TEXT REFERENCES runs(id) ON DELETE SET NULL,
  params      TEXT NOT NULL,
  result      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX analyses_by_run ON analyses(run_id, created_at);
CREATE INDEX analyses_by_against ON analyses(against_id);
`
  }
]
