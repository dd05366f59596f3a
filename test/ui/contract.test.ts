/** The API contract and the Electron shell's pure parts (no Electron needed: electron is imported as types only). */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createDispatcher, createLabBackend } from '../../src/engine/api'
import { forwardRunEvents, registerApi, type RunEventTarget } from '../../src/main/ipc'
import { makeAppUrlCheck } from '../../src/main/security'
import { createLabApi } from '../../src/preload/api'
import {
  API_CHANNELS,
  CHANNELS,
  LAB_METHODS,
  LabApiError,
  RUN_EVENT_CHANNEL,
  decodeErrorMessage,
  encodeErrorMessage,
  type ApiEnvelope,
  type ChannelHandlers,
  type RunEvent
} from '../../src/shared/api'
import { bridgeUrlFrom, createApi } from '../../src/shared/client'
import { CSP_BASE, contentSecurityPolicy } from '../../src/shared/csp'

const ROOT = resolve(import.meta.dirname, '../..')
const backend = createLabBackend({ runtime: 'bridge' })

describe('API contract', () => {
  it('has one LabApi method per channel', () => {
    expect(Object.values(LAB_METHODS).sort()).toEqual(Object.keys(API_CHANNELS).sort())
    // one channel per method, none named twice
    expect(new Set(CHANNELS).size).toBe(Object.keys(LAB_METHODS).length)
    expect(CHANNELS).not.toContain(RUN_EVENT_CHANNEL)
  })

  it('answers every channel within the contract', async () => {
    const info = await backend.handle('app:info', undefined)
    expect(info.ok && info.result).toMatchObject({
      connectome: { connections: 3689, neurons: 302, muscles: 96 }
    })
    const summary = await backend.handle('connectome:summary', undefined)
    if (!summary.ok) throw new Error(summary.error.message)
    const s = summary.result as { counts: { connections: number }; nodes: unknown[]; edges: unknown[] }
    expect(s.counts.connections).toBe(3689)
    expect(s.edges).toHaveLength(3689)
    expect(s.nodes).toHaveLength(302 + 96)
    const run = await backend.handle('rollout:run', { task: 'pentagon' })
    expect(run.ok && run.result).toMatchObject({
      task: 'pentagon',
      foodEaten: 3,
      foodTotal: 36,
      genome: 'w0'
    })
  })

  it('validates requests before running anything', async () => {
    const handlers = Object.fromEntries(CHANNELS.map((c) => [c, vi.fn()])) as unknown as ChannelHandlers
    const handle = createDispatcher(handlers)
    for (const payload of [
      { task: 'dodecagon' },
      { task: 5 },
      {},
      null,
      'pentagon',
      { task: 'square', seed: 1 }
    ]) {
      const r = await handle('rollout:run', payload)
      expect(r.ok, JSON.stringify(payload)).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('bad-request')
    }
    expect((await handle('__proto__', undefined)).ok).toBe(false)
    expect(handlers['rollout:run']).not.toHaveBeenCalled()
    // The runs channels: ids, budgets, configs and generations are checked before anything runs.
    const bad: [string, unknown][] = [
      ['runs:get', { id: '../etc/passwd' }],
      ['runs:get', {}],
      ['runs:list', { status: 'exploded' }],
      ['runs:replay', { id: 'r1', generation: 0 }],
      ['runs:diff', { id: 'r1', limit: -1 }],
      ['runs:start', { algorithm: 'sgd', budget: { generations: 3 } }],
      ['runs:start', { algorithm: 'ea', budget: {} }],
      ['runs:start', { algorithm: 'ea', budget: { generations: 1.5 } }],
      ['runs:start', { algorithm: 'ea', task: 'circle', budget: { generations: 3 } }],
      ['runs:start', { algorithm: 'ea', budget: { generations: 3 }, config: { populationSize: 1 } }],
      ['runs:start', { algorithm: 'ea', budget: { generations: 3 }, config: { madsEvaluations: 10 } }],
      ['runs:start', { algorithm: 'ea', budget: { generations: 3 }, owner: 'me' }],
      ['runs:pause', { id: 7 }],
      ['runs:delete', undefined],
      ['runs:report-fig4', { ids: [] }],
      ['runs:report-fig4', { ids: ['r1'], groupBy: 'seed' }]
    ]
    for (const [channel, payload] of bad) {
      const r = await handle(channel, payload)
      expect(r.ok, `${channel} ${JSON.stringify(payload)}`).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('bad-request')
    }
    for (const c of CHANNELS) expect(handlers[c], c).not.toHaveBeenCalled()
  })

  it('reports handler failures and answers outside the contract', async () => {
    const good = backend.handlers
    const broken = createDispatcher({
      ...good,
      'app:info': () => {
        throw new Error('disk on fire')
      },
      'connectome:summary': () => ({ id: 'x' }) as never
    })
    expect(await broken('app:info', undefined)).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await broken('connectome:summary', undefined)).toMatchObject({
      ok: false,
      error: { code: 'bad-response' }
    })
  })
})

describe('preload', () => {
  it('exposes exactly the LabApi methods, each bound to its channel', async () => {
    const calls: [string, unknown][] = []
    const api = createLabApi(
      async (channel, payload) => {
        calls.push([channel, payload])
        return { ok: true, result: channel }
      },
      () => () => {}
    )
    expect(Object.keys(api).sort()).toEqual([...Object.keys(LAB_METHODS), 'onRunEvent'].sort())
    expect(Object.isFrozen(api)).toBe(true)
    await api.appInfo()
    await api.runRollout({ task: 'square' })
    expect(calls).toEqual([
      ['app:info', undefined],
      ['rollout:run', { task: 'square' }]
    ])
  })

  it('forwards run events to a listener until it unsubscribes', () => {
    const subscribed = new Set<(payload: unknown) => void>()
    const api = createLabApi(
      async () => ({ ok: true, result: null }),
      (listener) => {
        subscribed.add(listener)
        return () => subscribed.delete(listener)
      }
    )
    const seen: unknown[] = []
    const off = api.onRunEvent((e) => seen.push(e))
    for (const l of subscribed) l({ type: 'deleted', runId: 'r1' })
    off()
    off()
    expect(subscribed.size).toBe(0)
    expect(seen).toEqual([{ type: 'deleted', runId: 'r1' }])
    expect(() => api.onRunEvent('not a function' as never)).toThrow(TypeError)
  })

  it('turns error envelopes into errors the renderer can decode', async () => {
    const error = { code: 'bad-request' as const, message: 'rollout:run: invalid request: task: nope' }
    const api = createLabApi(
      async () => ({ ok: false, error }),
      () => () => {}
    )
    const thrown = await api.runRollout({ task: 'square' }).catch((e: unknown) => e as Error)
    expect(thrown).toBeInstanceOf(Error)
    const decoded = decodeErrorMessage((thrown as Error).message)
    expect(decoded).toMatchObject({ code: 'bad-request', message: error.message })
    const viaIpc = decodeErrorMessage(
      `Error invoking remote method 'rollout:run': Error: ${encodeErrorMessage(error)}`
    )
    expect(viaIpc.code).toBe('bad-request')
    expect(
      decodeErrorMessage(encodeErrorMessage({ code: 'unknown-run', message: 'unknown run' }))
    ).toMatchObject({
      code: 'unknown-run',
      message: 'unknown run'
    })
  })
})

describe('client (renderer side of the contract)', () => {
  it('validates responses against the contract', async () => {
    const api = createApi(
      async (channel) => (channel === 'app:info' ? { name: 'not an AppInfo' } : null),
      () => () => {}
    )
    await expect(api.appInfo()).rejects.toMatchObject({ code: 'bad-response' })
    await expect(api.appInfo()).rejects.toBeInstanceOf(LabApiError)
  })

  it('validates run events and drops those outside the contract', () => {
    let push: (raw: unknown) => void = () => {}
    const invalid: LabApiError[] = []
    const api = createApi(
      async () => null,
      (listener) => {
        push = listener
        return () => {}
      },
      (e) => invalid.push(e)
    )
    const seen: RunEvent[] = []
    api.onRunEvent((e) => seen.push(e))
    push({ type: 'deleted', runId: 'r1' })
    push({ type: 'progress', runId: 'r1', generation: -1 })
    push({ type: 'shell', command: 'rm -rf /' })
    expect(seen).toEqual([{ type: 'deleted', runId: 'r1' }])
    expect(invalid.map((e) => e.code)).toEqual(['bad-response', 'bad-response'])
  })

  it('takes the bridge URL only from a ws(s) ?bridge= parameter', () => {
    expect(bridgeUrlFrom('?bridge=ws://127.0.0.1:4321/bridge')).toBe('ws://127.0.0.1:4321/bridge')
    expect(bridgeUrlFrom('?bridge=https://example.com')).toBeNull()
    expect(bridgeUrlFrom('?bridge=javascript:alert(1)')).toBeNull()
    expect(bridgeUrlFrom('')).toBeNull()
  })

  it("carries the page's session token (&token=) to the bridge URL", () => {
    const bridge = encodeURIComponent('ws://127.0.0.1:4321/bridge')
    expect(bridgeUrlFrom(`?bridge=${bridge}&token=abc_DEF-123`)).toBe(
      'ws://127.0.0.1:4321/bridge?token=abc_DEF-123'
    )
    expect(bridgeUrlFrom('?token=abc&bridge=ws://127.0.0.1:4321/bridge')).toBe(
      'ws://127.0.0.1:4321/bridge?token=abc'
    )
    // A token with URL metacharacters stays one parameter; an empty one adds nothing.
    expect(bridgeUrlFrom(`?bridge=${bridge}&token=${encodeURIComponent('a&b=c#d')}`)).toBe(
      'ws://127.0.0.1:4321/bridge?token=a%26b%3Dc%23d'
    )
    expect(bridgeUrlFrom(`?bridge=${bridge}&token=`)).toBe('ws://127.0.0.1:4321/bridge')
    expect(bridgeUrlFrom('?token=abc')).toBeNull()
  })

  it('passes valid responses through', async () => {
    const api = createApi(
      async (channel, payload) => {
        const r = await backend.handle(channel, payload)
        if (!r.ok) throw new Error(r.error.message)
        return r.result
      },
      () => () => {}
    )
    expect((await api.runRollout({ task: 'triangle' })).foodEaten).toBe(7)
  })
})

describe('main process', () => {
  it('registers one ipcMain handler per channel and refuses untrusted frames', async () => {
    const registered = new Map<string, (event: unknown, payload: unknown) => Promise<ApiEnvelope>>()
    const ipcMain = {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<ApiEnvelope>) =>
        registered.set(channel, fn),
      removeHandler: (channel: string) => registered.delete(channel)
    }
    const unregister = registerApi(
      ipcMain as never,
      backend.handle,
      (event) => (event as unknown) === 'trusted'
    )
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort())
    const run = registered.get('rollout:run')!
    expect(await run('trusted', { task: 'pentagon' })).toMatchObject({ ok: true, result: { foodEaten: 3 } })
    expect(await run('trusted', { task: 'nonagon' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    expect(await run('evil', { task: 'pentagon' })).toMatchObject({ ok: false, error: { code: 'transport' } })
    unregister()
    expect(registered.size).toBe(0)
  })

  it('forwards run events only to live windows showing the app', () => {
    const isApp = makeAppUrlCheck({ rendererFile: '/opt/lab/out/renderer/index.html' })
    const sent: [string, string, unknown][] = []
    const target = (name: string, url: string, destroyed = false): RunEventTarget => ({
      isDestroyed: () => destroyed,
      getURL: () => url,
      send: (channel, event) => void sent.push([name, channel, event])
    })
    let emit: (e: RunEvent) => void = () => {}
    const off = forwardRunEvents(
      (listener) => {
        emit = listener
        return () => (emit = () => {})
      },
      () => [
        target('app', 'file:///opt/lab/out/renderer/index.html#/runs'),
        target('closed', 'file:///opt/lab/out/renderer/index.html', true),
        target('other', 'https://example.com/')
      ],
      isApp
    )
    emit({ type: 'deleted', runId: 'r1' })
    off()
    emit({ type: 'deleted', runId: 'r2' })
    expect(sent).toEqual([['app', RUN_EVENT_CHANNEL, { type: 'deleted', runId: 'r1' }]])
  })

  it('recognises only the app itself as a navigation/IPC origin', () => {
    const file = '/opt/Connectome Lab/out/renderer/index.html'
    const prod = makeAppUrlCheck({ rendererFile: file })
    expect(prod('file:///opt/Connectome%20Lab/out/renderer/index.html')).toBe(true)
    expect(prod('file:///opt/Connectome%20Lab/out/renderer/index.html#/runs')).toBe(true)
    expect(prod('file:///etc/passwd')).toBe(false)
    expect(prod('https://example.com/')).toBe(false)
    expect(prod('http://localhost:5173/')).toBe(false)
    expect(prod('not a url')).toBe(false)
    const dev = makeAppUrlCheck({ rendererFile: file, devServerUrl: 'http://localhost:5173' })
    expect(dev('http://localhost:5173/src/main.ts')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
  })

  it('uses the same CSP in the renderer meta tag and in the headers', () => {
    const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(CSP_BASE.join('; '))
    const header = contentSecurityPolicy()
    for (const d of CSP_BASE) expect(header).toContain(d)
    expect(header).toContain("object-src 'none'")
    expect(header).not.toContain('unsafe-eval')
  })
})
