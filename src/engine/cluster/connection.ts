/**
 * A Redis URL to connection options for BullMQ and ioredis. `redis://[user:password@]host[:port][/db]`,
 * or `rediss://…` for TLS (server certificates checked against Node's CAs, plus NODE_EXTRA_CA_CERTS).
 * The URL is checked before anything connects, and the password never appears in what `safeUrl` prints.
 */
import { isIP } from 'node:net'
import type { RedisOptions } from 'bullmq'
import { z } from 'zod'

/** The queue every coordinator and worker of one cluster share (keys `bull:<queue>:*`). */
export const DEFAULT_QUEUE = 'connectome-lab'

const urlSchema = z
  .string()
  .trim()
  .min(1, 'a Redis URL is needed, e.g. redis://127.0.0.1:6379')
  .transform((s, ctx) => {
    try {
      return new URL(s)
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a URL: ${s}` })
      return z.NEVER
    }
  })
  .refine((u) => u.protocol === 'redis:' || u.protocol === 'rediss:', {
    message: 'the backend must be a redis:// or rediss:// URL'
  })
  .refine((u) => u.hostname !== '', { message: 'the Redis URL has no host' })
  .refine((u) => u.pathname === '' || u.pathname === '/' || /^\/\d{1,2}$/.test(u.pathname), {
    message: 'the Redis database must be a number, e.g. redis://host:6379/0'
  })

export function isRedisUrl(s: string): boolean {
  return /^rediss?:\/\//i.test(s.trim())
}

export function redisOptions(url: string): RedisOptions {
  const r = urlSchema.safeParse(url)
  if (!r.success) throw new Error(`--backend: ${r.error.issues[0].message}`)
  const u = r.data
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0
  const host = u.hostname.replace(/^\[|\]$/g, '')
  return {
    host,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    // SNI names a host, never an IP address (RFC 6066); the certificate is checked against either.
    tls: u.protocol === 'rediss:' ? (isIP(host) ? {} : { servername: host }) : undefined,
    // BullMQ's blocking connections need these; commands wait through a Redis restart instead of failing.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(100 * times, 2000)
  }
}

/** The URL without its password, for logs and the run view. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url.trim())
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(invalid URL)'
  }
}
