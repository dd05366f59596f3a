/** The preload's `window.labShell` (src/preload/api.ts createLabShell): narrow, typed, errors encoded. */
import { describe, expect, it } from 'vitest'
import { createLabShell } from '../../src/preload/api'
import { decodeErrorMessage, type ApiEnvelope } from '../../src/shared/methods'

describe('createLabShell', () => {
  it('exposes exactly saveFile and onMenuCommand, frozen', () => {
    const shell = createLabShell(
      () => Promise.resolve({ ok: true, result: { saved: false } }),
      () => () => {}
    )
    expect(Object.keys(shell).sort()).toEqual(['onMenuCommand', 'saveFile'])
    expect(Object.isFrozen(shell)).toBe(true)
  })

  it('passes the request on as is and returns the result', async () => {
    const seen: unknown[] = []
    const shell = createLabShell(
      (req) => {
        seen.push(req)
        return Promise.resolve({ ok: true, result: { saved: true, path: '/tmp/g.npy' } })
      },
      () => () => {}
    )
    const bytes = new Uint8Array([1, 2])
    expect(await shell.saveFile({ suggestedName: 'g.npy', bytes })).toEqual({
      saved: true,
      path: '/tmp/g.npy'
    })
    expect(seen).toEqual([{ suggestedName: 'g.npy', bytes }])
  })

  it("rejects with the main process's error, its code kept for the renderer", async () => {
    const failing: ApiEnvelope = {
      ok: false,
      error: {
        code: 'bad-request',
        message: 'files:save: invalid request: suggestedName: the file name is empty'
      }
    }
    const shell = createLabShell(
      () => Promise.resolve(failing),
      () => () => {}
    )
    const e = await shell.saveFile({ suggestedName: '', bytes: new Uint8Array() }).catch((x: Error) => x)
    expect(e).toBeInstanceOf(Error)
    const decoded = decodeErrorMessage((e as Error).message)
    expect(decoded.code).toBe('bad-request')
    expect(decoded.message).toMatch(/suggestedName: the file name is empty/)
  })

  it('passes on known menu commands only, and unsubscribes', () => {
    let emit: (payload: unknown) => void = () => {}
    let unsubscribed = false
    const shell = createLabShell(
      () => Promise.reject(new Error('unused')),
      (listener) => {
        emit = listener
        return () => void (unsubscribed = true)
      }
    )
    const got: string[] = []
    const off = shell.onMenuCommand((c) => got.push(c))
    for (const p of ['new-run', 'rm -rf', { command: 'new-run' }, 'export-genome', undefined]) emit(p)
    expect(got).toEqual(['new-run', 'export-genome'])
    off()
    expect(unsubscribed).toBe(true)
    expect(() => shell.onMenuCommand('x' as never)).toThrow(/expected a listener function/)
  })
})
