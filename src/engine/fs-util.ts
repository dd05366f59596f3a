import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * Size limits of the files the lab reads (documented in docs/limits.md). Far above any real file (a
 * genome of 3,689 weights is 30 KB as .npy, 75 KB as JSON, 100-260 KB as CSV; a food layout of 36
 * points is under 1 KB), and small enough that reading one takes milliseconds and a few MB of memory.
 */
export const FILE_LIMITS = {
  /** Genome files: .json, .npy and .csv. */
  genome: 8 * 1024 * 1024,
  /** Food layouts (`--food`): .json and .csv. */
  foodLayout: 1024 * 1024,
  /** JSON option files (`--config FILE`, `--env-config FILE`). */
  jsonOption: 1024 * 1024
} as const

/** An input or output file the lab refuses (not a regular file, too large, unwritable, …). */
export class FileError extends Error {
  override name = 'FileError'
}

/** "8 MiB", "512 KiB", "100 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/** What a non-regular file is, for error messages. */
export function fileKind(s: Stats): string {
  if (s.isFile()) return 'a regular file'
  if (s.isDirectory()) return 'a directory'
  if (s.isFIFO()) return 'a FIFO (named pipe)'
  if (s.isSocket()) return 'a socket'
  if (s.isCharacterDevice()) return 'a character device'
  if (s.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

const errCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String((e as Error).message ?? e)

/**
 * Reads a whole regular file of at most `maxBytes` bytes. Refuses anything else — a FIFO, a device such
 * as /dev/zero, a directory, a socket — without opening it for reading (stat first; the open is
 * non-blocking, and the opened file is checked again with fstat), and refuses a file over the limit
 * before reading it (and stops reading at the limit, should it grow meanwhile). `what` names the file in
 * errors ("genome file", "--config file"). Memory: at most `maxBytes` (+1) bytes.
 */
export function readRegularFile(path: string, opts: { maxBytes: number; what: string }): Buffer {
  const { maxBytes, what } = opts
  if (path === '') throw new FileError(`${what}: the path is empty`)
  const refuse = (s: Stats): void => {
    if (!s.isFile()) throw new FileError(`${what} '${path}' is ${fileKind(s)}, not a regular file`)
    if (s.size > maxBytes)
      throw new FileError(
        `${what} '${path}' is ${s.size} bytes, over the ${formatBytes(maxBytes)} limit for a ${what}`
      )
  }
  let st: Stats
  try {
    st = statSync(path)
  } catch (e) {
    throw new FileError(`cannot read ${what} '${path}': ${errCode(e)}`)
  }
  refuse(st)
  let fd: number
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, the open does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  } catch (e) {
    throw new FileError(`cannot read ${what} '${path}': ${errCode(e)}`)
  }
  try {
    refuse(fstatSync(fd))
    // Read to EOF (some regular files, e.g. under /proc, report size 0), never past maxBytes + 1.
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total))
      let n: number
      try {
        n = readSync(fd, chunk, 0, chunk.length, null)
      } catch (e) {
        throw new FileError(`cannot read ${what} '${path}': ${errCode(e)}`)
      }
      if (n === 0) break
      chunks.push(chunk.subarray(0, n))
      total += n
      if (total > maxBytes)
        throw new FileError(
          `${what} '${path}' is over the ${formatBytes(maxBytes)} limit for a ${what} (it grew while being read)`
        )
    }
    return Buffer.concat(chunks, total)
  } finally {
    closeSync(fd)
  }
}

/** Whether a directory can take new files: write and search permission, and at least one write bit. */
function dirWritable(dir: string, st: Stats): boolean {
  // A directory without write bits is read-only for us too, even when running as root.
  if ((st.mode & 0o222) === 0) return false
  try {
    accessSync(dir, constants.W_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Checks, before any work starts, that `path` (the value of option `flag`) can be written: not empty,
 * not a directory or other non-regular file (a FIFO, /dev/null, …), not read-only, in an existing,
 * writable directory, and not one of `avoid` (e.g. the workspace database). Writes nothing. The write
 * itself goes through writeFileAtomic, so a failure later still leaves no partial file.
 */
export function checkOutputPath(path: string, flag: string, opts: { avoid?: string[] } = {}): void {
  if (path.trim() === '') throw new FileError(`${flag}: the output path is empty`)
  const target = resolve(path)
  if (path.endsWith('/') || path.endsWith('\\'))
    throw new FileError(`${flag} '${path}' names a directory, not a file`)
  // writeFileAtomic writes a sibling `.<name>.<pid>.tmp` first: its name must fit too (NAME_MAX 255).
  if (Buffer.byteLength(basename(target)) > 255 - 24)
    throw new FileError(`${flag} '${path}': the file name is too long (at most 231 bytes)`)
  let st: Stats | undefined
  try {
    st = statSync(target)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw new FileError(`${flag} '${path}' cannot be written: ${errCode(e)}`)
  }
  for (const other of opts.avoid ?? []) {
    const same = [other, `${other}-wal`, `${other}-shm`, `${other}-journal`].some((p) => {
      if (resolve(p) === target) return true
      try {
        const o = statSync(p)
        return st !== undefined && o.dev === st.dev && o.ino === st.ino
      } catch {
        return false
      }
    })
    if (same) throw new FileError(`${flag} '${path}' is the workspace database '${other}'; pick another file`)
  }
  if (st) {
    if (st.isDirectory()) throw new FileError(`${flag} '${path}' is a directory, not a file`)
    if (!st.isFile())
      throw new FileError(`${flag} '${path}' is ${fileKind(st)}; the lab writes only regular files`)
    if ((st.mode & 0o222) === 0) throw new FileError(`${flag} '${path}' is read-only`)
  }
  const dir = dirname(target)
  let dst: Stats
  try {
    dst = statSync(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new FileError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${flag} '${path}': directory '${dirname(path)}' does not exist`
        : `${flag} '${path}': cannot use directory '${dirname(path)}': ${errCode(e)}`
    )
  }
  if (!dst.isDirectory()) throw new FileError(`${flag} '${path}': '${dirname(path)}' is not a directory`)
  if (!dirWritable(dir, dst))
    throw new FileError(`${flag} '${path}': directory '${dirname(path)}' is read-only`)
}

/** Writes a file atomically: a temporary sibling, fsync, then rename. Nothing half-written is left. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    rmSync(tmp, { force: true })
    const fd = openSync(tmp, 'wx', 0o666)
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
      let done = 0
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new FileError(`cannot write '${path}': ${errCode(e)}`)
  }
  try {
    // Make the rename itself durable; not every platform can fsync a directory.
    const dfd = openSync(dirname(path), 'r')
    try {
      fsyncSync(dfd)
    } finally {
      closeSync(dfd)
    }
  } catch {
    /* best effort */
  }
}
