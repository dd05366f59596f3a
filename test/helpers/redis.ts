/**
 * A real Debian `redis-server` for the cluster tests: on a free loopback port, without persistence
 * (`--save "" --appendonly no`), awaited by PING, stopped by its PID. `restart` brings it back on the same
 * port, empty, as a crashed and restarted server without persistence would be.
 */
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { ROOT } from './cli'
import { GroupProcess } from './processes'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface RedisServer {
  port: number
  url: string
  pid(): number
  stop(): Promise<void>
  restart(): Promise<void>
}

export async function startRedis(opts: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort()
  let proc: GroupProcess
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  if (opts.password) args.push('--requirepass', opts.password)
  const start = async () => {
    proc = new GroupProcess('redis-server', args)
    await proc.waitFor('stdout', /Ready to accept connections/, 20_000)
    const c = new Redis({ port, host: '127.0.0.1', password: opts.password, lazyConnect: true })
    try {
      await c.connect()
      if ((await c.ping()) !== 'PONG') throw new Error('redis-server did not answer PING')
    } finally {
      c.disconnect()
    }
  }
  const stop = async () => {
    process.kill(proc.child.pid!, 'SIGKILL')
    await proc.waitExit(10_000)
  }
  await start()
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : ''
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    pid: () => proc.child.pid!,
    stop,
    restart: async () => (await stop(), await start())
  }
}

/** A real `lab worker` process (its own process group: the worker and its pool's children). */
export async function startLabWorker(url: string, extra: string[] = []): Promise<GroupProcess> {
  const w = new GroupProcess(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), 'worker', '--redis', url, ...extra],
    {
      cwd: ROOT
    }
  )
  await w.waitFor('stderr', /serving queue/, 60_000)
  return w
}
