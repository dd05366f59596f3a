/**
 * Reading the replay player's canvas in the page, for test/ui/replay.test.ts: colours counted in the
 * arena or the activity panel (the player's data-arena / data-net rects), snapshots compared, and the
 * player's own frame counter.
 */
import type { Locator } from 'playwright-core'

/** The bits of the page's DOM used in evaluate callbacks (the tests compile without the DOM lib). */
export interface PageCanvas {
  width: number
  height: number
  clientWidth: number
  clientHeight: number
  dataset: Record<string, string | undefined>
  style: { cssText: string }
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
    fillStyle: string
    fillRect(x: number, y: number, w: number, h: number): void
  } | null
  remove(): void
}

/** The page's globals used in evaluate callbacks. */
export interface PageGlobals {
  snaps?: Record<string, Uint8ClampedArray>
  location: { hash: string }
  requestAnimationFrame(cb: (now: number) => void): number
  document: { createElement(tag: 'canvas'): PageCanvas; body: { appendChild(el: PageCanvas): void } }
}

export type Region = 'arena' | 'net' | 'all'

/** Pixels of a region of the canvas (the player's data-arena / data-net rects) near a colour (per channel within tol). */
export function countColour(
  canvas: Locator,
  rgb: readonly number[],
  tol: readonly number[],
  region: Region = 'all'
) {
  return canvas.evaluate(
    (el, [rgb, tol, region]) => {
      const c = el as unknown as PageCanvas
      const k = c.width / c.clientWidth
      const r =
        region === 'all' ? [0, 0, c.clientWidth, c.clientHeight] : c.dataset[region]!.split(',').map(Number)
      const [x0, y0, w, h] = r.map((v: number) => Math.round(v * k))
      const d = c.getContext('2d')!.getImageData(x0, y0, w, h).data
      let n = 0
      for (let i = 0; i < d.length; i += 4)
        if (
          Math.abs(d[i] - rgb[0]) <= tol[0] &&
          Math.abs(d[i + 1] - rgb[1]) <= tol[1] &&
          Math.abs(d[i + 2] - rgb[2]) <= tol[2]
        )
          n++
      return n
    },
    [rgb, tol, region] as const
  )
}

/** The set of pixel indices of a colour (for comparing where things are drawn). */
export function pixelsOf(canvas: Locator, rgb: readonly number[], tol: number): Promise<number[]> {
  return canvas.evaluate(
    (el, [rgb, tol]) => {
      const c = el as unknown as PageCanvas
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      const out: number[] = []
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) <= tol)
          out.push(i / 4)
      return out
    },
    [rgb, tol] as const
  )
}

/** Keeps the arena region's pixels under `name` in the page. */
export function snap(canvas: Locator, name: string): Promise<void> {
  return canvas.evaluate((el, name) => {
    const c = el as unknown as PageCanvas
    const [x0, y0, w, h] = c.dataset
      .arena!.split(',')
      .map((v: string) => Math.round(Number(v) * (c.width / c.clientWidth)))
    const w_ = globalThis as unknown as PageGlobals
    w_.snaps = { ...w_.snaps, [name]: c.getContext('2d')!.getImageData(x0, y0, w, h).data }
  }, name)
}

/** Arena pixels that differ (by more than 8 levels in a channel) from snapshot `name`. */
export function changedSince(canvas: Locator, name: string): Promise<number> {
  return canvas.evaluate((el, name) => {
    const c = el as unknown as PageCanvas
    const [x0, y0, w, h] = c.dataset
      .arena!.split(',')
      .map((v: string) => Math.round(Number(v) * (c.width / c.clientWidth)))
    const d = c.getContext('2d')!.getImageData(x0, y0, w, h).data
    const o = (globalThis as unknown as PageGlobals).snaps![name]
    let n = 0
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - o[i]) > 8 || Math.abs(d[i + 1] - o[i + 1]) > 8 || Math.abs(d[i + 2] - o[i + 2]) > 8)
        n++
    return n
  }, name)
}

/** The player's own counters: frames drawn and ms spent drawing. */
export function counters(canvas: Locator): Promise<{ frames: number; drawMs: number }> {
  return canvas.evaluate((el) => {
    const clock = (el as unknown as { replayClock: { frames: number; drawMs: number } }).replayClock
    return { frames: clock.frames, drawMs: clock.drawMs }
  })
}

export const jaccard = (a: number[], b: number[]): number => {
  const s = new Set(a)
  const both = b.filter((x) => s.has(x)).length
  return both / Math.max(1, a.length + b.length - both)
}
