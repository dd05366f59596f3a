/** The remembered window state: read and validated (corrupt or off-screen → defaults), written debounced. */
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_WINDOW_STATE,
  isOnScreen,
  keepWindowState,
  readWindowState,
  type Rect
} from '../../src/main/window-state'

const dir = mkdtempSync(join(tmpdir(), 'connectome-lab-window-state-'))
const file = join(dir, 'window-state.json')
const screens: Rect[] = [{ x: 0, y: 0, width: 1920, height: 1080 }]
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => rmSync(file, { force: true }))

describe('readWindowState', () => {
  it('gives the defaults when there is no file, without a complaint', () => {
    expect(readWindowState(file, screens)).toEqual({ state: DEFAULT_WINDOW_STATE, problem: null })
  })

  it('reads back a valid state', () => {
    const s = { x: 100, y: 50, width: 1200, height: 800, maximized: true }
    writeFileSync(file, JSON.stringify(s))
    expect(readWindowState(file, screens)).toEqual({ state: s, problem: null })
  })

  it.each([
    ['not JSON', '{"x": 1,', /not JSON/],
    ['a wrong type', JSON.stringify({ width: '1200', height: 800, maximized: false }), /width/],
    ['too small', JSON.stringify({ width: 200, height: 100, maximized: false }), /width/],
    [
      'unknown keys',
      JSON.stringify({ width: 1200, height: 800, maximized: false, devTools: true }),
      /devTools/
    ],
    ['an array', '[]', /expected object/],
    ['NaN-like', '{"width": 1e400, "height": 800, "maximized": false}', /width/]
  ])('gives the defaults for a corrupt file (%s) and says why', (_what, text, why) => {
    writeFileSync(file, text)
    const r = readWindowState(file, screens)
    expect(r.state).toEqual(DEFAULT_WINDOW_STATE)
    expect(r.problem).toMatch(why)
  })

  it('gives the defaults for a file too large or not a regular file', () => {
    writeFileSync(file, ' '.repeat(70_000))
    expect(readWindowState(file, screens)).toMatchObject({
      state: DEFAULT_WINDOW_STATE,
      problem: /over the 64 KiB limit/
    })
    rmSync(file)
    mkdirSync(file)
    try {
      expect(readWindowState(file, screens)).toMatchObject({
        state: DEFAULT_WINDOW_STATE,
        problem: /a directory/
      })
    } finally {
      rmSync(file, { recursive: true })
    }
  })

  it('gives the defaults when the window would be off every screen (a display was unplugged)', () => {
    writeFileSync(file, JSON.stringify({ x: 2500, y: 100, width: 1200, height: 800, maximized: false }))
    expect(readWindowState(file, screens)).toMatchObject({
      state: DEFAULT_WINDOW_STATE,
      problem: /off-screen/
    })
    // The same position is fine with a second display to the right.
    const two = [...screens, { x: 1920, y: 0, width: 2560, height: 1440 }]
    expect(readWindowState(file, two).problem).toBeNull()
  })

  it('tells a grabbable title bar from one that is off-screen', () => {
    expect(isOnScreen({ x: 0, y: 0, width: 1000, height: 700 }, screens)).toBe(true)
    expect(isOnScreen({ x: -950, y: 0, width: 1000, height: 700 }, screens)).toBe(false) // 50 px visible
    expect(isOnScreen({ x: 100, y: 1060, width: 1000, height: 700 }, screens)).toBe(false) // title bar below
    expect(isOnScreen({ x: 100, y: -30, width: 1000, height: 700 }, screens)).toBe(false) // title bar above
  })
})

class FakeWin extends EventEmitter {
  bounds: Rect = { x: 10, y: 20, width: 1300, height: 850 }
  maximized = false
  getNormalBounds = (): Rect => this.bounds
  isMaximized = (): boolean => this.maximized
  isDestroyed = (): boolean => false
}

describe('keepWindowState', () => {
  it('writes once per burst of moves and resizes (debounced), and at once on close', () => {
    vi.useFakeTimers()
    try {
      const win = new FakeWin()
      const writes: string[] = []
      keepWindowState(win, file, { debounceMs: 500, write: (_f, text) => void writes.push(text) })
      for (let i = 0; i < 20; i++) {
        win.bounds = { ...win.bounds, x: 10 + i }
        win.emit('move')
        vi.advanceTimersByTime(50)
      }
      expect(writes).toHaveLength(0)
      vi.advanceTimersByTime(500)
      expect(writes).toHaveLength(1)
      expect(JSON.parse(writes[0])).toEqual({ x: 29, y: 20, width: 1300, height: 850, maximized: false })
      win.maximized = true
      win.emit('maximize')
      win.emit('close')
      expect(writes).toHaveLength(2)
      expect(JSON.parse(writes[1])).toMatchObject({ maximized: true, width: 1300 })
      vi.advanceTimersByTime(1000)
      expect(writes).toHaveLength(2) // the close flushed the pending write
    } finally {
      vi.useRealTimers()
    }
  })

  it('writes a file readWindowState reads back (atomically, the default writer)', () => {
    const win = new FakeWin()
    const keeper = keepWindowState(win, file)
    keeper.flush()
    expect(existsSync(file)).toBe(true)
    expect(readWindowState(file, screens)).toEqual({
      state: { x: 10, y: 20, width: 1300, height: 850, maximized: false },
      problem: null
    })
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true)
  })

  it('logs, and does not throw, when the file cannot be written', () => {
    const win = new FakeWin()
    const logs: string[] = []
    keepWindowState(win, join(dir, 'missing-dir', 'state.json'), { log: (m) => logs.push(m) }).flush()
    expect(logs[0]).toMatch(/window state not saved: cannot write/)
  })
})
