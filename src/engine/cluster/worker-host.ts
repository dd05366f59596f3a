/**
 * `lab worker`: one machine's share of the cluster. A BullMQ Worker takes jobs from the queue and runs
 * each on this machine's own child-process pool (../pool/pool.ts), so the CPU-bound rollouts never block
 * the event loop that renews the job locks: a busy worker is never mistaken for a dead one, and a dead one
 * (SIGKILL, power loss) stops renewing, so its job is found stalled and retried elsewhere.
 *
 * Every job is checked before it runs: the envelope with zod, the request with the pool's schema. A
 * malformed job fails at once and for good (UnrecoverableError), and only that job.
 */
import { hostname } from 'node:os'
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { FifoCache } from '../pool/fifo'
import { WorkerPool } from '../pool/pool'
import type { WorkRequest } from '../pool/protocol'
import { decodeRequest, encodeReply } from './codec'
import { DEFAULT_QUEUE, redisOptions, safeUrl } from './connection'

export interface WorkerHostOptions {
  url: string
  /** Jobs at once, and the local pool's size; default: CPU count − 1. */
  concurrency?: number
  queue?: string
  /** A job's lock lives this long without renewal (BullMQ lockDuration); default 30 s. */
  lockMs?: number
  /** How often this worker looks for stalled jobs (BullMQ stalledInterval); default 30 s. */
  stalledMs?: number
  log?: (line: string) => void
}

export interface WorkerHost {
  readonly name: string
  /** Jobs completed and failed so far. */
  stats(): { completed: number; failed: number }
  close(): Promise<void>
}

export async function startWorkerHost(opts: WorkerHostOptions): Promise<WorkerHost> {
  const connection = redisOptions(opts.url)
  const queueName = opts.queue ?? DEFAULT_QUEUE
  const log = opts.log ?? (() => {})
  const pool = new WorkerPool(opts.concurrency !== undefined ? { size: opts.concurrency } : {})
  await pool.ready()
  const redis = new Redis(connection)
  redis.on('error', () => {}) // reconnects by itself; the worker's handler reports
  const centres = new FifoCache<Float64Array>(8)
  const name = `lab-worker@${hostname()}:${process.pid}`
  let completed = 0
  let failed = 0

  /** A perturbation job names its centre by key: from this host's cache, or as published in Redis. */
  async function withCentre(req: WorkRequest): Promise<WorkRequest> {
    if (req.kind !== 'perturbations' || req.req.center !== null || req.req.centerKey === undefined) return req
    const key = req.req.centerKey
    let centre = centres.get(key)
    if (!centre) {
      const buf = await redis.getBuffer(`bull:${queueName}:lab-centre:${key}`)
      // Not (yet) there: Redis restarted and the coordinator publishes it again; a retry will find it.
      if (!buf) throw new Error(`centre ${key} is not in Redis (yet)`)
      if (buf.byteLength % 8 !== 0) throw new UnrecoverableError(`invalid job: centre ${key} is not float64`)
      centre = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
      centres.set(key, centre)
    }
    return { ...req, req: { ...req.req, center: centre } }
  }

  const process_ = async (job: Job) => {
    let request: WorkRequest
    try {
      request = decodeRequest(job.data)
    } catch (e) {
      throw new UnrecoverableError((e as Error).message)
    }
    const t0 = performance.now()
    log(`job ${job.id} ${request.kind}: started (attempt ${job.attemptsMade + 1})`)
    try {
      const r = await pool.run(await withCentre(request), 'cluster')
      log(`job ${job.id} ${request.kind}: done in ${(performance.now() - t0).toFixed(0)} ms`)
      return encodeReply(r)
    } catch (e) {
      const message = (e as Error).message
      // The pool worker's own checks (the environment spec, lengths, coordinates): malformed, not transient.
      if (message.startsWith('invalid ')) throw new UnrecoverableError(message)
      throw e
    }
  }

  const worker = new Worker(queueName, process_, {
    connection,
    concurrency: pool.size,
    name,
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: opts.stalledMs ?? 30_000,
    maxStalledCount: 2
  })
  worker.on('completed', () => completed++)
  worker.on('failed', (job, e) => {
    failed++
    log(`job ${job?.id ?? '?'} failed: ${e.message}`)
  })
  worker.on('error', (e) => log(`redis: ${e.message}`))
  await worker.waitUntilReady()
  log(`${name}: serving queue ${queueName} on ${safeUrl(opts.url)} with ${pool.size} process(es)`)

  return {
    name,
    stats: () => ({ completed, failed }),
    async close() {
      await worker.close()
      redis.disconnect()
      await pool.close()
    }
  }
}
