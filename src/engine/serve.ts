/**
 * `lab serve`: the built renderer over HTTP plus a WebSocket bridge that speaks the app API contract
 * (src/shared/api.ts), for browsers and the UI tests. Loopback only, and every request needs the server's
 * session token (compared in constant time), besides a Host header naming this server (421 otherwise) and,
 * for the bridge, no Origin of another site (403):
 *
 * - the page URL carries it: `http://127.0.0.1:PORT/?token=TOKEN`. A request with a valid `?token=` gets a
 *   session cookie (`connectome_lab_PORT`, HttpOnly, SameSite=Strict, Path=/) holding it, so that the
 *   page's assets, which it loads without a query, are served too;
 * - every other request needs that cookie or the token; without either, or with a wrong token, it gets
 *   401 and no content;
 * - the bridge likewise: `ws://127.0.0.1:PORT/bridge?token=TOKEN` (the page gets it from its own
 *   `?token=`), or the cookie.
 *
 *   client → server  { id, channel, payload }
 *   server → client  { id, ok: true, result } | { id, ok: false, error: { code, message, issues? } }
 *   server → client  { event: 'runs:event', payload: RunEvent }   (pushed to every client, no id)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { z } from 'zod'
import { contentSecurityPolicy } from '../shared/csp'
import { RUN_EVENT_CHANNEL } from '../shared/methods'
import { createLabBackend, type LabBackend } from './api'

export const BRIDGE_PATH = '/bridge'
const MAX_MESSAGE_BYTES = 1 << 20

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Loopback only; anything else is refused. */
  host?: '127.0.0.1'
  /** The built renderer (default: out/renderer of the project). */
  staticDir?: string
  /**
   * Backend answering the bridge (default: a bridge backend on the default connectome, with `dbPath`
   * and `workers`, closed with the server). A given backend is left open: its owner closes it.
   */
  backend?: LabBackend
  /**
   * Session token every request requires (default: a fresh random one, 192 bits). URL-safe, at least 16
   * characters.
   */
  token?: string
  /** Workspace database of the default backend (default: the per-user workspace shared with the CLI). */
  dbPath?: string
  /** Worker processes of the default backend for runs started from the page. */
  workers?: number
  /** Where the default backend's rollouts run: 'local' or a redis:// URL (docs/cluster.md). */
  rollouts?: string
  log?: (line: string) => void
}

export interface LabServer {
  host: string
  port: number
  /** Page URL with the session token (`/?token=…`); the page is redirected to add its bridge URL. */
  url: string
  /** The bridge's URL without the token; connect to `${bridgeUrl}?token=${token}`. */
  bridgeUrl: string
  /** The session token every request must present (or the cookie a request with it was given). */
  token: string
  /** Name of the session cookie (it holds the token; one per port, as cookies are not kept apart by port). */
  cookieName: string
  close(): Promise<void>
}

const requestSchema = z.strictObject({
  id: z.union([z.string().max(64), z.number().int()]),
  channel: z.string().max(64),
  payload: z.unknown().optional()
})

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

/** The project's out/renderer, found by walking up from this file. */
export function defaultStaticDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'out', 'renderer')
    dir = resolve(dir, '..')
  }
  return resolve('out', 'renderer')
}

export async function startServe(opts: ServeOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error(`lab serve binds to 127.0.0.1 only, not '${String(host)}'`)
  const token = opts.token ?? randomBytes(24).toString('base64url')
  if (!/^[\w-]{16,}$/.test(token))
    throw new Error('the session token must be at least 16 URL-safe characters (A-Z a-z 0-9 _ -)')
  const tokenDigest = digest(token)
  const root = resolve(opts.staticDir ?? defaultStaticDir())
  const ownBackend = !opts.backend
  const backend =
    opts.backend ??
    createLabBackend({
      runtime: 'bridge',
      dbPath: opts.dbPath,
      workers: opts.workers,
      rollouts: opts.rollouts
    })
  const log = opts.log ?? (() => {})
  let port = 0

  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)
  // Cookies are scoped by host, not by port: two servers on 127.0.0.1 must not overwrite each other's.
  const cookieName = (): string => `connectome_lab_${port}`
  const tokenMatches = (given: string): boolean => timingSafeEqual(digest(given), tokenDigest)

  /**
   * How a request shows the session token: `?token=` ('query'), or the session cookie ('cookie'); null
   * when it does not. A `?token=` that is given must be right, whatever cookie comes with it.
   */
  function authenticate(req: IncomingMessage, url: URL): 'query' | 'cookie' | null {
    const given = url.searchParams.get('token')
    if (given !== null) return tokenMatches(given) ? 'query' : null
    const cookies = cookieValues(req.headers.cookie, cookieName())
    return cookies.some(tokenMatches) ? 'cookie' : null
  }

  const server = createServer((req, res) => {
    serveStatic(req, res).catch((e: unknown) => {
      log(`http error: ${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent) send(res, 500, 'internal error')
      else res.destroy()
    })
  })

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 421, 'unexpected Host header')
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    } catch {
      return send(res, 400, 'bad request')
    }
    const auth = authenticate(req, url)
    if (!auth) {
      log(`http: refused ${req.method ?? '-'} ${url.pathname} (401: no valid session token)`)
      return send(
        res,
        401,
        'unauthorized: open the URL that `lab serve` (or `npm start`) printed; it carries the session token'
      )
    }
    // The page request carries the token; its assets (loaded without it) then come with the cookie.
    if (auth === 'query')
      res.setHeader('Set-Cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' })
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    } catch {
      return send(res, 400, 'bad path')
    }
    if (pathname === '/' && !url.searchParams.has('bridge')) {
      // Adds the bridge URL; the token is passed on from the request, never filled in by the server.
      const query = new URLSearchParams({ bridge: `ws://${req.headers.host}${BRIDGE_PATH}` })
      const given = url.searchParams.get('token')
      if (given !== null) query.set('token', given)
      res.writeHead(302, { Location: `/?${query.toString()}` }).end()
      return
    }
    if (pathname.endsWith('/')) pathname += 'index.html'
    const file = resolve(root, '.' + pathname)
    if ((file !== root && !file.startsWith(root + sep)) || pathname.includes('\0'))
      return send(res, 403, 'forbidden')
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (pathname === '/index.html') {
        return send(
          res,
          503,
          `the renderer is not built (no ${join(root, 'index.html')}); run \`npm run build\``
        )
      }
      return send(res, 404, 'not found')
    }
    const body = await readFile(file)
    const headers: Record<string, string> = {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(body.length),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      'Cross-Origin-Opener-Policy': 'same-origin',
      // Pages of other origins, also on 127.0.0.1 at another port (which get the cookie: same site), cannot
      // embed the files.
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer'
    }
    if (extname(file) === '.html') {
      headers['Content-Security-Policy'] = contentSecurityPolicy({
        connect: [`ws://${req.headers.host}${BRIDGE_PATH}`]
      })
    }
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      return
    }
    const origin = req.headers.origin
    // Browsers always send Origin: refuse pages of other sites (cross-site WebSocket hijacking; the
    // session cookie goes along to any page on 127.0.0.1, whatever its port) and DNS-rebound host names.
    // Non-browser clients (tests, scripts) send no Origin.
    const refuse =
      url.pathname !== BRIDGE_PATH
        ? '404 Not Found'
        : !allowedHosts().includes(req.headers.host ?? '')
          ? '421 Misdirected Request'
          : origin !== undefined && !allowedOrigins().includes(origin)
            ? '403 Forbidden'
            : !authenticate(req, url)
              ? '401 Unauthorized'
              : null
    if (refuse) {
      log(`bridge: refused upgrade (${refuse}) from origin ${origin ?? '-'}`)
      socket.end(`HTTP/1.1 ${refuse}\r\nConnection: close\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary)
    })
  })
  // Run events go to every connected page (they are validated by the backend, and again by the page).
  const stopEvents = backend.onRunEvent((event) => {
    const frame = JSON.stringify({ event: RUN_EVENT_CHANNEL, payload: event })
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame)
  })

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const reply = (msg: object): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
    }
    let raw: unknown
    try {
      if (isBinary) throw new Error('binary frames are not supported')
      raw = JSON.parse(rawToString(data))
    } catch (e) {
      const message = `malformed message: ${e instanceof Error ? e.message : String(e)}`
      return reply({ id: null, ok: false, error: { code: 'bad-request', message } })
    }
    const msg = requestSchema.safeParse(raw)
    if (!msg.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : null
      const message = `malformed message: expected {id, channel, payload}: ${msg.error.issues
        .map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`)
        .join('; ')}`
      return reply({
        id: typeof id === 'string' || typeof id === 'number' ? id : null,
        ok: false,
        error: { code: 'bad-request', message }
      })
    }
    const { id, channel, payload } = msg.data
    const started = performance.now()
    const envelope = await backend.handle(channel, payload)
    log(
      `bridge: ${channel} ${envelope.ok ? 'ok' : envelope.error.code} ${(performance.now() - started).toFixed(1)} ms`
    )
    reply({ id, ...envelope })
  }

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail)
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', fail)
        ok()
      })
    })
  } catch (e) {
    stopEvents()
    if (ownBackend) await backend.close()
    throw e
  }
  port = (server.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  const bridgeUrl = `ws://${host}:${port}${BRIDGE_PATH}`
  log(`serving ${root} at ${origin} (bridge ${bridgeUrl})`)
  return {
    host,
    port,
    url: `${origin}/?token=${token}`,
    bridgeUrl,
    token,
    cookieName: cookieName(),
    close: async () => {
      stopEvents()
      await new Promise<void>((ok) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => ok())
      })
      if (ownBackend) await backend.close()
    }
  }
}

/**
 * Closes `server` on the first SIGINT or SIGTERM (Ctrl-C reaches every process of the terminal's group, and
 * some parents pass it on again: repeats are ignored) and resolves with that signal once the server, its
 * backend and its worker pool are closed. Rejects if closing takes longer than `timeoutMs`.
 */
export function closeOnSignal(server: LabServer, timeoutMs = 15_000): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return
      stopping = true
      const timer = setTimeout(
        () => reject(new Error(`the server did not close within ${timeoutMs / 1000} s`)),
        timeoutMs
      )
      server.close().then(
        () => {
          clearTimeout(timer)
          process.removeListener('SIGINT', onSignal)
          process.removeListener('SIGTERM', onSignal)
          resolve(signal)
        },
        (e: unknown) => {
          clearTimeout(timer)
          reject(e instanceof Error ? e : new Error(String(e)))
        }
      )
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

/** Fixed-length digest, so that tokens of any length compare in constant time. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** The values of the cookies named `name` in a Cookie header. */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return []
  const out: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim())
  }
  return out
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers
  })
  res.end(text)
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}
