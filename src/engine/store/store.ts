import { randomBytes } from 'node:crypto'
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import Database from 'better-sqlite3'
import type { AlgorithmSnapshot, GenerationReport } from '../../core/training/types'
import { migrate } from './migrate'

export class StoreError extends Error {
  override name = 'StoreError'
}

export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed'

export interface Budget {
  generations?: number
  evaluations?: number
  seconds?: number
}

export interface RunRow {
  id: string
  name: string
  algorithm: string
  task: string
  config: Record<string, unknown>
  seed: number
  connectome: string
  pairsHash: string
  codeVersion: string
  status: RunStatus
  budget: Budget
  sweepId: string | null
  tags: string[]
  notes: string
  error: string | null
  /** Process running the run (status 'running'); a dead owner means the run was interrupted. */
  ownerPid: number | null
  createdAt: string
  updatedAt: string
  finishedAt: string | null
  /** Derived from the metrics: generations done, evaluations used and the best food eaten so far. */
  generation: number
  evaluations: number
  bestFoodEaten: number | null
  bestFitness: number | null
  wallSeconds: number
}

export interface NewRun {
  name?: string
  algorithm: string
  task: string
  config: Record<string, unknown>
  seed: number
  connectome: string
  pairsHash: string
  codeVersion: string
  budget: Budget
  sweepId?: string | null
  tags?: string[]
  notes?: string
}

export interface MetricRow {
  generation: number
  evaluations: number
  wallSeconds: number
  bestFitness: number
  meanFitness: number
  worstFitness: number
  bestFood: number
  bestReward: number
  bestL0: number
  bestL2: number
  rolloutMs: number
  madsMs: number
  algorithmMs: number
  transportMs: number
  /** Worker processes that served the generation. */
  workers: number
}

const SQLITE_MAGIC = 'SQLite format 3\u0000'

export const toBlob = (a: Float64Array): Buffer =>
  Buffer.from(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))
export const fromBlob = (b: Buffer): Float64Array => {
  const copy = new Uint8Array(b.byteLength)
  copy.set(b)
  return new Float64Array(copy.buffer)
}

const now = (): string => new Date().toISOString()

/** One workspace = one SQLite file (WAL mode), schema kept by numbered migrations. */
export class Store {
  private constructor(
    readonly db: Database.Database,
    readonly path: string
  ) {}

  /** Opens (or creates) a workspace database. Refuses, without writing anything, files it cannot use. */
  static open(path: string): Store {
    if (existsSync(path)) {
      if (!statSync(path).isFile()) throw new StoreError(`'${path}' is not a file`)
      const head = Buffer.alloc(16)
      const fd = openSync(path, 'r')
      const n = readSync(fd, head, 0, 16, 0)
      closeSync(fd)
      if (n > 0 && head.toString('latin1', 0, n) !== SQLITE_MAGIC.slice(0, n)) {
        throw new StoreError(
          `'${path}' is not a SQLite database (corrupt or another kind of file); it was left untouched`
        )
      }
      if (n > 0 && n < 16)
        throw new StoreError(`'${path}' is a truncated SQLite database; it was left untouched`)
    } else {
      const dir = dirname(path)
      if (!existsSync(dir)) throw new StoreError(`cannot create '${path}': directory '${dir}' does not exist`)
      // A directory without write bits is read-only for us too, even when running as root.
      let writable = (statSync(dir).mode & 0o222) !== 0
      try {
        accessSync(dir, constants.W_OK)
      } catch {
        writable = false
      }
      if (!writable) throw new StoreError(`cannot create '${path}': directory '${dir}' is read-only`)
    }
    let db: Database.Database
    try {
      db = new Database(path)
    } catch (e) {
      throw new StoreError(`cannot open '${path}': ${(e as Error).message}`)
    }
    try {
      db.pragma('journal_mode = WAL')
      db.pragma('foreign_keys = ON')
      db.pragma('busy_timeout = 5000')
      migrate(db)
    } catch (e) {
      db.close()
      const msg = (e as Error).message
      if (/readonly|read-only|unable to open/i.test(msg))
        throw new StoreError(`cannot write '${path}': ${msg}`)
      if (/not a database|malformed/i.test(msg)) throw new StoreError(`'${path}' is corrupt: ${msg}`)
      throw e instanceof StoreError ? e : new StoreError(`cannot use '${path}': ${msg}`)
    }
    return new Store(db, path)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  createRun(input: NewRun): RunRow {
    const id = `r${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`
    const t = now()
    this.db
      .prepare(
        `INSERT INTO runs (id, name, algorithm, task, config, seed, connectome, pairs_hash, code_version, status,
           budget, sweep_id, tags, notes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`
      )
      .run(
        id,
        input.name ?? `${input.algorithm} ${input.task} s${input.seed}`,
        input.algorithm,
        input.task,
        JSON.stringify(input.config),
        input.seed,
        input.connectome,
        input.pairsHash,
        input.codeVersion,
        JSON.stringify(input.budget),
        input.sweepId ?? null,
        JSON.stringify(input.tags ?? []),
        input.notes ?? '',
        t,
        t
      )
    return this.getRun(id)
  }

  /** A run by id or unique id prefix. */
  getRun(idOrPrefix: string): RunRow {
    const rows = this.db
      .prepare(`${RUN_SELECT} WHERE r.id = ? OR r.id LIKE ? ESCAPE '\\' LIMIT 2`)
      .all(idOrPrefix, idOrPrefix.replace(/[%_\\]/g, '\\$&') + '%') as RawRun[]
    const exact = rows.find((r) => r.id === idOrPrefix)
    if (exact) return toRun(exact)
    if (rows.length === 0) throw new StoreError(`unknown run '${idOrPrefix}'`)
    if (rows.length > 1) throw new StoreError(`run id '${idOrPrefix}' is ambiguous`)
    return toRun(rows[0])
  }

  listRuns(filter: { sweepId?: string; status?: RunStatus } = {}): RunRow[] {
    const where: string[] = []
    const args: unknown[] = []
    if (filter.sweepId) {
      where.push('r.sweep_id = ?')
      args.push(filter.sweepId)
    }
    if (filter.status) {
      where.push('r.status = ?')
      args.push(filter.status)
    }
    const sql = `${RUN_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.created_at, r.id`
    return (this.db.prepare(sql).all(...args) as RawRun[]).map(toRun)
  }

  /** Sets a run's status; a running run records the process that owns it. */
  setStatus(id: string, status: RunStatus, error: string | null = null): void {
    const finished = ['completed', 'cancelled', 'failed'].includes(status) ? now() : null
    const r = this.db
      .prepare(
        'UPDATE runs SET status = ?, error = ?, updated_at = ?, finished_at = ?, owner_pid = ? WHERE id = ?'
      )
      .run(status, error, now(), finished, status === 'running' ? process.pid : null, id)
    if (r.changes === 0) throw new StoreError(`unknown run '${id}'`)
  }

  updateMeta(id: string, meta: { name?: string; tags?: string[]; notes?: string }): void {
    const run = this.getRun(id)
    this.db
      .prepare('UPDATE runs SET name = ?, tags = ?, notes = ?, updated_at = ? WHERE id = ?')
      .run(
        meta.name ?? run.name,
        JSON.stringify(meta.tags ?? run.tags),
        meta.notes ?? run.notes,
        now(),
        run.id
      )
  }

  /**
   * Everything a generation produces, in one transaction: its metrics, the best genome, the checkpoint
   * (older checkpoints beyond `keepCheckpoints` are pruned) and, when given, the population (replacing
   * the previous one, so the run keeps its final population).
   */
  recordGeneration(
    id: string,
    g: {
      report: GenerationReport
      wallSeconds: number
      transportMs: number
      workers: number
      best: Float64Array
      snapshot: AlgorithmSnapshot
      population?: Float64Array[]
      keepCheckpoints?: number
    }
  ): void {
    const r = g.report
    const gen = r.generation
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO generations (run_id, generation, evaluations, wall_seconds, best_fitness, mean_fitness,
             worst_fitness, best_food, best_reward, best_l0, best_l2, rollout_ms, mads_ms, algorithm_ms, transport_ms, workers)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          id,
          gen,
          r.totalEvaluations,
          g.wallSeconds,
          r.best.fitness,
          r.meanFitness,
          r.worstFitness,
          r.best.foodEaten,
          r.best.reward,
          r.best.l0,
          r.best.l2,
          r.rolloutMs,
          r.madsMs,
          r.algorithmMs,
          g.transportMs,
          g.workers
        )
      this.putGenome(id, gen, 'best', [g.best], r.best.fitness)
      if (g.population) {
        // Only the latest (final) population is kept: one blob of N genomes per run.
        this.putGenome(id, gen, 'population', g.population, null)
        this.db
          .prepare(`DELETE FROM genomes WHERE run_id = ? AND kind = 'population' AND generation < ?`)
          .run(id, gen)
      }
      this.db
        .prepare(
          'INSERT OR REPLACE INTO checkpoints (run_id, generation, state, created_at) VALUES (?, ?, ?, ?)'
        )
        .run(id, gen, serialize(g.snapshot), now())
      this.db
        .prepare('DELETE FROM checkpoints WHERE run_id = ? AND generation <= ?')
        .run(id, gen - (g.keepCheckpoints ?? 2))
      this.db.prepare('UPDATE runs SET updated_at = ? WHERE id = ?').run(now(), id)
    })()
  }

  private putGenome(
    id: string,
    gen: number,
    kind: 'best' | 'population',
    genomes: Float64Array[],
    fitness: number | null
  ) {
    const S = genomes[0]?.length ?? 0
    const all = new Float64Array(S * genomes.length)
    genomes.forEach((gm, i) => all.set(gm, i * S))
    this.db
      .prepare(
        'INSERT OR REPLACE INTO genomes (run_id, generation, kind, count, fitness, weights) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(id, gen, kind, genomes.length, fitness, toBlob(all))
  }

  lastCheckpoint(id: string): { generation: number; snapshot: AlgorithmSnapshot } | null {
    const row = this.db
      .prepare('SELECT generation, state FROM checkpoints WHERE run_id = ? ORDER BY generation DESC LIMIT 1')
      .get(id) as { generation: number; state: Buffer } | undefined
    return row ? { generation: row.generation, snapshot: deserialize(row.state) as AlgorithmSnapshot } : null
  }

  metrics(id: string): MetricRow[] {
    return this.db
      .prepare(
        `SELECT generation, evaluations, wall_seconds AS wallSeconds, best_fitness AS bestFitness,
           mean_fitness AS meanFitness, worst_fitness AS worstFitness, best_food AS bestFood, best_reward AS bestReward,
           best_l0 AS bestL0, best_l2 AS bestL2, rollout_ms AS rolloutMs, mads_ms AS madsMs,
           algorithm_ms AS algorithmMs, transport_ms AS transportMs, workers
         FROM generations WHERE run_id = ? ORDER BY generation`
      )
      .all(id) as MetricRow[]
  }

  /** The best genome of a generation (default: the latest). */
  bestGenome(
    id: string,
    generation?: number
  ): { generation: number; weights: Float64Array; fitness: number } {
    const row = (
      generation === undefined
        ? this.db
            .prepare(
              `SELECT generation, fitness, weights FROM genomes WHERE run_id = ? AND kind = 'best' ORDER BY generation DESC LIMIT 1`
            )
            .get(id)
        : this.db
            .prepare(
              `SELECT generation, fitness, weights FROM genomes WHERE run_id = ? AND kind = 'best' AND generation = ?`
            )
            .get(id, generation)
    ) as { generation: number; fitness: number; weights: Buffer } | undefined
    if (!row) {
      throw new StoreError(
        generation === undefined
          ? `run '${id}' has no genome yet`
          : `run '${id}' has no genome for generation ${generation}`
      )
    }
    return { generation: row.generation, weights: fromBlob(row.weights), fitness: row.fitness }
  }

  population(id: string): { generation: number; genomes: Float64Array[] } | null {
    const row = this.db
      .prepare(
        `SELECT generation, count, weights FROM genomes WHERE run_id = ? AND kind = 'population' ORDER BY generation DESC LIMIT 1`
      )
      .get(id) as { generation: number; count: number; weights: Buffer } | undefined
    if (!row) return null
    const all = fromBlob(row.weights)
    const S = all.length / row.count
    return {
      generation: row.generation,
      genomes: Array.from({ length: row.count }, (_, i) => all.slice(i * S, (i + 1) * S))
    }
  }

  deleteRun(id: string): void {
    const run = this.getRun(id)
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(run.id)
  }

  createSweep(name: string, design: unknown): string {
    const id = `s${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`
    this.db
      .prepare('INSERT INTO sweeps (id, name, design, created_at) VALUES (?, ?, ?, ?)')
      .run(id, name, JSON.stringify(design), now())
    return id
  }

  listSweeps(): { id: string; name: string; design: unknown; createdAt: string }[] {
    return (
      this.db
        .prepare('SELECT id, name, design, created_at AS createdAt FROM sweeps ORDER BY created_at')
        .all() as {
        id: string
        name: string
        design: string
        createdAt: string
      }[]
    ).map((s) => ({ ...s, design: JSON.parse(s.design) }))
  }
}

interface RawRun {
  id: string
  name: string
  algorithm: string
  task: string
  config: string
  seed: number
  connectome: string
  pairs_hash: string
  code_version: string
  status: RunStatus
  budget: string
  sweep_id: string | null
  tags: string
  notes: string
  error: string | null
  owner_pid: number | null
  created_at: string
  updated_at: string
  finished_at: string | null
  generation: number | null
  evaluations: number | null
  best_food: number | null
  best_fitness: number | null
  wall_seconds: number | null
}

const RUN_SELECT = `SELECT r.*, m.generation, m.evaluations, m.best_food, m.best_fitness, m.wall_seconds
  FROM runs r LEFT JOIN generations m ON m.run_id = r.id
    AND m.generation = (SELECT MAX(generation) FROM generations WHERE run_id = r.id)`

function toRun(r: RawRun): RunRow {
  return {
    id: r.id,
    name: r.name,
    algorithm: r.algorithm,
    task: r.task,
    config: JSON.parse(r.config),
    seed: r.seed,
    connectome: r.connectome,
    pairsHash: r.pairs_hash,
    codeVersion: r.code_version,
    status: r.status,
    budget: JSON.parse(r.budget),
    sweepId: r.sweep_id,
    tags: JSON.parse(r.tags),
    notes: r.notes,
    error: r.error,
    ownerPid: r.owner_pid ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    generation: r.generation ?? 0,
    evaluations: r.evaluations ?? 0,
    bestFoodEaten: r.best_food,
    bestFitness: r.best_fitness,
    wallSeconds: r.wall_seconds ?? 0
  }
}
