/**
 * `lab serve`'s HTTP server and bridge refuse every request without the session token: the page URL's
 * `?token=`, or the session cookie a request with it was given (src/engine/serve.ts). Real requests on a
 * real socket, with the headers set by hand (Host, Origin, Cookie).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type LabServer } from '../../src/engine/serve'
import { tempDir } from '../helpers/cli'
import { connect, exchange } from '../ui/bridge-client'

const INDEX = '<!doctype html><title>lab</title><script type="module" src="./assets/app.js"></script>'
const ASSET = 'console.log("the lab")'

let server: LabServer
let dir = ''

beforeAll(async () => {
  dir = tempDir('lab-serve-')
  mkdirSync(join(dir, 'static', 'assets'), { recursive: true })
  writeFileSync(join(dir, 'static', 'index.html'), INDEX)
  writeFileSync(join(dir, 'static', 'assets', 'app.js'), ASSET)
  server = await startServe({ staticDir: join(dir, 'static'), dbPath: join(dir, 'workspace.db') })
})
afterAll(async () => {
  await server?.close()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One HTTP request with exactly these headers (Host defaults to the server's own; '' sends none). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        // An empty host: no Host header at all.
        setHost: false,
        headers: Object.fromEntries(
          Object.entries({ host: `127.0.0.1:${server.port}`, ...headers }).filter(([, v]) => v !== '')
        )
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

const wrongToken = (): string => server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A')
const cookie = (value = server.token): string => `${server.cookieName}=${value}`

/** The session cookie a page request with the token is given. */
async function sessionCookie(): Promise<string> {
  const res = await get(`/?token=${server.token}`)
  const set = res.headers['set-cookie'] ?? []
  expect(set).toHaveLength(1)
  return set[0].split(';')[0]
}

describe('lab serve over HTTP', () => {
  it('refuses the index, assets and folders without a token or cookie (401, no content)', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/assets/', '/?bridge=x', '/nope.js']) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const res = await get(path, {}, method)
        expect(res.status, `${method} ${path}`).toBe(401)
        expect(res.body, path).not.toContain('<title>')
        expect(res.body, path).not.toContain(ASSET)
        expect(res.headers['set-cookie'], path).toBeUndefined()
        expect(res.headers['content-type'], path).toBe('text/plain; charset=utf-8')
      }
    }
  })

  it('refuses a wrong token (401), also of another length and also with a valid cookie', async () => {
    for (const token of [wrongToken(), '', 'x', server.token.slice(0, 16), server.token + 'x']) {
      for (const path of ['/', '/index.html', '/assets/app.js']) {
        const res = await get(`${path}?token=${encodeURIComponent(token)}`)
        expect(res.status, `${path} ${token}`).toBe(401)
        expect(res.headers['set-cookie']).toBeUndefined()
      }
    }
    const res = await get(`/assets/app.js?token=${wrongToken()}`, { cookie: cookie() })
    expect(res.status).toBe(401)
  })

  it('refuses a wrong Host header (421), even with the token or the cookie', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:1`]) {
      const withToken = await get(`/?token=${server.token}`, { host })
      expect(withToken.status, host).toBe(421)
      expect(withToken.headers['set-cookie']).toBeUndefined()
      const withCookie = await get('/assets/app.js', { host, cookie: cookie() })
      expect(withCookie.status, host).toBe(421)
      expect(withCookie.body).not.toContain(ASSET)
    }
    expect((await get(`/?token=${server.token}`, { host: `localhost:${server.port}` })).status).toBe(302)
    // No Host header at all: Node's HTTP server refuses it before the lab sees it.
    expect((await get(`/?token=${server.token}`, { host: '' })).status).toBe(400)
  })

  it('gives the page request with the token an HttpOnly, SameSite=Strict session cookie; it alone serves the assets', async () => {
    const res = await get(`/?token=${server.token}`)
    // The redirect that adds the bridge URL is kept, and passes the token on.
    expect(res.status).toBe(302)
    const location = new URL(res.headers.location!, 'http://x').searchParams
    expect(location.get('bridge')).toBe(server.bridgeUrl)
    expect(location.get('token')).toBe(server.token)
    expect(res.headers['set-cookie']).toEqual([
      `${server.cookieName}=${server.token}; HttpOnly; SameSite=Strict; Path=/`
    ])
    expect(server.cookieName).toBe(`connectome_lab_${server.port}`)
    const session = await sessionCookie()

    const page = await get(`/?bridge=${encodeURIComponent(server.bridgeUrl)}&token=${server.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toBe(INDEX)
    const asset = await get('/assets/app.js', { cookie: session })
    expect(asset.status).toBe(200)
    expect(asset.body).toBe(ASSET)
    expect(asset.headers['set-cookie']).toBeUndefined() // only a request with the token sets it
    expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin')
    // Among other cookies, in any order.
    expect((await get('/assets/app.js', { cookie: `a=1; ${session}; b=2` })).body).toBe(ASSET)
    expect((await get('/index.html', { cookie: session })).body).toBe(INDEX)
    // `/` with the cookie alone: redirected to add the bridge, with no token filled in.
    const bare = await get('/', { cookie: session })
    expect(bare.status).toBe(302)
    expect(new URL(bare.headers.location!, 'http://x').searchParams.has('token')).toBe(false)
    // A folder is never listed, a missing file is a 404, other methods a 405, once authenticated.
    expect((await get('/assets/', { cookie: session })).status).toBe(404)
    expect((await get('/nope.js', { cookie: session })).status).toBe(404)
    expect((await get('/assets/app.js', { cookie: session }, 'POST')).status).toBe(405)
  })

  it('refuses a cookie with a wrong value, or under another name (another port)', async () => {
    for (const header of [
      cookie(wrongToken()),
      cookie(''),
      `connectome_lab_1=${server.token}`,
      `${server.cookieName}x=${server.token}`,
      server.token
    ]) {
      const res = await get('/assets/app.js', { cookie: header })
      expect(res.status, header).toBe(401)
      expect(res.body).not.toContain(ASSET)
    }
  })
})

describe('lab serve bridge (WebSocket)', () => {
  const page = (): string => `http://127.0.0.1:${server.port}`

  it('needs the token or the cookie (401 otherwise)', async () => {
    await expect(connect(server.bridgeUrl, null)).rejects.toThrow(/^HTTP 401$/)
    await expect(connect(server.bridgeUrl, wrongToken())).rejects.toThrow(/^HTTP 401$/)
    await expect(
      connect(server.bridgeUrl, null, { headers: { cookie: cookie(wrongToken()) } })
    ).rejects.toThrow(/^HTTP 401$/)
    // A wrong token is refused even with a valid cookie.
    await expect(connect(server.bridgeUrl, wrongToken(), { headers: { cookie: cookie() } })).rejects.toThrow(
      /^HTTP 401$/
    )
    const byToken = await connect(server.bridgeUrl, server.token, { origin: page() })
    byToken.close()
    const byCookie = await connect(server.bridgeUrl, null, {
      origin: page(),
      headers: { cookie: await sessionCookie() }
    })
    try {
      const reply = await exchange(byCookie, JSON.stringify({ id: 1, channel: 'app:info' }))
      expect(reply).toMatchObject({ id: 1, ok: true })
    } finally {
      byCookie.close()
    }
  })

  it('refuses other origins (403) and other hosts (421), with the token or the cookie', async () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null']) {
      await expect(connect(server.bridgeUrl, server.token, { origin })).rejects.toThrow(/^HTTP 403$/)
      await expect(
        connect(server.bridgeUrl, null, { origin, headers: { cookie: cookie() } })
      ).rejects.toThrow(/^HTTP 403$/)
    }
    await expect(
      connect(server.bridgeUrl, server.token, { headers: { host: 'evil.example' } })
    ).rejects.toThrow(/^HTTP 421$/)
  })
})
