/**
 * The coordinator's side of the cluster: a WorkBackend whose requests are BullMQ jobs, run by `lab worker`
 * processes anywhere that reach the same Redis (worker-host.ts). The desktop keeps the workspace and the
 * algorithms; only the coarse work units cross, as they do to the local pool.
 *
 * - Perturbation centres are published once per distinct centre (`SET <prefix>:centre:<key>`, with a TTL),
 *   and the jobs name them by key, so a generation at population 500 sends one genome, not 500.
 * - A result is accepted once: the first completion of a job settles it, and any later one (a retried job
 *   whose first worker was only slow) is counted in `duplicates` and ignored.
 * - Completions arrive as QueueEvents; a poll (every `pollMs`) catches what an event missed and re-adds a
 *   job that Redis no longer has (a restart without persistence), so a run outlives a Redis restart.
 * - With no worker connected, work waits in the queue: the backend says so through `onNotice`, at most
 *   every `noticeMs`, and neither spins nor fails.
 */
import { randomUUID } from 'node:crypto'
import { Job, Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import type { WorkBackend } from '../pool/backend'
import { FifoCache } from '../pool/fifo'
import { PoolError, type PoolResult } from '../pool/pool'
import type { WorkRequest, WorkResponse } from '../pool/protocol'
import { decodeReply, encode } from './codec'
import { DEFAULT_QUEUE, redisOptions, safeUrl } from './connection'

export interface RedisBackendOptions {
  queue?: string
  /** Requests a batch is split into (load balance over the cluster's workers); default 8. */
  size?: number
  /** Attempts per job (a worker that dies mid-job costs one); default 3. */
  attempts?: number
  pollMs?: number
  noticeMs?: number
  /** How long `ready` waits for Redis to answer at the start; default 10 s. */
  connectTimeoutMs?: number
  /** Where the backend reports waiting and reconnecting (the CLI: stderr). */
  onNotice?: (message: string) => void
}

interface Pending {
  data: ReturnType<typeof encode>
  centre: { key: string; data: Float64Array } | null
  sentAt: number
  resolve: (r: PoolResult) => void
  reject: (e: Error) => void
}

/** Seconds a published centre lives in Redis (a generation's jobs need it for minutes at most). */
const CENTRE_TTL_S = 6 * 3600

export class RedisBackend implements WorkBackend {
  readonly size: number
  /** Completions that arrived for a job already settled (ignored). */
  duplicates = 0
  /** Jobs re-added because Redis no longer had them. */
  resubmitted = 0
  private readonly queueName: string
  private readonly queue: Queue
  private readonly events: QueueEvents
  private readonly redis: Redis
  private readonly pending = new Map<string, Pending>()
  private readonly published = new FifoCache<Float64Array>(8)
  private readonly nonce = randomUUID().slice(0, 8)
  private seq = 0
  private timer: NodeJS.Timeout | null = null
  private polling = false
  private lastNotice = 0
  private closed = false

  constructor(
    private readonly url: string,
    private readonly opts: RedisBackendOptions = {}
  ) {
    // Once closed, no client reconnects: a Redis that never answered cannot keep the process alive.
    const connection = {
      ...redisOptions(url),
      retryStrategy: (times: number) => (this.closed ? null : Math.min(100 * times, 2000))
    }
    this.size = Math.max(1, Math.floor(opts.size ?? 8))
    this.queueName = opts.queue ?? DEFAULT_QUEUE
    this.queue = new Queue(this.queueName, { connection })
    this.events = new QueueEvents(this.queueName, { connection })
    this.redis = new Redis({ ...connection, lazyConnect: false })
    const report = (e: Error) => this.notice(`redis: ${e.message}`)
    this.queue.on('error', report)
    this.events.on('error', report)
    this.redis.on('error', () => {}) // ioredis reconnects by itself; the queue's handler reports
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue))
    this.events.on('failed', ({ jobId }) => void this.check(jobId))
  }

  describe(): string {
    return `redis ${safeUrl(this.url)} (queue ${this.queueName})`
  }

  async ready(): Promise<void> {
    const ms = this.opts.connectTimeoutMs ?? 10_000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PoolError(`cannot reach Redis at ${safeUrl(this.url)} within ${ms / 1000} s`)),
        ms
      )
    })
    try {
      await Promise.race([
        Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady(), this.redis.ping()]),
        timeout
      ])
    } finally {
      clearTimeout(timer)
    }
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 1000)
  }

  /** The workers connected to the queue now (BullMQ names them; worker-host.ts puts host and pid in). */
  async workers(): Promise<string[]> {
    const list = await this.queue.getWorkers()
    // A client's raw name is `bull:<base64 queue>:w:<worker name>` (the worker names itself).
    return list.map((w) => (w.rawname ?? '').split(':w:').at(-1) || '?')
  }

  async run<R extends WorkResponse = WorkResponse>(request: WorkRequest): Promise<PoolResult<R>> {
    if (this.closed) throw new PoolError('the Redis backend is closed')
    let centre: Pending['centre'] = null
    let wire = request
    if (request.kind === 'perturbations' && request.req.center && request.req.centerKey !== undefined) {
      centre = { key: request.req.centerKey, data: request.req.center }
      if (!this.published.has(centre.key)) await this.publish(centre.key, centre.data)
      wire = { ...request, req: { ...request.req, center: null } }
    }
    const id = `${this.nonce}-${++this.seq}`
    const data = encode(wire)
    return new Promise<PoolResult<R>>((resolve, reject) => {
      this.pending.set(id, {
        data,
        centre,
        sentAt: performance.now(),
        resolve: resolve as Pending['resolve'],
        reject
      })
      this.add(id, data).catch((e: unknown) => {
        this.pending.delete(id)
        reject(e as Error)
      })
    })
  }

  private centreKey(key: string): string {
    return `bull:${this.queueName}:lab-centre:${key}`
  }

  private async publish(key: string, data: Float64Array): Promise<void> {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    await this.redis.set(this.centreKey(key), buf, 'EX', CENTRE_TTL_S)
    this.published.set(key, data)
  }

  private add(id: string, data: Pending['data']) {
    return this.queue.add('work', data, {
      jobId: id,
      attempts: this.opts.attempts ?? 3,
      backoff: { type: 'fixed', delay: 200 },
      removeOnComplete: { age: 600 },
      removeOnFail: { age: 3600 }
    })
  }

  /** The first completion of a pending job resolves it; anything later is a duplicate. */
  private settle(id: string, value: unknown): void {
    const p = this.pending.get(id)
    if (!p) {
      if (id.startsWith(`${this.nonce}-`)) this.duplicates++
      return
    }
    this.pending.delete(id)
    try {
      const raw = typeof value === 'string' ? JSON.parse(value) : value
      const r = decodeReply(raw)
      p.resolve({ response: r.response, computeMs: r.computeMs, roundTripMs: performance.now() - p.sentAt })
    } catch (e) {
      p.reject(e as Error)
    }
  }

  /** One job's state from Redis: settles it when done or failed for good, re-adds it when Redis lost it. */
  private async check(id: string): Promise<void> {
    const p = this.pending.get(id)
    if (!p) return
    const job = await Job.fromId(this.queue, id)
    if (!this.pending.has(id)) return
    if (!job) {
      // Redis lost it (restarted without persistence): publish its centre again and re-add it.
      if (p.centre) await this.publish(p.centre.key, p.centre.data)
      await this.add(id, p.data)
      this.resubmitted++
      this.notice(`redis: job ${id} was lost (Redis restarted?); queued again`)
      return
    }
    const state = await job.getState()
    if (state === 'completed') this.settle(id, job.returnvalue)
    else if (state === 'failed') {
      this.pending.delete(id)
      p.reject(new Error(`cluster job failed: ${job.failedReason}`))
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.pending.size === 0) return
    this.polling = true
    try {
      const now = performance.now()
      const due = [...this.pending].filter(([, p]) => now - p.sentAt > (this.opts.pollMs ?? 1000))
      for (const [id] of due) await this.check(id)
      if (this.pending.size > 0 && (await this.queue.getWorkersCount()) === 0)
        this.notice(
          `waiting for workers on ${safeUrl(this.url)}: ${this.pending.size} job(s) queued; start one with \`lab worker --redis URL\``
        )
    } catch (e) {
      this.notice(`redis: ${(e as Error).message}`)
    } finally {
      this.polling = false
    }
  }

  private notice(message: string): void {
    const now = performance.now()
    if (now - this.lastNotice < (this.opts.noticeMs ?? 10_000)) return
    this.lastNotice = now
    this.opts.onNotice?.(message)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    for (const [, p] of this.pending) p.reject(new PoolError('the Redis backend is closed'))
    this.pending.clear()
    // A graceful close waits for Redis; one that never answered (refused, bad certificate) is cut off.
    let timer: NodeJS.Timeout | undefined
    const graceful = Promise.allSettled([this.events.close(), this.queue.close()])
    await Promise.race([graceful, new Promise((r) => (timer = setTimeout(r, 3000)))])
    clearTimeout(timer)
    for (const c of [this.events, this.queue]) c.disconnect().catch(() => {})
    this.redis.disconnect()
  }
}
