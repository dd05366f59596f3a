import { execFileSync, fork } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packGenomes } from '../../src/engine/pool/pack'
import type { FromWorker } from '../../src/engine/pool/protocol'
import { readConnectome } from '../../src/engine/resources'
import { ROOT } from '../helpers/cli'

/** The desktop build: what `npm start` runs. The Electron binary is not needed to build it. */
describe('electron-vite build', () => {
  const out = join(ROOT, 'test-results', 'build')
  it('bundles main, the pool worker, a CommonJS sandboxed preload and the renderer; the bundled worker runs rollouts', async () => {
    rmSync(out, { recursive: true, force: true })
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out],
      {
        cwd: ROOT,
        stdio: 'pipe'
      }
    )
    for (const f of ['main/index.js', 'main/worker.js', 'preload/index.cjs', 'renderer/index.html'])
      expect(existsSync(join(out, f)), f).toBe(true)
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8')
    expect(new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))).toEqual(
      new Set(['electron'])
    )

    const c = readConnectome()
    const child = fork(join(out, 'main/worker.js'), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc']
    })
    const replies: FromWorker[] = []
    const reply = new Promise<FromWorker>((resolve) =>
      child.on('message', (m: FromWorker) => {
        replies.push(m)
        if ('ready' in m) {
          child.send({
            id: 1,
            request: {
              kind: 'evaluate',
              env: { id: 'worm', task: 'pentagon' },
              genomes: packGenomes([c.w0], c.w0)
            }
          })
        } else resolve(m)
      })
    )
    const m = await reply
    child.kill()
    expect(m).toMatchObject({
      id: 1,
      ok: true,
      response: { kind: 'evaluate', results: [{ metrics: { foodEaten: 3 } }] }
    })
  })
})
