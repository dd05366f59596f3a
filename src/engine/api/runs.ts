/**
 * The runs service behind the `runs:*` channels: one workspace Store (the SQLite file shared with the
 * `lab` CLI), opened on first use, and — only once a run is started or resumed here — one WorkerPool and
 * RunManager. It turns the manager's events into the contract's run events (src/shared/api.ts).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Connectome } from '../../core/connectome/connectome'
import { compileNetwork } from '../../core/model/network'
import { modelParams, type ModelParams } from '../../core/model/params'
import { WormSimulator } from '../../core/model/rollout'
import { taskByName } from '../../core/tasks/tasks'
import {
  LabApiError,
  runEventSchema,
  type ParsedRequest,
  type RunDeleteResponse,
  type RunDetail,
  type RunDiffResponse,
  type RunEvent,
  type RunGetResponse,
  type RunReplayResponse,
  type RunsListResponse,
  type RunSummary,
  type Unsubscribe,
  type WeightChange
} from '../../shared/api'
import { defaultDbPath } from '../paths'
import { WorkerPool } from '../pool/pool'
import { readConnectome } from '../resources'
import { tracedRollout } from './rollout'
// Loaded on first use (below): the store needs better-sqlite3, a native module, and an app that only
// shows rollouts must start even where it cannot load.
import type * as ManagerModule from '../runs/manager'
import type { ProgressEvent, RunManager } from '../runs/manager'
import type * as StoreModule from '../store/store'
import type { RunRow, Store } from '../store/store'

interface Modules {
  store: typeof StoreModule
  manager: typeof ManagerModule
}

export interface RunsServiceOptions {
  /** The workspace database (default: `defaultDbPath()`, its folder created when missing). */
  dbPath?: string
  /** Worker processes of the pool (default: the pool's, CPU count − 1). */
  workers?: number
  /** Loads a connectome by id (default: the shipped resources). */
  connectome?: (id: string) => Connectome
  /** Unexpected failures of runs trained in the background. */
  log?: (message: string, error?: unknown) => void
}

export interface RunsService {
  readonly dbPath: string
  list(req: ParsedRequest<'runs:list'>): Promise<RunsListResponse>
  get(req: ParsedRequest<'runs:get'>): Promise<RunGetResponse>
  replay(req: ParsedRequest<'runs:replay'>): Promise<RunReplayResponse>
  diff(req: ParsedRequest<'runs:diff'>): Promise<RunDiffResponse>
  start(req: ParsedRequest<'runs:start'>): Promise<RunSummary>
  pause(req: ParsedRequest<'runs:pause'>): Promise<RunSummary>
  resume(req: ParsedRequest<'runs:resume'>): Promise<RunSummary>
  cancel(req: ParsedRequest<'runs:cancel'>): Promise<RunSummary>
  delete(req: ParsedRequest<'runs:delete'>): Promise<RunDeleteResponse>
  /** Progress and status events of every run trained here, and deletions made here. */
  onEvent(listener: (event: RunEvent) => void): Unsubscribe
  /** Whether a pool was started (for tests and diagnostics). */
  hasPool(): boolean
  /** Stops training here (runs left paused, resumable), closes the pool and the database. */
  close(): Promise<void>
}

export function createRunsService(opts: RunsServiceOptions = {}): RunsService {
  const dbPath = opts.dbPath ?? defaultDbPath()
  const loadConnectome = opts.connectome ?? ((id: string) => readConnectome(id))
  const log =
    opts.log ?? ((message: string, error?: unknown) => console.error(`[runs] ${message}`, error ?? ''))
  const listeners = new Set<(event: RunEvent) => void>()
  /** Runs asked to stop here, until their status event says they did. */
  const stopping = new Map<string, 'pause' | 'cancel'>()
  /** Runs whose delete waits for their current generation to end. */
  const deleting = new Set<string>()
  const running = new Map<string, Promise<unknown>>()
  const sims = new Map<string, WormSimulator>()
  let mod: Modules | null = null
  let loading: Promise<Modules> | null = null
  let store: Store | null = null
  let engine: { pool: WorkerPool; manager: RunManager; ready: Promise<void> } | null = null
  let closed = false

  /** Loads the store and run manager modules (once); every public method awaits it first. */
  async function ready(): Promise<Modules> {
    if (closed) throw new LabApiError('conflict', 'the runs service is closed')
    loading ??= Promise.all([import('../store/store'), import('../runs/manager')]).then(
      ([store, manager]) => {
        mod = { store, manager }
        return mod
      }
    )
    try {
      return await loading
    } catch (e) {
      loading = null
      throw new Error(`cannot load the workspace store: ${(e as Error).message}`, { cause: e })
    }
  }

  /** The loaded modules (after `ready()`). */
  const m = (): Modules => {
    if (!mod) throw new Error('the runs service is not ready')
    return mod
  }

  function db(): Store {
    if (closed) throw new LabApiError('conflict', 'the runs service is closed')
    if (!store) {
      mkdirSync(dirname(dbPath), { recursive: true })
      store = m().store.Store.open(dbPath)
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
    if (closed) throw new LabApiError('conflict', 'the runs service is closed')
    if (!engine) {
      const pool = new WorkerPool(opts.workers !== undefined ? { size: opts.workers } : {})
      const manager = new (m().manager.RunManager)(db(), pool)
      manager.on('progress', (e) => emit(progressEvent(e)))
      manager.on('status', (row) => {
        if (row.status !== 'running') stopping.delete(row.id)
        emit({ type: 'status', run: summary(row) })
      })
      engine = { pool, manager, ready: pool.ready() }
      engine.ready.catch((e: unknown) => log('the worker pool did not start', e))
    }
    return engine.manager
  }

  const activeHere = (id: string): boolean => engine?.manager.isActive(id) ?? false

  function live(row: RunRow): RunSummary['live'] {
    if (row.status !== 'running') return null
    if (activeHere(row.id)) return 'here'
    return row.ownerPid !== null && m().manager.processAlive(row.ownerPid) ? 'elsewhere' : 'interrupted'
  }

  function summary(row: RunRow): RunSummary {
    const b = row.budget
    return {
      id: row.id,
      name: row.name,
      algorithm: row.algorithm,
      task: row.task,
      seed: row.seed,
      status: row.status,
      budget: {
        ...(b.generations !== undefined ? { generations: b.generations } : {}),
        ...(b.evaluations !== undefined ? { evaluations: b.evaluations } : {}),
        ...(b.seconds !== undefined ? { seconds: b.seconds } : {})
      },
      generation: row.generation,
      evaluations: row.evaluations,
      bestFoodEaten: row.bestFoodEaten,
      bestFitness: row.bestFitness,
      wallSeconds: row.wallSeconds,
      fraction: Math.min(1, m().manager.budgetFraction(b, row.generation, row.evaluations, row.wallSeconds)),
      live: live(row),
      ownerPid: row.ownerPid,
      stopping: stopping.get(row.id) ?? null,
      sweepId: row.sweepId,
      tags: row.tags,
      notes: row.notes,
      error: row.error,
      connectome: row.connectome,
      pairsHash: row.pairsHash,
      codeVersion: row.codeVersion,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      finishedAt: row.finishedAt
    }
  }

  /** A run's current summary, announced to the listeners as a status event. */
  function emitStatus(id: string): RunSummary {
    const s = summary(db().getRun(id))
    emit({ type: 'status', run: s })
    return s
  }

  function progressEvent(e: ProgressEvent): RunEvent {
    const r = e.report
    return {
      type: 'progress',
      runId: e.runId,
      generation: e.generation,
      evaluations: e.evaluations,
      bestFitness: e.bestFitness,
      bestFoodEaten: e.bestFoodEaten,
      elapsedSeconds: e.elapsedSeconds,
      etaSeconds: e.etaSeconds,
      fraction: e.fraction,
      // Exactly the row Store.recordGeneration wrote for this generation.
      metric: {
        generation: r.generation,
        evaluations: r.totalEvaluations,
        wallSeconds: e.elapsedSeconds,
        bestFitness: r.best.fitness,
        meanFitness: r.meanFitness,
        worstFitness: r.worstFitness,
        bestFood: r.best.foodEaten,
        bestReward: r.best.reward,
        bestL0: r.best.l0,
        bestL2: r.best.l2,
        rolloutMs: r.rolloutMs,
        madsMs: r.madsMs,
        algorithmMs: r.algorithmMs,
        transportMs: e.transportMs,
        workers: engine?.pool.size ?? 1
      }
    }
  }

  /** A run by id or unique prefix; unknown / ambiguous ids become contract errors. */
  function run(id: string): RunRow {
    try {
      return db().getRun(id)
    } catch (e) {
      const StoreError = m().store.StoreError
      if (e instanceof StoreError && /unknown run/.test(e.message))
        throw new LabApiError('not-found', e.message)
      if (e instanceof StoreError && /ambiguous/.test(e.message))
        throw new LabApiError('bad-request', e.message)
      throw e
    }
  }

  function bestGenome(row: RunRow, generation?: number): ReturnType<Store['bestGenome']> {
    try {
      return db().bestGenome(row.id, generation)
    } catch (e) {
      if (e instanceof m().store.StoreError) throw new LabApiError('not-found', e.message)
      throw e
    }
  }

  /** The connectome a run was trained on, refusing a different pair list. */
  function connectomeOf(row: RunRow): Connectome {
    const c = loadConnectome(row.connectome)
    if (c.pairsHash !== row.pairsHash) {
      throw new LabApiError(
        'conflict',
        `run ${row.id} was trained on pair list ${row.pairsHash}; the shipped ${c.id} has ${c.pairsHash}`
      )
    }
    return c
  }

  function simulator(c: Connectome, params: ModelParams): WormSimulator {
    const key = `${c.id}|${c.pairsHash}|${JSON.stringify(params)}`
    let sim = sims.get(key)
    if (!sim) {
      if (sims.size > 8) sims.clear()
      sim = new WormSimulator(compileNetwork(c), params)
      sims.set(key, sim)
    }
    return sim
  }

  /** Starts (or resumes) training in the background; failures end up in the run's status. */
  async function launch(id: string): Promise<RunSummary> {
    const runs = manager()
    await engine!.ready
    let done: Promise<RunRow>
    try {
      done = runs.start(id)
    } catch (e) {
      if (e instanceof m().manager.RunError) throw new LabApiError('conflict', e.message)
      throw e
    }
    const settled = done.then(
      () => undefined,
      (e: unknown) => {
        if (!closed) log(`run ${id} stopped with an error`, e)
      }
    )
    running.set(id, settled)
    void settled.finally(() => running.delete(id))
    return summary(db().getRun(id))
  }

  function checkNotElsewhere(row: RunRow, action: string): void {
    if (live(row) === 'elsewhere') {
      throw new LabApiError(
        'conflict',
        `run ${row.id} is being trained by process ${row.ownerPid}; ${action} it there (e.g. Ctrl-C the CLI)`
      )
    }
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
      const detail: RunDetail = { ...summary(row), config: row.config }
      return { run: detail, metrics: db().metrics(row.id) }
    },

    async replay(req) {
      await ready()
      const row = run(req.id)
      const g = bestGenome(row, req.generation)
      const c = connectomeOf(row)
      const task = taskByName(row.task)
      const params = modelParams((row.config.model ?? {}) as Partial<ModelParams>)
      const rollout = tracedRollout(simulator(c, params), g.weights, task)
      const stored = db()
        .metrics(row.id)
        .find((m) => m.generation === g.generation)
      return {
        task: row.task,
        connectomeId: c.id,
        genome: 'best',
        runId: row.id,
        generation: g.generation,
        stored: { fitness: g.fitness, foodEaten: stored?.bestFood ?? null },
        ...rollout
      }
    },

    async diff(req) {
      await ready()
      const row = run(req.id)
      const g = bestGenome(row, req.generation)
      const c = connectomeOf(row)
      const w = g.weights
      if (w.length !== c.w0.length) {
        throw new LabApiError(
          'conflict',
          `run ${row.id}: genome has ${w.length} weights, ${c.id} has ${c.w0.length}`
        )
      }
      const changed: WeightChange[] = []
      let sq = 0
      let increased = 0
      let decreased = 0
      let signFlips = 0
      for (let k = 0; k < w.length; k++) {
        const delta = w[k] - c.w0[k]
        if (delta === 0) continue
        sq += delta * delta
        if (delta > 0) increased++
        else decreased++
        if (Math.sign(w[k]) !== Math.sign(c.w0[k])) signFlips++
        changed.push({ index: k, pre: c.pre[k], post: c.post[k], w0: c.w0[k], w: w[k], delta })
      }
      changed.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.index - b.index)
      return {
        runId: row.id,
        generation: g.generation,
        connectomeId: c.id,
        total: changed.length,
        l2: Math.sqrt(sq),
        maxAbsDelta: changed.length ? Math.abs(changed[0].delta) : 0,
        increased,
        decreased,
        signFlips,
        changes: changed.slice(0, req.limit)
      }
    },

    async start(req) {
      await ready()
      let row: RunRow
      try {
        row = manager().create({
          algorithm: req.algorithm,
          task: req.task,
          seed: req.seed,
          config: req.config,
          budget: req.budget,
          ...(req.name ? { name: req.name } : {})
        })
      } catch (e) {
        if (e instanceof m().manager.RunError || (e as Error).name === 'ConfigError') {
          throw new LabApiError('bad-request', (e as Error).message)
        }
        throw e
      }
      emit({ type: 'status', run: summary(row) })
      return launch(row.id)
    },

    async pause(req) {
      await ready()
      const row = run(req.id)
      if (!activeHere(row.id)) {
        checkNotElsewhere(row, 'pause')
        throw new LabApiError('conflict', `run ${row.id} is not training here (status ${row.status})`)
      }
      if (stopping.get(row.id) !== 'cancel') stopping.set(row.id, 'pause')
      void engine!.manager.pause(row.id).catch((e: unknown) => log(`pausing ${row.id} failed`, e))
      return emitStatus(row.id)
    },

    async resume(req) {
      await ready()
      const row = run(req.id)
      if (activeHere(row.id)) {
        if (stopping.get(row.id) === 'pause') {
          throw new LabApiError('conflict', `run ${row.id} is pausing; resume it once it has paused`)
        }
        return summary(row)
      }
      checkNotElsewhere(row, 'resume')
      if (row.status === 'completed' || row.status === 'cancelled') {
        throw new LabApiError('conflict', `run ${row.id} is ${row.status}; it cannot be resumed`)
      }
      return launch(row.id)
    },

    async cancel(req) {
      await ready()
      const row = run(req.id)
      if (activeHere(row.id)) {
        stopping.set(row.id, 'cancel')
        void engine!.manager.cancel(row.id).catch((e: unknown) => log(`cancelling ${row.id} failed`, e))
        return emitStatus(row.id)
      }
      checkNotElsewhere(row, 'stop')
      if (row.status === 'completed' || row.status === 'cancelled') return summary(row)
      db().setStatus(row.id, 'cancelled')
      return emitStatus(row.id)
    },

    async delete(req) {
      await ready()
      const row = run(req.id)
      if (activeHere(row.id)) {
        if (!deleting.has(row.id)) {
          deleting.add(row.id)
          stopping.set(row.id, 'cancel')
          void engine!.manager
            .delete(row.id)
            .then(
              () => emit({ type: 'deleted', runId: row.id }),
              (e: unknown) => log(`deleting ${row.id} failed`, e)
            )
            .finally(() => deleting.delete(row.id))
        }
        return { id: row.id, pending: true }
      }
      checkNotElsewhere(row, 'stop')
      db().deleteRun(row.id)
      emit({ type: 'deleted', runId: row.id })
      return { id: row.id, pending: false }
    },

    onEvent(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },

    hasPool: () => engine !== null,

    async close() {
      if (closed) return
      closed = true
      if (engine) {
        // Closing the pool under a run leaves it paused (resumable), as Ctrl-C does in the CLI.
        await engine.pool.close()
        await Promise.allSettled([...running.values()])
      }
      listeners.clear()
      store?.close()
      store = null
    }
  }
}
