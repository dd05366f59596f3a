/**
 * The app on the cluster: browser mode served with its rollouts on Redis (a real redis-server and a real
 * `lab worker`), a run started over the bridge, and its run view in headless Chromium naming the backend
 * and the worker serving it. Also `runs:backend` over the bridge, for the local pool and the cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type LabServer } from '../../src/engine/serve'
import type { GroupProcess } from '../helpers/processes'
import { startLabWorker, startRedis, type RedisServer } from '../helpers/redis'
import type WebSocket from 'ws'
import { connect, type BridgeReply } from './bridge-client'
import { buildApp, HAS_CHROMIUM, launchChromium, ROOT } from './browser'

let tmp = ''
let redis: RedisServer
let worker: GroupProcess
let server: LabServer
let outDir = ''

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-cluster-ui-'))
  redis = await startRedis()
  worker = await startLabWorker(redis.url, ['--concurrency', '1'])
  outDir = join(tmp, 'out')
  await buildApp(outDir)
  server = await startServe({
    port: 0,
    staticDir: join(outDir, 'renderer'),
    dbPath: join(tmp, 'ws.db'),
    rollouts: redis.url
  })
})

afterAll(async () => {
  await server?.close()
  worker?.killGroup()
  await redis?.stop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** One call over the bridge: the reply with this id (run events pushed meanwhile are skipped). */
function call(ws: WebSocket, id: number, channel: string, payload?: unknown): Promise<BridgeReply> {
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const m = JSON.parse(String(data)) as BridgeReply
      if (m.id !== id) return
      ws.off('message', onMessage)
      resolve(m)
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, channel, payload }))
  })
}

describe('the app with its rollouts on Redis', () => {
  it('runs:backend names the cluster and its worker; a run started from the app trains there', async () => {
    const ws = await connect(server.bridgeUrl, server.token)
    try {
      const b = await call(ws, 1, 'runs:backend')
      expect(b.ok, JSON.stringify(b.error)).toBe(true)
      expect(b.result).toMatchObject({
        kind: 'redis',
        description: `redis redis://127.0.0.1:${redis.port} (queue connectome-lab)`
      })
      expect((b.result as { workers: string[] }).workers).toEqual([
        expect.stringMatching(/^lab-worker@.+:\d+$/)
      ])
      const started = await call(ws, 2, 'runs:start', {
        algorithm: 'es',
        seed: 3,
        budget: { generations: 400 }
      })
      expect(started.ok, JSON.stringify(started.error)).toBe(true)
      const id = (started.result as { id: string }).id
      await expect.poll(() => worker.stderr, { timeout: 60_000 }).toMatch(/perturbations: done/)

      if (HAS_CHROMIUM) {
        const problems: string[] = []
        const browser = await launchChromium(problems)
        try {
          await browser.page.goto(`${server.url}#/runs/${id}`)
          const line = browser.page.getByTestId('rollout-backend')
          await expect
            .poll(() => line.textContent(), { timeout: 30_000 })
            .toMatch(/redis:\/\/127\.0\.0\.1:\d+ \(queue connectome-lab\)/)
          await expect
            .poll(() => browser.page.getByTestId('backend-workers').getAttribute('data-count'))
            .toBe('1')
          expect(await line.textContent()).toMatch(/lab-worker@/)
          await line.scrollIntoViewIfNeeded()
          await browser.page.screenshot({ path: join(ROOT, 'docs/screenshots/cluster-run.png') })
          expect(problems).toEqual([])
        } finally {
          await browser.close()
        }
      }
      const cancelled = await call(ws, 3, 'runs:cancel', { id })
      expect(cancelled.ok).toBe(true)
    } finally {
      ws.close()
    }
  })
})
