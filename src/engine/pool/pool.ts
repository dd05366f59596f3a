import type { WorkBackend } from './backend'
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FifoCache } from './fifo'
import {
  CENTRE_CACHE_SIZE,
  type FromWorker,
  type ToWorker,
  type WorkRequest,
  type WorkResponse
} from './protocol'

/** The most worker processes a pool starts (each is a Node process with its own environments). */
export const MAX_WORKERS = 64

export class PoolError extends Error {
  override name = 'PoolError'
}

export interface PoolOptions {
  /** Worker processes; default: CPU count − 1 (at least 1). */
  size?: number
  /** Most requests queued before `run` waits for room (backpressure). */
  maxQueue?: number
  /** How often a request is retried after its worker died. */
  maxRetries?: number
}

export interface PoolResult<R extends WorkResponse = WorkResponse> {
  response: R
  /** Time the worker spent computing, and the round trip from dispatch to reply (ms). */
  computeMs: number
  roundTripMs: number
}

interface Pending {
  id: number
  owner: string
  request: WorkRequest
  retries: number
  sentAt: number
  /** The centre key the worker caches if this request succeeds (it carried a keyed centre). */
  cachesCentre: string | null
  resolve: (r: PoolResult) => void
  reject: (e: Error) => void
}

interface Slot {
  child: ChildProcess
  ready: boolean
  task: Pending | null
  /** The keys of the centres this worker holds (its cache, mirrored: same capacity, same updates). */
  centres: FifoCache<true>
}

/** The request as sent to a worker: a centre the worker holds already goes by its key alone. */
function forWorker(request: WorkRequest, held: FifoCache<true>): WorkRequest {
  if (request.kind !== 'perturbations') return request
  const { center, centerKey } = request.req
  if (center === null || centerKey === undefined || !held.has(centerKey)) return request
  return { ...request, req: { ...request.req, center: null } }
}

/** Where the worker entry lives: the .ts source under tsx (dev, tests, CLI) or the bundled .js. */
function workerEntry(): { file: string; execArgv: string[]; cwd?: string } {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) {
    // Under tsx the worker runs from source too; `--import tsx` resolves from the project root.
    return {
      file: join(dirname(here), 'worker.ts'),
      execArgv: ['--import', 'tsx'],
      cwd: resolve(dirname(here), '..', '..', '..')
    }
  }
  const bundled = join(dirname(here), 'worker.js')
  if (!existsSync(bundled)) throw new PoolError(`pool worker not found at ${bundled}`)
  return { file: bundled, execArgv: [] }
}

/**
 * A pool of forked Node workers (advanced serialization) with a bounded queue, fair round-robin
 * between owners (runs), crash recovery (a dead worker is respawned and its request retried) and
 * per-request timing. Requests must be coarse: a batch of evaluations or whole MADS searches. A keyed
 * perturbation centre crosses to each worker once (see PerturbationJob).
 */
export class WorkerPool implements WorkBackend {
  readonly size: number
  private readonly maxQueue: number
  private readonly maxRetries: number
  private readonly slots: Slot[] = []
  private readonly queues = new Map<string, Pending[]>()
  private owners: string[] = []
  private queued = 0
  private nextId = 1
  private closed = false
  private roomWaiters: (() => void)[] = []
  private readyWaiters: (() => void)[] = []
  private readonly entry = workerEntry()
  /** Workers respawned after dying, and requests retried because their worker died. */
  restarts = 0
  retried = 0
  /** Perturbation requests sent with their centre genome (the others named a centre the worker held). */
  centresSent = 0

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism() - 1)
    if (!Number.isInteger(this.size) || this.size > MAX_WORKERS)
      throw new PoolError(`a pool has 1 to ${MAX_WORKERS} workers, not ${opts.size}`)
    this.maxQueue = opts.maxQueue ?? 4096
    this.maxRetries = opts.maxRetries ?? 3
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn())
    process.once('exit', this.killAll)
  }

  private spawn(): Slot {
    const child = fork(this.entry.file, [], {
      execArgv: this.entry.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      cwd: this.entry.cwd,
      env: { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) }
    })
    const slot: Slot = { child, ready: false, task: null, centres: new FifoCache(CENTRE_CACHE_SIZE) }
    child.on('message', (m: FromWorker) => this.onMessage(slot, m))
    child.on('exit', () => this.onExit(slot))
    child.on('error', () => {
      /* 'exit' follows and handles it */
    })
    return slot
  }

  /** Worker process ids (for tests and diagnostics). */
  pids(): number[] {
    return this.slots.map((s) => s.child.pid ?? -1)
  }

  /** Resolves once every worker has loaded the connectome. */
  async ready(): Promise<void> {
    // Every slot must have said so: pings alone may all be answered by the first worker up.
    if (!this.closed && !this.slots.every((s) => s.ready))
      await new Promise<void>((r) => this.readyWaiters.push(r))
    await Promise.all(this.slots.map(() => this.run({ kind: 'ping' }, '__ready')))
  }

  /** Queues a request (waiting for room when the queue is full) and resolves with its reply. */
  async run<R extends WorkResponse = WorkResponse>(
    request: WorkRequest,
    owner = 'default'
  ): Promise<PoolResult<R>> {
    while (this.queued >= this.maxQueue && !this.closed)
      await new Promise<void>((r) => this.roomWaiters.push(r))
    if (this.closed) throw new PoolError('the worker pool is closed')
    return new Promise<PoolResult<R>>((resolvePromise, reject) => {
      const p: Pending = {
        id: this.nextId++,
        owner,
        request,
        retries: 0,
        sentAt: 0,
        cachesCentre: null,
        resolve: resolvePromise as (r: PoolResult) => void,
        reject
      }
      this.enqueue(p, false)
      this.dispatch()
    })
  }

  private enqueue(p: Pending, front: boolean): void {
    let q = this.queues.get(p.owner)
    if (!q) {
      q = []
      this.queues.set(p.owner, q)
      this.owners.push(p.owner)
    }
    if (front) q.unshift(p)
    else q.push(p)
    this.queued++
  }

  /** Next request, taking owners in turn so concurrent runs share the workers fairly. */
  private dequeue(): Pending | null {
    for (let i = 0; i < this.owners.length; i++) {
      const owner = this.owners.shift() as string
      this.owners.push(owner)
      const q = this.queues.get(owner) as Pending[]
      if (q.length > 0) {
        this.queued--
        const p = q.shift() as Pending
        if (q.length === 0) {
          this.queues.delete(owner)
          this.owners = this.owners.filter((o) => o !== owner)
        }
        this.roomWaiters.shift()?.()
        return p
      }
    }
    return null
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.task || !slot.child.connected) continue
      const p = this.dequeue()
      if (!p) return
      slot.task = p
      const request = forWorker(p.request, slot.centres)
      const carries = request.kind === 'perturbations' && request.req.center !== null
      if (carries) this.centresSent++
      p.cachesCentre = carries ? (request.req.centerKey ?? null) : null
      p.sentAt = performance.now()
      slot.child.send({ id: p.id, request } satisfies ToWorker)
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if ('ready' in m) {
      slot.ready = true
      if (this.slots.every((s) => s.ready)) this.readyWaiters.splice(0).forEach((r) => r())
      this.dispatch()
      return
    }
    const p = slot.task
    if (!p || p.id !== m.id) return
    slot.task = null
    // The worker keeps a centre once a job on it succeeded; so does the mirror.
    if (m.ok && p.cachesCentre !== null) slot.centres.set(p.cachesCentre, true)
    if (m.ok)
      p.resolve({ response: m.response, computeMs: m.computeMs, roundTripMs: performance.now() - p.sentAt })
    else p.reject(new PoolError(m.error))
    this.dispatch()
  }

  private onExit(slot: Slot): void {
    const i = this.slots.indexOf(slot)
    const p = slot.task
    slot.task = null
    if (this.closed) {
      p?.reject(new PoolError('the worker pool was closed'))
      return
    }
    // Respawn, and retry the interrupted request first: requests are deterministic, so the run's
    // result does not change.
    this.restarts++
    if (i >= 0) this.slots[i] = this.spawn()
    if (p) {
      if (p.retries >= this.maxRetries)
        p.reject(new PoolError(`a worker died ${p.retries + 1} times on the same request`))
      else {
        p.retries++
        this.retried++
        this.enqueue(p, true)
      }
    }
    this.dispatch()
  }

  private readonly killAll = (): void => {
    for (const s of this.slots) if (s.child.exitCode === null) s.child.kill('SIGKILL')
  }

  /** Stops every worker; queued and running requests are rejected. */
  describe(): string {
    return `local pool, ${this.size} worker${this.size === 1 ? '' : 's'}`
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    process.removeListener('exit', this.killAll)
    for (const q of this.queues.values())
      for (const p of q) p.reject(new PoolError('the worker pool was closed'))
    this.queues.clear()
    this.owners = []
    this.queued = 0
    this.roomWaiters.splice(0).forEach((r) => r())
    this.readyWaiters.splice(0).forEach((r) => r())
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((done) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return done()
            s.child.once('exit', () => done())
            s.child.kill('SIGTERM')
          })
      )
    )
  }
}
