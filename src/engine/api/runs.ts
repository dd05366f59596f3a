/**
 * The runs service behind the `runs:*` and `sweeps:*` channels: one workspace Store (the SQLite file
 * shared with the `lab` CLI), opened on first use, and (only once a run is started or resumed here) one
 * WorkerPool and RunManager. Which action a run allows is decided by the engine's lifecycle module; the
 * mapping to the contract lives in run-mapping.ts, the genome views in run-queries.ts.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { runEventSchema, type RunEvent, type RunSummary } from '../../shared/api'
import type { RunsService, RunsServiceOptions } from './runs-service'
import { LabError } from '../../shared/errors'
import { loadEnvironment, prepareRuntime } from '../environments'
import { metricsCsv } from '../metrics-csv'
import { defaultDbPath } from '../paths'
import type { WorkBackend } from '../pool/backend'
import type * as BackendsModule from '../cluster/backends'
import { liveness, requireAction } from '../runs/lifecycle'
// Loaded on first use (below): the store needs better-sqlite3, a native module, and an app that only
// shows rollouts must start even where it cannot load.
import type * as ManagerModule from '../runs/manager'
import type { RunManager } from '../runs/manager'
import type * as SweepsModule from '../runs/sweeps'
import type * as StoreModule from '../store/store'
import type { RunRow, Store } from '../store/store'
import { buildComparison } from '../analysis/compare'
import { toDetail, toProgressEvent, toSummary } from './run-mapping'
import { checkDiffBase, diffOf, replayOf } from './run-queries'
import { exportGenomeOf } from './genome-export'
import { quadrupedReplayOf } from './quadruped-replay'
import { analyseRun, analysesOf, planRunAnalysis } from '../analysis/hebbian'

export type { RunsService, RunsServiceOptions } from './runs-service'

interface Modules {
  store: typeof StoreModule
  manager: typeof ManagerModule
  sweeps: typeof SweepsModule
  backends: typeof BackendsModule
}

export function createRunsService(opts: RunsServiceOptions = {}): RunsService {
  const dbPath = opts.dbPath ?? defaultDbPath()
  const log =
    opts.log ?? ((message: string, error?: unknown) => console.error(`[runs] ${message}`, error ?? ''))
  const listeners = new Set<(event: RunEvent) => void>()
  /** Runs whose delete waits for their current generation to end. */
  const deleting = new Set<string>()
  const running = new Set<Promise<unknown>>()
  let mod: Modules | null = null
  let loading: Promise<Modules> | null = null
  let store: Store | null = null
  let engine: { pool: WorkBackend; manager: RunManager; ready: Promise<void> } | null = null
  let closed = false

  /** Loads the store, run manager and sweep modules (once); every public method awaits it first. */
  async function ready(): Promise<Modules> {
    if (closed) throw new LabError('closed', 'the runs service is closed')
    loading ??= Promise.all([
      import('../store/store'),
      import('../runs/manager'),
      import('../runs/sweeps'),
      import('../cluster/backends')
    ]).then(([store, manager, sweeps, backends]) => (mod = { store, manager, sweeps, backends }))
    try {
      return await loading
    } catch (e) {
      loading = null
      throw new Error(`cannot load the workspace store: ${(e as Error).message}`, { cause: e })
    }
  }

  /** A read of the store alone, once the modules are loaded. */
  async function query<T>(read: (store: Store) => T | Promise<T>): Promise<T> {
    await ready()
    return read(db())
  }

  const m = (): Modules => {
    if (!mod) throw new Error('the runs service is not ready')
    return mod
  }

  function db(): Store {
    if (closed) throw new LabError('closed', 'the runs service is closed')
    if (!store) {
      mkdirSync(dirname(dbPath), { recursive: true })
      // The app writes (it starts runs): it creates the workspace on first use.
      store = m().store.Store.open(dbPath, { create: true })
    }
    return store
  }

  function emit(event: RunEvent): void {
    const parsed = runEventSchema.safeParse(event)
    if (!parsed.success) {
      log(`dropped a run event outside the contract (${event.type})`, parsed.error)
      return
    }
    for (const listener of listeners) {
      try {
        listener(parsed.data)
      } catch (e) {
        log('a run event listener failed', e)
      }
    }
  }

  /** The manager, creating the pool on first use. */
  function manager(): RunManager {
    if (closed) throw new LabError('closed', 'the runs service is closed')
    if (!engine) {
      const pool = m().backends.createWorkBackend(opts.rollouts ?? process.env.CONNECTOME_LAB_BACKEND, {
        workers: opts.workers,
        onNotice: (m) => log(m)
      })
      const manager = new (m().manager.RunManager)(db(), pool)
      manager.on('progress', (e) => emit(toProgressEvent(e)))
      manager.on('status', (row) => emit({ type: 'status', run: summary(row) }))
      engine = { pool, manager, ready: pool.ready() }
      engine.ready.catch((e: unknown) => log('the worker pool did not start', e))
    }
    return engine.manager
  }

  const live = (row: RunRow) => engine?.manager.liveness(row) ?? liveness(row, false)
  const stopping = (row: RunRow) => engine?.manager.stopping(row) ?? row.stopRequest
  const summary = (row: RunRow): RunSummary => toSummary(row, live(row), stopping(row))

  /** A run's current summary, announced to the listeners as a status event. */
  function emitStatus(id: string): RunSummary {
    const s = summary(db().getRun(id))
    emit({ type: 'status', run: s })
    return s
  }

  const run = (id: string): RunRow => db().getRun(id)

  /** The environment a run was trained on, refusing one whose genome layout changed since. */
  function environmentOf(row: RunRow) {
    const env = loadEnvironment(row.envSpec)
    if (env.layout.hash !== row.layoutHash)
      throw new LabError(
        'not-allowed',
        `run ${row.id} was trained on genome layout ${row.layoutHash}; ${env.layout.description} is ${env.layout.hash}`
      )
    return env
  }

  /** Runs `fn`, prefixing a failure's message with the request field it is about. */
  function named<T>(field: string, fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      if (e instanceof Error && !e.message.startsWith(`${field}:`)) e.message = `${field}: ${e.message}`
      throw e
    }
  }

  function genomeOf(row: RunRow, generation?: number) {
    return db().bestGenome(row.id, environmentOf(row).prior, generation)
  }

  /** Starts (or resumes) training in the background; failures end up in the run's status. */
  async function launch(id: string): Promise<RunSummary> {
    const runs = manager()
    await engine!.ready
    track(runs.start(id), `run ${id}`)
    return summary(db().getRun(id))
  }

  function track(work: Promise<unknown>, what: string): void {
    const settled = work.then(
      () => undefined,
      (e: unknown) => {
        if (!closed) log(`${what} stopped with an error`, e)
      }
    )
    running.add(settled)
    void settled.finally(() => running.delete(settled))
  }

  return {
    dbPath,

    async list(req) {
      await ready()
      const s = db()
      const runs = s.listRuns({ sweepId: req.sweepId, status: req.status }).map(summary)
      const stored = s.listSweeps()
      const counts = new Map<string, number>()
      if (stored.length) {
        for (const r of s.listRuns()) if (r.sweepId) counts.set(r.sweepId, (counts.get(r.sweepId) ?? 0) + 1)
      }
      const sweeps = stored.map((w) => ({
        id: w.id,
        name: w.name,
        createdAt: w.createdAt,
        runs: counts.get(w.id) ?? 0
      }))
      return { workspace: s.path, runs, sweeps }
    },

    async get(req) {
      await ready()
      const row = run(req.id)
      return { run: toDetail(summary(row), row), metrics: db().metrics(row.id) }
    },

    async replay(req) {
      await ready()
      const row = run(req.id)
      const g = genomeOf(row, req.generation)
      const stored = db()
        .metrics(row.id)
        .find((x) => x.generation === g.generation)
      return replayOf(row, environmentOf(row), g, stored, req.task)
    },

    async quadrupedReplay(req) {
      await ready()
      const row = run(req.runId)
      await prepareRuntime(row.envSpec) // the quadruped's MuJoCo module, loaded once per process
      const g = genomeOf(row, req.generation)
      const stored = db()
        .metrics(row.id)
        .find((x) => x.generation === g.generation)
      return quadrupedReplayOf(row, environmentOf(row), g, stored, req.morphology, req.episode)
    },

    async diff(req) {
      await ready()
      const row = run(req.id)
      const env = environmentOf(row)
      if (req.against === undefined) return diffOf(row, env, genomeOf(row, req.generation), req.limit)
      const other = named('against', () => run(req.against!))
      checkDiffBase(row, env, other, environmentOf(other))
      const base = { row: other, genome: named('against', () => genomeOf(other, req.againstGeneration)) }
      return diffOf(row, env, genomeOf(row, req.generation), req.limit, base)
    },

    async start(req) {
      await ready()
      const row = manager().create({
        algorithm: req.algorithm,
        ...(req.environment ? { environment: req.environment } : {}),
        ...(!req.environment || (req.environment.id === 'worm' && !('task' in req.environment))
          ? { task: req.task }
          : {}),
        seed: req.seed,
        config: req.config,
        budget: req.budget,
        ...(req.name ? { name: req.name } : {})
      })
      emit({ type: 'status', run: summary(row) })
      return launch(row.id)
    },

    async pause(req) {
      await ready()
      const row = run(req.id)
      requireAction(row, live(row), stopping(row), 'pause')
      if (engine?.manager.isActive(row.id)) {
        void engine.manager.pause(row.id).catch((e: unknown) => log(`pausing ${row.id} failed`, e))
      } else db().stopRun(row.id, 'pause')
      return emitStatus(row.id)
    },

    async resume(req) {
      await ready()
      const row = run(req.id)
      if (engine?.manager.isActive(row.id) && stopping(row) === null) return summary(row)
      requireAction(row, live(row), stopping(row), 'resume')
      return launch(row.id)
    },

    async cancel(req) {
      await ready()
      const row = run(req.id)
      if (row.status === 'completed' || row.status === 'cancelled') return summary(row)
      requireAction(row, live(row), stopping(row), 'cancel')
      if (engine?.manager.isActive(row.id)) {
        void engine.manager.cancel(row.id).catch((e: unknown) => log(`cancelling ${row.id} failed`, e))
      } else db().stopRun(row.id, 'cancel') // a request to its trainer, or cancelled at once (atomically)
      return emitStatus(row.id)
    },

    async delete(req) {
      await ready()
      const row = run(req.id)
      if (engine?.manager.isActive(row.id)) {
        if (!deleting.has(row.id)) {
          deleting.add(row.id)
          void engine.manager
            .delete(row.id)
            .then(
              () => emit({ type: 'deleted', runId: row.id }),
              (e: unknown) => log(`deleting ${row.id} failed`, e)
            )
            .finally(() => deleting.delete(row.id))
          emitStatus(row.id)
        }
        return { id: row.id, pending: true }
      }
      requireAction(row, live(row), stopping(row), 'delete')
      db().deleteRun(row.id)
      emit({ type: 'deleted', runId: row.id })
      return { id: row.id, pending: false }
    },

    async rename(req) {
      await ready()
      const row = run(req.id)
      requireAction(row, live(row), stopping(row), 'rename')
      db().updateMeta(row.id, { name: req.name })
      return emitStatus(row.id)
    },

    async annotate(req) {
      await ready()
      const row = run(req.id)
      requireAction(row, live(row), stopping(row), 'rename')
      db().updateMeta(row.id, { tags: req.tags, notes: req.notes })
      return emitStatus(row.id)
    },

    async startSweep(req) {
      await ready()
      const { id, runs } = m().sweeps.createSweep(
        db(),
        {
          algorithms: req.algorithms,
          tasks: req.tasks,
          seeds: req.seeds,
          budget: req.budget,
          config: req.config,
          ...(req.environment ? { environment: req.environment } : {})
        },
        req.name
      )
      for (const r of runs) emit({ type: 'status', run: summary(r) })
      const runsManager = manager()
      await engine!.ready
      track(m().sweeps.runSweep(runsManager, runs, { concurrency: req.concurrency }), `sweep ${id}`)
      return { sweepId: id, runs: runs.map((r) => summary(db().getRun(r.id))) }
    },

    compare: (req) => query((store) => buildComparison(store, req)),
    exportGenome: (req) => query((store) => exportGenomeOf(store, req)),
    // Loaded on first use: the report module brings the figure renderer (resvg, a native module) along.
    reportFig4: (req) => query(async (store) => (await import('./report-fig4')).reportFig4Of(store, req)),

    analyses: (req) => query((store) => analysesOf(store, req.runId)),

    async analyse(req) {
      await ready()
      planRunAnalysis(db(), req) // a bad request fails here, before the pool starts
      manager()
      await engine!.ready
      return analyseRun(db(), req, { pool: engine!.pool })
    },

    async metricsCsv(req) {
      await ready()
      const row = run(req.id)
      const csv = metricsCsv(db(), row.id)
      return { runId: row.id, filename: `${row.id}-metrics.csv`, rows: db().metrics(row.id).length, csv }
    },

    onEvent(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },

    async rolloutBackend() {
      await ready()
      manager()
      await engine!.ready
      return m().backends.describeBackend(engine!.pool)
    },

    hasPool: () => engine !== null,

    async close() {
      if (closed) return
      closed = true
      if (engine) {
        engine.manager.flushAll()
        // Closing the pool under a run leaves it paused (resumable), as Ctrl-C does in the CLI.
        await engine.pool.close()
        await Promise.allSettled([...running])
      }
      listeners.clear()
      store?.close()
      store = null
    }
  }
}
