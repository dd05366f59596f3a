/* Longer than 400 lines for now: the one class that owns every SQL statement of a workspace (opening
 * and refusing files, runs, atomic lifecycle transactions, batches, genomes, checkpoints, sweeps). Its
 * row mapping, blobs, errors and migrations already live beside it; the next split is open() into open.ts. */
import { randomBytes } from 'node:crypto'
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { AlgorithmSnapshot } from '../../core/training/types'
import { finalStatus, liveness, requireAction, requireOwner, type TrainerOutcome } from '../runs/lifecycle'
import { testDelay } from '../test-hooks'
import {
  CheckpointDecodeError,
  decodeCheckpoint,
  decodeGenomes,
  encodeCheckpoint,
  encodeGenomes
} from './blobs'
import { checkIdSyntax, MIN_ID_PREFIX, StoreError } from './errors'
import { ForeignDatabaseError, inspectSchema, migrate, MigrationError, type SchemaState } from './migrate'
import {
  METRIC_SELECT,
  RUN_SELECT,
  toMetric,
  toRun,
  type Checkpoint,
  type GenerationRecord,
  type MetricRow,
  type NewRun,
  type RawRun,
  type RunRow,
  type RunStatus
} from './rows'

export type { Budget, Checkpoint, GenerationRecord, MetricRow, NewRun, RunRow, RunStatus } from './rows'
export { fromBlob, toBlob } from './blobs'
export { MIN_ID_PREFIX, StoreError }

const SQLITE_MAGIC = 'SQLite format 3\u0000'
/** How long a connection waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000

export interface OpenOptions {
  /**
   * Create the workspace when the file does not exist (or is an empty database). Default true; the
   * commands that only read (or act on existing runs) pass false.
   */
  create?: boolean
}

/** Refuses a file that is not (the start of) a SQLite database, reading its first 16 bytes only. */
function checkHeader(path: string): void {
  if (!statSync(path).isFile()) throw new StoreError(`'${path}' is not a file`)
  const head = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  let n: number
  try {
    n = readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (n > 0 && head.toString('latin1', 0, n) !== SQLITE_MAGIC.slice(0, n)) {
    throw new StoreError(
      `'${path}' is not a SQLite database (corrupt or another kind of file); it was left untouched`
    )
  }
  if (n > 0 && n < 16) throw new StoreError(`'${path}' is a truncated SQLite database; it was left untouched`)
}

/**
 * What an existing SQLite file holds, read on a `query_only` connection (nothing is written, the journal
 * mode is left as it is): `empty`, or an up-to-date or upgradable workspace; anything else is refused.
 * (A read-only connection would leave `-wal` and `-shm` files behind on a WAL database; this one, being
 * the last to close, removes them.)
 */
function inspect(path: string): SchemaState['kind'] {
  let db: Database.Database
  try {
    db = new Database(path, { fileMustExist: true })
  } catch (e) {
    throw new StoreError(`cannot open '${path}': ${(e as Error).message}`)
  }
  try {
    db.pragma('query_only = ON')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    return retryBusy(() => inspectSchema(db).kind)
  } catch (e) {
    throw openError(path, e)
  } finally {
    db.close()
  }
}

/** The StoreError, naming the file, for a failure to open or check a workspace. */
function openError(path: string, e: unknown): StoreError {
  if (e instanceof StoreError) return e
  const msg = (e as Error).message
  if (e instanceof ForeignDatabaseError) return new StoreError(`'${path}' is ${msg}; it was left untouched`)
  if (e instanceof MigrationError) return new StoreError(`'${path}': ${msg}; it was left untouched`)
  if (/readonly|read-only|unable to open/i.test(msg)) return new StoreError(`cannot write '${path}': ${msg}`)
  if (/not a database|malformed/i.test(msg)) return new StoreError(`'${path}' is corrupt: ${msg}`)
  return new StoreError(`cannot use '${path}': ${msg}`)
}

const pause = new Int32Array(new SharedArrayBuffer(4))
/** Runs `fn`, again after a short random pause while it fails with SQLITE_BUSY (up to ~10 s in all). */
function retryBusy<T>(fn: () => T): T {
  const end = Date.now() + 2 * BUSY_TIMEOUT_MS
  for (;;) {
    try {
      return fn()
    } catch (e) {
      const code = (e as { code?: unknown }).code
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() > end) throw e
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 40)
    }
  }
}

const now = (): string => new Date().toISOString()

const decodes = (state: Buffer): boolean => {
  try {
    decodeCheckpoint(state)
    return true
  } catch {
    return false
  }
}

/** One workspace = one SQLite file (WAL mode), schema kept by numbered migrations. */
export class Store {
  private constructor(
    readonly db: Database.Database,
    readonly path: string
  ) {}

  /**
   * Opens a workspace database; with `create` (the default, for the commands that write) a missing file,
   * or an empty database, becomes a new workspace. Refuses, without writing anything, what it cannot use:
   * a missing workspace without `create` (nothing is created, not the file, not its folder), a file that
   * is not SQLite, another application's SQLite database, and a workspace of a newer version of the app.
   * The schema is checked on a connection that does not write, before the file is switched to WAL.
   */
  static open(path: string, opts: OpenOptions = {}): Store {
    const create = opts.create ?? true
    if (typeof path !== 'string' || path.trim() === '')
      throw new StoreError('a workspace needs a path, got an empty one')
    if (existsSync(path)) {
      checkHeader(path)
      if (inspect(path) === 'empty' && !create)
        throw new StoreError(`no workspace at '${path}' (an empty database)`)
    } else {
      if (!create) throw new StoreError(`no workspace at '${path}' (the file does not exist)`)
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
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
      // Two processes opening a new workspace at once: the migrations take the write lock (BEGIN
      // IMMEDIATE) and re-read what is applied inside it; SQLITE_BUSY where SQLite does not wait
      // (switching the journal mode) is retried.
      retryBusy(() => {
        db.pragma('journal_mode = WAL')
        db.pragma('foreign_keys = ON')
        migrate(db)
      })
    } catch (e) {
      db.close()
      throw openError(path, e)
    }
    return new Store(db, path)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  createRun(input: NewRun): RunRow {
    const id = `r${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`
    const t = now()
    const worm = input.envSpec.id === 'worm'
    this.db
      .prepare(
        `INSERT INTO runs (id, name, algorithm, task, config, seed, connectome, pairs_hash, code_version, status,
           budget, sweep_id, tags, notes, created_at, updated_at, environment, env_spec, genome_length, layout_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        id,
        input.name ?? `${input.algorithm} ${input.task} s${input.seed}`,
        input.algorithm,
        input.task,
        JSON.stringify(input.config),
        input.seed,
        // Legacy columns of schema v1-2: the worm's connectome id and pair hash (= the layout hash).
        worm ? String(input.envSpec.connectome) : '',
        input.layoutHash,
        input.codeVersion,
        JSON.stringify(input.budget),
        input.sweepId ?? null,
        JSON.stringify(input.tags ?? []),
        input.notes ?? '',
        t,
        t,
        input.envSpec.id,
        JSON.stringify(input.envSpec),
        input.genomeLength,
        input.layoutHash
      )
    return this.getRun(id)
  }

  /**
   * A run by id, or by a unique prefix of at least MIN_ID_PREFIX (3) characters. An empty, blank or
   * malformed id, or a shorter prefix, is refused (`invalid-id`): it must never match a run by accident.
   */
  getRun(idOrPrefix: string): RunRow {
    checkIdSyntax(idOrPrefix)
    const rows = this.db
      .prepare(`${RUN_SELECT} WHERE r.id = ? OR r.id LIKE ? ESCAPE '\\' LIMIT 2`)
      .all(idOrPrefix, idOrPrefix.replace(/[%_\\]/g, '\\$&') + '%') as RawRun[]
    const exact = rows.find((r) => r.id === idOrPrefix)
    if (exact) return toRun(exact)
    if (idOrPrefix.length < MIN_ID_PREFIX)
      throw new StoreError(
        `run id prefix '${idOrPrefix}' is too short: give at least ${MIN_ID_PREFIX} characters of the id`,
        'invalid-id'
      )
    if (rows.length === 0) throw new StoreError(`unknown run '${idOrPrefix}'`, 'unknown-run')
    if (rows.length > 1) throw new StoreError(`run id '${idOrPrefix}' is ambiguous`, 'ambiguous-id')
    return toRun(rows[0])
  }

  listRuns(filter: { sweepId?: string; status?: RunStatus } = {}): RunRow[] {
    const where: string[] = []
    const args: unknown[] = []
    if (filter.sweepId !== undefined) {
      where.push('r.sweep_id = ?')
      args.push(filter.sweepId)
    }
    if (filter.status !== undefined) {
      where.push('r.status = ?')
      args.push(filter.status)
    }
    const sql = `${RUN_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.created_at, r.id`
    return (this.db.prepare(sql).all(...args) as RawRun[]).map(toRun)
  }

  /**
   * Sets a run's status. A running run records the process that owns it and a heartbeat; any other
   * status clears the owner and a pending stop request.
   */
  setStatus(id: string, status: RunStatus, error: string | null = null): void {
    const finished = ['completed', 'cancelled', 'failed'].includes(status) ? now() : null
    const running = status === 'running'
    const r = this.db
      .prepare(
        `UPDATE runs SET status = ?, error = ?, updated_at = ?, finished_at = ?, owner_pid = ?, heartbeat_at = ?,
           stop_request = NULL WHERE id = ?`
      )
      .run(status, error, now(), finished, running ? process.pid : null, running ? now() : null, id)
    if (r.changes === 0) throw new StoreError(`unknown run '${id}'`, 'unknown-run')
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the first read, so a
   * decision made on what `fn` reads still holds when it writes. Other processes wait (busy_timeout).
   */
  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }

  /**
   * Claims a run for training by process `pid`, atomically across processes. In one `BEGIN IMMEDIATE`
   * transaction it re-reads the row, asks lifecycle.ts whether it may be resumed (queued, paused, failed,
   * or running with a dead trainer), and marks it running, owned by `pid`, with a fresh heartbeat and no
   * stop request. Of any number of processes claiming one run at once, exactly one succeeds; the others
   * get LabError `busy` naming the owner (or `not-allowed` when the run's status forbids a resume).
   */
  claimRun(id: string, pid = process.pid): RunRow {
    return this.immediate(() => {
      const row = this.getRun(id)
      testDelay('CONNECTOME_LAB_TEST_CLAIM_DELAY_MS')
      requireAction(row, liveness(row, false), null, 'resume')
      const t = now()
      this.db
        .prepare(
          `UPDATE runs SET status = 'running', error = NULL, updated_at = ?, finished_at = NULL, owner_pid = ?,
             heartbeat_at = ?, stop_request = NULL WHERE id = ?`
        )
        .run(t, pid, t, row.id)
      return this.getRun(row.id)
    })
  }

  /**
   * Pauses or cancels a run this process does not train, atomically across processes. In one
   * `BEGIN IMMEDIATE` transaction it re-reads the row and asks lifecycle.ts: a run a live process trains
   * gets a stop request (a cancel replaces a pending pause), which that trainer reads before every
   * generation and in its finishing transaction, so it is never lost; a run nobody trains (queued,
   * paused, failed, interrupted) is cancelled at once. `requested` says which. Refused runs (finished
   * meanwhile, or already stopping) throw the typed error lifecycle.ts gives, and nothing is written.
   */
  stopRun(id: string, how: 'pause' | 'cancel'): { run: RunRow; requested: boolean } {
    return this.immediate(() => {
      const row = this.getRun(id)
      testDelay('CONNECTOME_LAB_TEST_CLAIM_DELAY_MS')
      const live = liveness(row, false)
      requireAction(row, live, row.status === 'running' ? row.stopRequest : null, how)
      if (live === 'elsewhere') {
        this.requestStop(row.id, how)
        return { run: this.getRun(row.id), requested: true }
      }
      // Only a cancel is allowed on a run nobody trains.
      this.setStatus(row.id, 'cancelled')
      return { run: this.getRun(row.id), requested: false }
    })
  }

  /**
   * A trainer's last write, atomic across processes. In one `BEGIN IMMEDIATE` transaction it re-reads the
   * run, checks that process `pid` still holds it, and sets the status lifecycle.ts gives for `outcome`
   * and the stop request pending now (a cancel that arrived during the last generation wins), clearing
   * the owner, the heartbeat and the request. Throws LabError `busy`, writing nothing, when the run was
   * taken from `pid` meanwhile.
   */
  finishRun(id: string, outcome: TrainerOutcome, error: string | null = null, pid = process.pid): RunRow {
    return this.immediate(() => {
      const row = this.getRun(id)
      requireOwner(row, pid)
      this.setStatus(row.id, finalStatus(outcome, row.stopRequest), error)
      return this.getRun(row.id)
    })
  }

  /** Records the genome length of a run upgraded from schema v2 that had none stored (0). */
  fillGenomeLength(id: string, length: number): void {
    this.db.prepare('UPDATE runs SET genome_length = ? WHERE id = ? AND genome_length = 0').run(length, id)
  }

  /** Marks a running run as alive (its owner calls this periodically). */
  heartbeat(id: string): void {
    this.db
      .prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running' AND owner_pid = ?`)
      .run(now(), id, process.pid)
  }

  /** Asks the trainer of a running run, in whatever process, to stop after its current generation. */
  requestStop(id: string, how: 'pause' | 'cancel'): void {
    // A cancel overrides a pending pause, never the other way round.
    this.db
      .prepare(
        `UPDATE runs SET stop_request = CASE WHEN stop_request = 'cancel' THEN 'cancel' ELSE ? END, updated_at = ?
         WHERE id = ? AND status = 'running'`
      )
      .run(how, now(), id)
  }

  /** The pending stop request of a run (read by its trainer once per generation). */
  stopRequest(id: string): 'pause' | 'cancel' | null {
    const row = this.db.prepare('SELECT stop_request FROM runs WHERE id = ?').get(id) as
      { stop_request: 'pause' | 'cancel' | null } | undefined
    return row?.stop_request ?? null
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
   * A batch of generations in one transaction: their metric rows, the best genomes that changed (sparse
   * against `prior` when smaller), and the checkpoint of the batch's last generation with its population.
   * The two newest checkpoints are kept (the older one is the way back when the newest is damaged:
   * rollbackToPreviousCheckpoint) and the newest population only. The last metric row is therefore always
   * the newest checkpoint's generation, and a run killed at any moment resumes from there bit-identically.
   * Refused (LabError `busy`, nothing written) unless process `pid` still holds the run.
   */
  recordGenerations(
    id: string,
    batch: { records: GenerationRecord[]; checkpoint: Checkpoint; prior: Float64Array | null },
    pid = process.pid
  ): void {
    const { records, checkpoint, prior } = batch
    const insertMetric = this.db.prepare(
      `INSERT INTO generations (run_id, generation, evaluations, wall_seconds, best_fitness, mean_fitness,
         worst_fitness, best_metrics, rollout_ms, mads_ms, algorithm_ms, transport_ms, workers, genome_generation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    this.immediate(() => {
      // Only the process that holds the run writes into it (see requireOwner); this also marks it alive.
      const t = now()
      const held = this.db
        .prepare(
          `UPDATE runs SET updated_at = ?, heartbeat_at = ? WHERE id = ? AND status = 'running' AND owner_pid = ?`
        )
        .run(t, t, id, pid)
      if (held.changes === 0) requireOwner(this.getRun(id), pid)
      for (const { metric: m, best } of records) {
        insertMetric.run(
          id,
          m.generation,
          m.evaluations,
          m.wallSeconds,
          m.bestFitness,
          m.meanFitness,
          m.worstFitness,
          JSON.stringify(m.metrics),
          m.rolloutMs,
          m.madsMs,
          m.algorithmMs,
          m.transportMs,
          m.workers,
          m.genomeGeneration ?? null
        )
        if (best) this.putGenomes(id, m.generation, 'best', [best], m.bestFitness, prior)
      }
      const gen = checkpoint.generation
      this.putGenomes(id, gen, 'population', checkpoint.population, null, prior)
      this.db
        .prepare(`DELETE FROM genomes WHERE run_id = ? AND kind = 'population' AND generation < ?`)
        .run(id, gen)
      this.db
        .prepare(
          'INSERT OR REPLACE INTO checkpoints (run_id, generation, state, created_at) VALUES (?, ?, ?, ?)'
        )
        .run(id, gen, encodeCheckpoint(checkpoint.snapshot), now())
      this.db
        .prepare(
          `DELETE FROM checkpoints WHERE run_id = ? AND generation < (SELECT MIN(generation) FROM
             (SELECT generation FROM checkpoints WHERE run_id = ? ORDER BY generation DESC LIMIT 2))`
        )
        .run(id, id)
    })
  }

  private putGenomes(
    id: string,
    gen: number,
    kind: 'best' | 'population',
    genomes: Float64Array[],
    fitness: number | null,
    prior: Float64Array | null
  ) {
    const enc = encodeGenomes(genomes, prior)
    this.db
      .prepare(
        'INSERT OR REPLACE INTO genomes (run_id, generation, kind, count, fitness, weights, indices) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(id, gen, kind, genomes.length, fitness, enc.weights, enc.indices)
  }

  /**
   * The newest checkpoint of a run, or null before its first. A damaged one is refused
   * (`corrupt-checkpoint`), naming the run and the generation, and saying whether the previous checkpoint
   * is intact (then rollbackToPreviousCheckpoint goes back to it).
   */
  lastCheckpoint(id: string): { generation: number; snapshot: AlgorithmSnapshot } | null {
    const [newest, previous] = this.checkpointRows(id)
    if (!newest) return null
    try {
      return { generation: newest.generation, snapshot: decodeCheckpoint(newest.state) as AlgorithmSnapshot }
    } catch (e) {
      if (!(e instanceof CheckpointDecodeError)) throw e
      const intact = previous !== undefined && decodes(previous.state)
      throw new StoreError(
        `run ${id}: its checkpoint of generation ${newest.generation} is damaged (${e.message}); ` +
          (intact
            ? `the previous checkpoint, of generation ${previous.generation}, is intact: resume from it with ` +
              `\`lab resume ${id} --from-previous-checkpoint\` (generations ${previous.generation + 1}–${newest.generation} are trained again, to the same result)`
            : previous
              ? `the previous one, of generation ${previous.generation}, is damaged too: the run cannot be resumed`
              : 'no earlier checkpoint is kept: the run cannot be resumed'),
        'corrupt-checkpoint'
      )
    }
  }

  /**
   * Goes back to a run's previous checkpoint when its newest one is damaged: deletes the newest
   * checkpoint and every metric row, best genome and population after the previous checkpoint's
   * generation, in one transaction. The run then resumes from that checkpoint, and the deleted generations
   * are trained again (bit-identically). Refused, changing nothing, when the newest checkpoint is intact
   * (`not-allowed`) or no intact previous one is kept (`corrupt-checkpoint`).
   */
  rollbackToPreviousCheckpoint(id: string): { damaged: number; resumeFrom: number } {
    return this.db
      .transaction(() => {
        const [newest, previous] = this.checkpointRows(id)
        if (!newest) throw new StoreError(`run ${id} has no checkpoint to go back from`, 'not-allowed')
        if (decodes(newest.state))
          throw new StoreError(
            `run ${id}: its newest checkpoint (generation ${newest.generation}) is intact, so nothing is rolled back: resume it as usual`,
            'not-allowed'
          )
        if (!previous || !decodes(previous.state))
          throw new StoreError(
            `run ${id}: its checkpoint of generation ${newest.generation} is damaged and ` +
              (previous
                ? `so is the previous one, of generation ${previous.generation}`
                : 'no earlier checkpoint is kept') +
              ': the run cannot be resumed',
            'corrupt-checkpoint'
          )
        const after = previous.generation
        for (const table of ['checkpoints', 'generations', 'genomes'])
          this.db.prepare(`DELETE FROM ${table} WHERE run_id = ? AND generation > ?`).run(id, after)
        this.db.prepare('UPDATE runs SET updated_at = ? WHERE id = ?').run(now(), id)
        return { damaged: newest.generation, resumeFrom: after }
      })
      .immediate()
  }

  /** The run's two newest checkpoints (the store keeps no more), newest first. */
  private checkpointRows(id: string): { generation: number; state: Buffer }[] {
    return this.db
      .prepare('SELECT generation, state FROM checkpoints WHERE run_id = ? ORDER BY generation DESC LIMIT 2')
      .all(id) as { generation: number; state: Buffer }[]
  }

  metrics(id: string): MetricRow[] {
    return (this.db.prepare(METRIC_SELECT).all(id) as Parameters<typeof toMetric>[0][]).map(toMetric)
  }

  /**
   * The best genome of a generation (default: the latest). Genomes are written only when they change,
   * and not every changed one is kept (docs/store.md): each generation row names the generation whose
   * stored genome is its best (`genome_generation`), or NULL when that genome was not kept; asking for
   * such a generation is refused with the nearest generations that have one.
   */
  bestGenome(
    id: string,
    prior: Float64Array | null,
    generation?: number
  ): { generation: number; writtenAt: number; weights: Float64Array; fitness: number } {
    const row = this.db
      .prepare(
        `SELECT generation, best_fitness AS fitness, genome_generation AS at FROM generations WHERE run_id = ?
         ${generation === undefined ? 'ORDER BY generation DESC LIMIT 1' : 'AND generation = ?'}`
      )
      .get(...(generation === undefined ? [id] : [id, generation])) as
      { generation: number; fitness: number; at: number | null } | undefined
    if (!row) {
      throw new StoreError(
        generation === undefined
          ? `run '${id}' has no genome yet`
          : `run '${id}' has no generation ${generation}`,
        'no-genome'
      )
    }
    if (row.at === null) {
      const near = this.db
        .prepare(
          `SELECT MAX(CASE WHEN generation < ? THEN generation END) AS before,
             MIN(CASE WHEN generation > ? THEN generation END) AS after
           FROM generations WHERE run_id = ? AND genome_generation IS NOT NULL`
        )
        .get(row.generation, row.generation, id) as { before: number | null; after: number | null }
      const options = [near.before, near.after].filter((g) => g !== null).join(' or ')
      throw new StoreError(
        `run '${id}': the best genome of generation ${row.generation} was not kept` +
          (options ? `; the nearest generations with a genome are ${options}` : ''),
        'no-genome'
      )
    }
    const genome = this.db
      .prepare(
        `SELECT count, weights, indices FROM genomes WHERE run_id = ? AND kind = 'best' AND generation = ?`
      )
      .get(id, row.at) as { count: number; weights: Buffer; indices: Buffer | null } | undefined
    if (!genome)
      throw new StoreError(`run '${id}': the genome of generation ${row.at} is missing`, 'no-genome')
    return {
      generation: row.generation,
      writtenAt: row.at,
      weights: decodeGenomes(genome, prior)[0],
      fitness: row.fitness
    }
  }

  population(id: string, prior: Float64Array | null): { generation: number; genomes: Float64Array[] } | null {
    const row = this.db
      .prepare(
        `SELECT generation, count, weights, indices FROM genomes WHERE run_id = ? AND kind = 'population' ORDER BY generation DESC LIMIT 1`
      )
      .get(id) as { generation: number; count: number; weights: Buffer; indices: Buffer | null } | undefined
    if (!row) return null
    return { generation: row.generation, genomes: decodeGenomes(row, prior) }
  }

  /**
   * Deletes a run with all its data, atomically across processes: refused (as lifecycle.ts says, nothing
   * written) when another live process trains it, also if it claimed the run a moment ago.
   */
  deleteRun(id: string): void {
    this.immediate(() => {
      const run = this.getRun(id)
      requireAction(run, liveness(run, false), run.status === 'running' ? run.stopRequest : null, 'delete')
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(run.id)
    })
  }

  /** A sweep and its runs, created together in one transaction (all or nothing). */
  createSweep(
    name: string,
    design: unknown,
    runs: Omit<NewRun, 'sweepId'>[] = []
  ): { id: string; runs: RunRow[] } {
    return this.db.transaction(() => {
      const id = `s${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`
      this.db
        .prepare('INSERT INTO sweeps (id, name, design, created_at) VALUES (?, ?, ?, ?)')
        .run(id, name, JSON.stringify(design), now())
      return { id, runs: runs.map((r) => this.createRun({ ...r, sweepId: id })) }
    })()
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
