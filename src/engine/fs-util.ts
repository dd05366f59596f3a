import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** Writes a file atomically: a temporary sibling, fsync, then rename. Nothing half-written is left. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    const fd = openSync(tmp, 'w')
    try {
      if (typeof data === 'string') writeSync(fd, data)
      else writeSync(fd, data)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new Error(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}
