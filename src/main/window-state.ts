/**
 * The window's bounds and maximised state, remembered in userData/window-state.json: read (and validated)
 * once at start, written debounced while the window moves or resizes and at once when it closes. A file
 * that is missing, corrupt, outside the schema, or whose bounds lie off every display gives the defaults.
 */
import { existsSync } from 'node:fs'
import { z } from 'zod'
import { readRegularFile, writeFileAtomic } from '../engine/fs-util'

/** Far above any real state file (about 80 bytes). */
const MAX_STATE_BYTES = 64 * 1024

export const DEFAULT_WINDOW_STATE = { width: 1360, height: 900, maximized: false } as const
export const MIN_WINDOW = { width: 980, height: 640 } as const

const coord = z.number().int().min(-100_000).max(100_000)
const size = (min: number) => z.number().int().min(min).max(100_000)

export const windowStateSchema = z.strictObject({
  x: coord.optional(),
  y: coord.optional(),
  width: size(MIN_WINDOW.width),
  height: size(MIN_WINDOW.height),
  maximized: z.boolean()
})
export type WindowState = z.infer<typeof windowStateSchema>

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** Whether enough of the window's title bar (100 × 40 px) lies on one of the displays to grab it. */
export function isOnScreen(b: Rect, workAreas: Rect[]): boolean {
  return workAreas.some((a) => {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x)
    const h = Math.min(b.y + 40, a.y + a.height) - Math.max(b.y, a.y)
    return w >= 100 && h >= 40
  })
}

/** The remembered state, or the defaults (and why, for the log) when there is none usable. */
export function readWindowState(
  file: string,
  workAreas: Rect[]
): { state: WindowState; problem: string | null } {
  const defaults = { state: { ...DEFAULT_WINDOW_STATE }, problem: null }
  if (!existsSync(file)) return defaults
  let text: string
  try {
    // A regular file of at most 64 KiB (not a FIFO, a device or a directory).
    text = readRegularFile(file, { maxBytes: MAX_STATE_BYTES, what: 'window state file' }).toString('utf8')
  } catch (e) {
    return { ...defaults, problem: (e as Error).message }
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    return { ...defaults, problem: `${file} is not JSON: ${(e as Error).message}` }
  }
  const parsed = windowStateSchema.safeParse(data)
  if (!parsed.success)
    return {
      ...defaults,
      problem: `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    }
  const s = parsed.data
  if (s.x === undefined || s.y === undefined) return { state: s, problem: null }
  if (!isOnScreen({ x: s.x, y: s.y, width: s.width, height: s.height }, workAreas))
    return { ...defaults, problem: `${file}: the window would be off-screen` }
  return { state: s, problem: null }
}

/** The bits of a BrowserWindow the keeper uses. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
  isDestroyed(): boolean
}

/** Saves the window's state on every change, debounced by `debounceMs`, and at once on close. */
export function keepWindowState(
  win: TrackedWindow,
  file: string,
  opts: { debounceMs?: number; write?: (file: string, text: string) => void; log?: (m: string) => void } = {}
): { flush(): void } {
  const write = opts.write ?? writeFileAtomic
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (win.isDestroyed()) return
    const b = win.getNormalBounds()
    const state: WindowState = {
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.max(MIN_WINDOW.width, Math.round(b.width)),
      height: Math.max(MIN_WINDOW.height, Math.round(b.height)),
      maximized: win.isMaximized()
    }
    try {
      write(file, JSON.stringify(state) + '\n')
    } catch (e) {
      opts.log?.(`window state not saved: ${(e as Error).message}`)
    }
  }
  const schedule = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(flush, opts.debounceMs ?? 500)
  }
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev, schedule)
  win.on('close', flush)
  return { flush }
}
