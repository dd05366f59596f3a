import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'

export const ROOT = resolve(import.meta.dirname, '..', '..')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real `lab` CLI in a child process (Node + tsx, as `npm run lab` does). */
export function lab(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/lab.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 120_000
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

export const tempDir = (prefix = 'lab-test-'): string => mkdtempSync(join(tmpdir(), prefix))

/** Generation rows stored in a workspace file so far (0 while it does not exist or is not ready). */
export function storedGenerations(db: string): number {
  if (!existsSync(db)) return 0
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return (d.prepare('SELECT COUNT(*) AS n FROM generations').get() as { n: number }).n
    } finally {
      d.close()
    }
  } catch {
    return 0 // not created yet
  }
}
