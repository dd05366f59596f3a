/**
 * A real Debian `redis-server` for the cluster tests: on a free loopback port, without persistence
 * (`--save "" --appendonly no`), awaited by PING, stopped by its PID. `restart` brings it back on the same
 * port, empty, as a crashed and restarted server without persistence would be.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

/** A self-signed certificate for 127.0.0.1 (Debian's openssl), for a TLS redis-server and its clients. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'redis-cert.pem')
  const key = join(dir, 'redis-key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1'
    ],
    { stdio: 'ignore' }
  )
  return { cert, key }
}

export async function startRedis(
  opts: { password?: string; tls?: { cert: string; key: string } } = {}
): Promise<RedisServer> {
  const port = await freePort()
  let proc: GroupProcess
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  if (opts.tls)
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      opts.tls.cert,
      '--tls-key-file',
      opts.tls.key,
      '--tls-auth-clients',
      'no'
    )
  else args.push('--port', String(port))
  if (opts.password) args.push('--requirepass', opts.password)
  const start = async () => {
    proc = new GroupProcess('redis-server', args)
    await proc.waitFor('stdout', /Ready to accept connections/, 20_000)
    const tls = opts.tls ? { ca: readFileSync(opts.tls.cert) } : undefined
    const c = new Redis({ port, host: '127.0.0.1', password: opts.password, lazyConnect: true, tls })
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
    url: `${opts.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    pid: () => proc.child.pid!,
    stop,
    restart: async () => (await stop(), await start())
  }
}

/** A real `lab worker` process (its own process group: the worker and its pool's children). */
export async function startLabWorker(
  url: string,
  extra: string[] = [],
  env: Record<string, string> = {}
): Promise<GroupProcess> {
  const w = new GroupProcess(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), 'worker', '--redis', url, ...extra],
    { cwd: ROOT, env: { ...process.env, ...env } }
  )
  await w.waitFor('stderr', /serving queue/, 60_000)
  return w
}
