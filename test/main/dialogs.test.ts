/** The save-file flow of src/main/dialogs.ts on its own: validation before the dialog, atomic writes. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileAtomicAsync } from '../../src/engine/fs-async'
import { registerSaveFile, saveFile, type SaveFileDeps } from '../../src/main/dialogs'
import { SAVE_FILE_CHANNEL, SAVE_FILE_LIMITS } from '../../src/shared/shell'

const dir = mkdtempSync(join(tmpdir(), 'connectome-lab-dialogs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const event = {} as IpcMainInvokeEvent

function deps(answer: { canceled: boolean; filePath?: string }, extra: Partial<SaveFileDeps> = {}) {
  const shown: unknown[] = []
  const d: SaveFileDeps = {
    showSaveDialog: (_e, options) => {
      shown.push(options)
      return Promise.resolve(answer)
    },
    defaultDir: () => dir,
    ...extra
  }
  return { d, shown }
}

/** A Uint8Array that reports a size over the limit without allocating it. */
class Oversized extends Uint8Array {
  override get byteLength(): number {
    return SAVE_FILE_LIMITS.maxBytes + 1
  }
}

describe('saveFile', () => {
  it('refuses a file over 512 MiB before any dialog opens', async () => {
    const { d, shown } = deps({ canceled: false, filePath: join(dir, 'big.webm') })
    await expect(saveFile(event, { suggestedName: 'big.webm', bytes: new Oversized(4) }, d)).rejects.toThrow(
      /bytes: at most 512 MiB/
    )
    expect(shown).toEqual([])
    expect(existsSync(join(dir, 'big.webm'))).toBe(false)
  })

  it('replaces an existing file atomically with exactly the new bytes', async () => {
    const target = join(dir, 'g.csv')
    writeFileSync(target, 'old contents')
    const { d, shown } = deps({ canceled: false, filePath: target })
    const bytes = new TextEncoder().encode('pre,post,w0,w,delta\n')
    expect(await saveFile(event, { suggestedName: 'g.csv', bytes }, d)).toEqual({ saved: true, path: target })
    expect(readFileSync(target, 'utf8')).toBe('pre,post,w0,w,delta\n')
    expect(shown[0]).toMatchObject({ defaultPath: join(dir, 'g.csv') })
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('a failed write leaves the old file as it was and no temporary file', async () => {
    const target = join(dir, 'keep.json')
    writeFileSync(target, '{"old":true}')
    const { d } = deps(
      { canceled: false, filePath: target },
      { write: () => Promise.reject(new Error('ENOSPC: no space left on device')) }
    )
    await expect(
      saveFile(event, { suggestedName: 'keep.json', bytes: new Uint8Array([1]) }, d)
    ).rejects.toThrow(/ENOSPC/)
    expect(readFileSync(target, 'utf8')).toBe('{"old":true}')
  })

  it('the atomic writer leaves no temporary file when the final rename fails', async () => {
    const target = join(dir, 'a-folder')
    mkdirSync(join(target, 'inside'), { recursive: true })
    await expect(writeFileAtomicAsync(target, new Uint8Array([1, 2, 3]))).rejects.toThrow(/cannot write/)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(readdirSync(target)).toEqual(['inside'])
  })

  it('refuses a chosen path in a missing folder, naming it', async () => {
    const { d } = deps({ canceled: false, filePath: join(dir, 'nope', 'g.npy') })
    await expect(saveFile(event, { suggestedName: 'g.npy', bytes: new Uint8Array([1]) }, d)).rejects.toThrow(
      /save path .*directory .*nope.* does not exist/
    )
  })

  it('cancel: nothing written, { saved: false }', async () => {
    const { d } = deps({ canceled: true, filePath: join(dir, 'cancelled.npy') })
    expect(await saveFile(event, { suggestedName: 'cancelled.npy', bytes: new Uint8Array([1]) }, d)).toEqual({
      saved: false
    })
    expect(existsSync(join(dir, 'cancelled.npy'))).toBe(false)
  })
})

describe('registerSaveFile', () => {
  it('registers one handler, which answers envelopes and never throws; unregisters', async () => {
    const handlers = new Map<string, (e: unknown, p: unknown) => Promise<unknown>>()
    const ipc = {
      handle: (c: string, h: (e: unknown, p: unknown) => Promise<unknown>) => void handlers.set(c, h),
      removeHandler: (c: string) => void handlers.delete(c)
    }
    const { d } = deps({ canceled: true })
    const off = registerSaveFile(ipc as never, d, () => true)
    expect([...handlers.keys()]).toEqual([SAVE_FILE_CHANNEL])
    const bad = (await handlers.get(SAVE_FILE_CHANNEL)!(event, { suggestedName: 'a/b' })) as {
      ok: boolean
      error: { code: string; issues: { path: string }[] }
    }
    expect(bad.ok).toBe(false)
    expect(bad.error.code).toBe('bad-request')
    expect(bad.error.issues.map((i) => i.path).sort()).toEqual(['bytes', 'suggestedName'])
    off()
    expect(handlers.size).toBe(0)
  })
})
