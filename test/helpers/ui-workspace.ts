/**
 * The UI tests' workspace: a temp folder holding a real SQLite workspace, seeded with runs trained by the
 * engine exactly as the CLI would (a RunManager on a real WorkerPool), and the app built by electron-vite
 * and served over it by startServe (the bridge a browser reaches with the session token).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { startServe, type LabServer } from '../../src/engine/serve'
import { Store } from '../../src/engine/store/store'
import { buildApp } from '../ui/browser'

export interface SeedContext {
  store: Store
  manager: RunManager
  dbPath: string
}

export interface ServedWorkspace<T> {
  tmp: string
  dbPath: string
  server: LabServer
  /** What the seed function returned. */
  seeded: T
  /** Stops the server and removes the folder. */
  close(): Promise<void>
}

/** Creates, seeds (the pool and the store are closed after `seed`), builds and serves a workspace. */
export async function serveWorkspace<T>(
  name: string,
  seed: (ctx: SeedContext) => Promise<T>,
  opts: { poolSize?: number } = {}
): Promise<ServedWorkspace<T>> {
  const tmp = mkdtempSync(join(tmpdir(), `connectome-lab-${name}-`))
  const dbPath = join(tmp, 'workspace', 'workspace.db')
  mkdirSync(dirname(dbPath))
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: opts.poolSize ?? 1 })
  let seeded: T
  try {
    await pool.ready()
    seeded = await seed({ store, manager: new RunManager(store, pool), dbPath })
  } finally {
    await pool.close()
    store.close()
  }
  const outDir = join(tmp, 'out')
  await buildApp(outDir)
  const server = await startServe({ port: 0, staticDir: join(outDir, 'renderer'), dbPath, workers: 1 })
  return {
    tmp,
    dbPath,
    server,
    seeded,
    async close() {
      await server.close()
      rmSync(tmp, { recursive: true, force: true })
    }
  }
}

/** Trains a small EA run on the pentagon to its end (population 6), returning its id. */
export async function trainEa(manager: RunManager, seed: number, generations: number): Promise<string> {
  const run = manager.create({
    algorithm: 'ea',
    seed,
    config: { populationSize: 6 },
    budget: { generations }
  })
  await manager.start(run.id)
  return run.id
}
