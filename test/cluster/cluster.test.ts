/**
 * The cluster with real parts: a Debian redis-server on a free loopback port, real `lab worker` processes
 * and a real `lab train` coordinator. Runs over Redis must be bit-identical to the local pool, through a
 * worker's SIGKILL and a Redis restart; with no worker the run waits quietly; a malformed job fails alone.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Job, Queue, QueueEvents } from 'bullmq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { encode } from '../../src/engine/cluster/codec'
import { lab, ROOT, tempDir } from '../helpers/cli'
import { GroupProcess } from '../helpers/processes'
import { selfSignedCert, startLabWorker, startRedis, type RedisServer } from '../helpers/redis'

const RENOMAD = [
  '--algo',
  'renomad',
  '--config',
  JSON.stringify({ populationSize: 4, madsEvaluations: 60, madsCoordinates: 10 })
]
const ES = ['--algo', 'es', '--config', JSON.stringify({ populationSize: 16 })]
// Short lock and stalled check, so that a killed worker's job is retried within seconds.
const FAST = ['--lock-ms', '2000', '--stalled-ms', '1000']

const dir = tempDir('lab-cluster-')
let redis: RedisServer
const procs: GroupProcess[] = []
const track = <T extends GroupProcess>(p: T): T => (procs.push(p), p)

beforeAll(async () => {
  redis = await startRedis()
})
afterEach(() => {
  for (const p of procs.splice(0)) p.killGroup()
})
afterAll(async () => {
  await redis?.stop()
})

let runs = 0
/** The coordinator: `lab train` in its own process group; returns its last generation and genome. */
function coordinator(
  algo: string[],
  backend: string | null,
  generations = 2,
  env: Record<string, string> = {}
): { proc: GroupProcess; out: string } {
  const out = join(dir, `genome-${++runs}.json`)
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/cli/lab.ts'),
    'train',
    ...algo,
    '--generations',
    String(generations)
  ]
  args.push('--seed', '7', '--db', join(dir, `ws-${runs}.db`), '--json', '--out', out)
  if (backend) args.push('--backend', backend)
  else args.push('--workers', '2')
  const child = new GroupProcess(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } })
  return { proc: track(child), out }
}

/** What must match bit for bit: every generation's report without its timings, and the genome. */
async function result(c: { proc: GroupProcess; out: string }) {
  const exit = await c.proc.waitExit(240_000)
  expect(exit.code, c.proc.output()).toBe(0)
  const gens = c.proc.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const {
        runId: _r,
        rolloutMs: _a,
        madsMs: _b,
        algorithmMs: _c,
        wallMs: _d,
        transportMs: _e,
        ...rest
      } = JSON.parse(l)
      return rest
    })
  return { gens, genome: JSON.parse(readFileSync(c.out, 'utf8')).genome }
}

const reference = new Map<string, Awaited<ReturnType<typeof result>>>()
async function local(name: string, algo: string[]) {
  if (!reference.has(name)) reference.set(name, await result(coordinator(algo, null)))
  return reference.get(name)!
}

let reference3: Promise<Awaited<ReturnType<typeof result>>> | null = null
const local3 = () => (reference3 ??= result(coordinator(RENOMAD, null, 3)))

describe('runs over Redis', () => {
  it('rENOMAD with 2 workers is bit-identical to the local pool', async () => {
    const workers = await Promise.all(
      [0, 1].map(() => startLabWorker(redis.url, ['--concurrency', '1']).then(track))
    )
    const remote = await result(coordinator(RENOMAD, redis.url))
    expect(remote.gens).toHaveLength(2)
    expect(remote).toEqual(await local('renomad', RENOMAD))
    // Both workers served jobs.
    for (const w of workers) expect(w.stderr).toMatch(/localSearch: done/)
  })

  it('the ES with 2 workers is bit-identical to the local pool, its centre published once per generation', async () => {
    const workers = await Promise.all(
      [0, 1].map(() => startLabWorker(redis.url, ['--concurrency', '1']).then(track))
    )
    const remote = await result(coordinator(ES, redis.url))
    expect(remote).toEqual(await local('es', ES))
    expect(workers.map((w) => w.stderr).join('')).toMatch(/perturbations: done/)
  })

  it('a worker killed with SIGKILL mid-job: its job is retried on the other, and the run is still bit-identical', async () => {
    const a = track(await startLabWorker(redis.url, ['--concurrency', '1', ...FAST]))
    const b = track(await startLabWorker(redis.url, ['--concurrency', '1', ...FAST]))
    const c = coordinator(RENOMAD, redis.url)
    // A's second job has started: kill A (and its pool process) while that job runs.
    const m = await a.waitFor(
      'stderr',
      /job \S+ localSearch: done[\s\S]*job (\S+) localSearch: started/,
      120_000
    )
    a.signalGroup('SIGKILL')
    const killedJob = m[1]
    const remote = await result(c)
    expect(a.stderr).not.toMatch(new RegExp(`job ${killedJob} localSearch: done`))
    expect(b.stderr).toMatch(
      new RegExp(
        `job ${killedJob} localSearch: started \\(attempt \\d\\)[\\s\\S]*job ${killedJob} localSearch: done`
      )
    )
    expect(remote).toEqual(await local('renomad', RENOMAD))
  })

  it('Redis restarted mid-run (its queue lost): the coordinator reconnects, re-queues, and the run completes bit-identically', async () => {
    track(await startLabWorker(redis.url, ['--concurrency', '2', ...FAST]))
    const c = coordinator(RENOMAD, redis.url, 3)
    await c.proc.waitFor('stdout', /"generation":1/, 120_000)
    await redis.restart()
    const remote = await result(c)
    expect(remote.gens).toHaveLength(3)
    expect(remote).toEqual(await local3())
  })

  it('the coordinator killed: lab resume --backend continues from the checkpoint, bit-identically', async () => {
    track(await startLabWorker(redis.url, ['--concurrency', '2']))
    const c = coordinator(RENOMAD, redis.url, 3)
    const m = await c.proc.waitFor('stdout', /"runId":"(\w+)","generation":1/, 120_000)
    c.proc.signalGroup('SIGKILL')
    await c.proc.waitExit(30_000)
    const db = c.proc.child.spawnargs[c.proc.child.spawnargs.indexOf('--db') + 1]
    const r = lab(['resume', m[1], '--db', db, '--backend', redis.url, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = join(dir, 'resumed.json')
    expect(lab(['export', m[1], '--db', db, '--out', out]).code).toBe(0)
    const reference3 = await local3()
    expect(JSON.parse(readFileSync(out, 'utf8')).genome).toEqual(reference3.genome)
    const last = JSON.parse(
      r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1)!
    )
    expect(last.generation).toBe(3)
    expect(last.best).toEqual(reference3.gens.at(-1).best)
  })

  it('with no worker the run waits and says so, without spinning, and goes on when one joins', async () => {
    const c = coordinator(ES, redis.url, 1)
    await c.proc.waitFor('stderr', /waiting for workers on redis:\/\/127\.0\.0\.1/, 60_000)
    const cpu = () => {
      const f = readFileSync(`/proc/${c.proc.child.pid}/stat`, 'utf8')
        .slice(readFileSync(`/proc/${c.proc.child.pid}/stat`, 'utf8').lastIndexOf(')') + 2)
        .split(' ')
      return Number(f[11]) + Number(f[12]) // utime + stime, clock ticks (100 per second)
    }
    const before = cpu()
    await new Promise((r) => setTimeout(r, 3000))
    expect(cpu() - before).toBeLessThan(50) // < 0.5 s of CPU in 3 s: it waits, it does not spin
    expect(c.proc.stdout).not.toMatch(/"generation"/)
    track(await startLabWorker(redis.url, ['--concurrency', '1']))
    const remote = await result(c)
    expect(remote.gens).toHaveLength(1)
  })
})

describe('over TLS', () => {
  it('rediss:// with a certificate the workers and the coordinator trust (NODE_EXTRA_CA_CERTS): bit-identical', async () => {
    const tls = selfSignedCert(dir)
    const secure = await startRedis({ tls, password: 'tls-secret' })
    try {
      expect(secure.url).toMatch(/^rediss:\/\//)
      const env = { NODE_EXTRA_CA_CERTS: tls.cert }
      const w = track(await startLabWorker(secure.url, ['--concurrency', '2'], env))
      const remote = await result(coordinator(ES, secure.url, 2, env))
      expect(remote).toEqual(await local('es', ES))
      expect(w.stderr).toMatch(/perturbations: done/)
      // Without the CA the certificate is refused: the coordinator says so, fails, and exits.
      const untrusted = lab([
        'train',
        ...ES,
        '--generations',
        '1',
        '--db',
        join(dir, 'untrusted.db'),
        '--backend',
        secure.url
      ])
      expect(untrusted.code).toBe(1)
      expect(untrusted.stderr).toMatch(
        /cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? within 10 s/
      )
    } finally {
      await secure.stop()
    }
  })
})

describe('job validation in the worker', () => {
  it('a malformed job fails at once and alone; the worker goes on serving', async () => {
    const secret = await startRedis({ password: 'p@ss word' })
    try {
      const w = track(await startLabWorker(secret.url, ['--concurrency', '1']))
      const connection = {
        host: '127.0.0.1',
        port: secret.port,
        password: 'p@ss word',
        maxRetriesPerRequest: null
      }
      const queue = new Queue('connectome-lab', { connection })
      const events = new QueueEvents('connectome-lab', { connection })
      await events.waitUntilReady()
      const bad = [
        { v: 1, payload: '@@not base64@@' },
        { v: 2, payload: '' },
        encode({
          kind: 'evaluate',
          env: { id: 'no-such-env' },
          genomes: { kind: 'dense', count: 1, data: new Float64Array(3) }
        }),
        encode({ kind: 'sleep', ms: -5 })
      ]
      for (const [i, data] of bad.entries()) {
        const job = await queue.add('work', data, { jobId: `bad-${i}`, attempts: 3 })
        await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/invalid (job|environment)/)
        const failed = await Job.fromId(queue, `bad-${i}`)
        expect(failed!.attemptsMade).toBe(1) // not retried: unrecoverable
      }
      const ok = await queue.add('work', encode({ kind: 'ping' }), { jobId: 'good' })
      const value = await ok.waitUntilFinished(events, 30_000)
      expect(value).toHaveProperty('payload')
      expect(w.stderr).toMatch(/job good ping: done/)
      await events.close()
      await queue.close()
    } finally {
      await secret.stop()
    }
  })

  it('refuses a bad --backend or --redis URL before anything starts', () => {
    const r = lab([
      'train',
      '--algo',
      'es',
      '--generations',
      '1',
      '--db',
      join(dir, 'never.db'),
      '--backend',
      'http://x'
    ])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/--backend must be local or a redis:\/\/ URL/)
    expect(existsSync(join(dir, 'never.db'))).toBe(false)
    const w = lab(['worker', '--redis', 'redis://'])
    expect(w.code).not.toBe(0)
    expect(w.stderr).toMatch(/no host|not a URL/)
  })
})
