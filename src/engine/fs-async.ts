/** Asynchronous twin of fs-util's writeFileAtomic, for callers that must not block (the Electron main process). */
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { FileError } from './fs-util'

/** Writes a file atomically: a temporary sibling, fsync, then rename. Nothing half-written is left. */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    await rm(tmp, { force: true })
    const fh = await open(tmp, 'wx', 0o666)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw new FileError(
      `cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
    )
  }
}
