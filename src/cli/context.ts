import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { WorkerPool } from '../engine/pool/pool'
import { defaultDbPath } from '../engine/paths'
import { RunManager } from '../engine/runs/manager'
import { Store } from '../engine/store/store'

export interface DbOption {
  db?: string
}

/** Opens the workspace: `--db PATH`, or the per-user default shared with the desktop app. */
export function openStore(opts: DbOption): Store {
  if (opts.db) return Store.open(opts.db)
  const path = defaultDbPath()
  mkdirSync(dirname(path), { recursive: true })
  return Store.open(path)
}

/**
 * Runs `fn` with a store, a worker pool and a run manager, and always cleans up. Ctrl-C (SIGINT/SIGTERM)
 * stops the workers at once; interrupted runs are marked paused and continue with `lab resume`.
 */
export async function withEngine<T>(
  opts: DbOption & { workers?: number },
  fn: (e: { store: Store; pool: WorkerPool; manager: RunManager }) => Promise<T>
): Promise<T> {
  const store = openStore(opts)
  const pool = new WorkerPool({ size: opts.workers })
  const manager = new RunManager(store, pool)
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nlab: ${signal}: stopping; resume with \`lab resume RUN\`\n`)
    manager.flushAll()
    for (const run of store.listRuns({ status: 'running' })) {
      if (run.ownerPid !== process.pid) continue
      try {
        store.finishRun(run.id, 'paused', `interrupted by ${signal}`)
      } catch {
        /* taken over by another process meanwhile: its run now */
      }
    }
    void pool.close().finally(() => {
      store.close()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    await pool.ready()
    return await fn({ store, pool, manager })
  } finally {
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
    await pool.close()
    store.close()
  }
}

/** Runs `fn` with a run manager that has no workers (it pauses, cancels and deletes runs, in any process). */
export async function withManager<T>(opts: DbOption, fn: (manager: RunManager) => Promise<T>): Promise<T> {
  const store = openStore(opts)
  try {
    return await fn(new RunManager(store, null))
  } finally {
    store.close()
  }
}
