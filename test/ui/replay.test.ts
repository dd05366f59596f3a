/**
 * The animated replay end to end: a temp workspace with a short real run (RunManager + a real
 * WorkerPool, a real SQLite file), served by startServe on the built renderer, driven in headless
 * Chromium. Play, pause, scrub, speed, the activity panel's firing neurons, a held-out task, the
 * playback frame rate, and a WebM exported through the UI (EBML signature, size, ffprobe duration).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerPool } from '../../src/engine/pool/pool'
import { RunManager } from '../../src/engine/runs/manager'
import { startServe, type LabServer } from '../../src/engine/serve'
import { Store, type RunRow } from '../../src/engine/store/store'
import { buildApp, HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
let tmp = ''
let server: LabServer
let run: RunRow

function hasFfprobe(): boolean {
  try {
    execFileSync('which', ['ffprobe'])
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'connectome-lab-replay-ui-'))
  const dbPath = join(tmp, 'workspace', 'workspace.db')
  mkdirSync(dirname(dbPath))
  const store = Store.open(dbPath)
  const pool = new WorkerPool({ size: 1 })
  try {
    await pool.ready()
    const manager = new RunManager(store, pool)
    const r = manager.create({
      algorithm: 'ea',
      seed: 5,
      config: { populationSize: 6 },
      budget: { generations: 2 }
    })
    await manager.start(r.id)
    run = store.getRun(r.id)
  } finally {
    await pool.close()
    store.close()
  }
  const outDir = join(tmp, 'out')
  await buildApp(outDir)
  server = await startServe({ port: 0, staticDir: join(outDir, 'renderer'), dbPath, workers: 1 })
})

afterAll(async () => {
  await server?.close()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** Pixels of the canvas near a colour (per channel within tol), optionally inside the x range [x0, x1) of CSS width fractions. */
function countColour(canvas: Locator, rgb: readonly number[], tol: readonly number[], x0 = 0, x1 = 1) {
  return canvas.evaluate(
    (el, [rgb, tol, x0, x1]) => {
      const c = el as HTMLCanvasElement
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      const from = Math.floor(x0 * c.width)
      const to = Math.floor(x1 * c.width)
      let n = 0
      for (let y = 0; y < c.height; y++)
        for (let x = from; x < to; x++) {
          const i = 4 * (y * c.width + x)
          if (
            Math.abs(d[i] - rgb[0]) <= tol[0] &&
            Math.abs(d[i + 1] - rgb[1]) <= tol[1] &&
            Math.abs(d[i + 2] - rgb[2]) <= tol[2]
          )
            n++
        }
      return n
    },
    [rgb, tol, x0, x1] as const
  )
}

/** The set of pixel indices of a colour (for comparing where things are drawn). */
function pixelsOf(canvas: Locator, rgb: readonly number[], tol: number): Promise<number[]> {
  return canvas.evaluate(
    (el, [rgb, tol]) => {
      const c = el as HTMLCanvasElement
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

/** A digest of the canvas's pixels in the x range (CSS width fractions). */
function digest(canvas: Locator, x0 = 0, x1 = 1): Promise<number> {
  return canvas.evaluate(
    (el, [x0, x1]) => {
      const c = el as HTMLCanvasElement
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      let h = 2166136261
      for (let y = 0; y < c.height; y++)
        for (let x = Math.floor(x0 * c.width); x < Math.floor(x1 * c.width); x++) {
          const i = 4 * (y * c.width + x)
          h = Math.imul(h ^ (d[i] | (d[i + 1] << 8) | (d[i + 2] << 16)), 16777619)
        }
      return h >>> 0
    },
    [x0, x1] as const
  )
}

const jaccard = (a: number[], b: number[]): number => {
  const s = new Set(a)
  const both = b.filter((x) => s.has(x)).length
  return both / Math.max(1, a.length + b.length - both)
}

const FIRING = [255, 154, 31] as const
const FIRING_TOL = [16, 22, 26] as const
const FOOD = [124, 198, 139] as const

describe.skipIf(!HAS_CHROMIUM)('replay player in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []
  const player = (): Locator => page.getByTestId('run-replay').getByTestId('replay-player')
  const canvas = (): Locator => player().locator('canvas[data-testid="arena-canvas"]')
  const step = async (): Promise<number> =>
    Number(await page.getByTestId('replay-step').getAttribute('data-step'))
  const seek = async (s: number): Promise<void> => {
    await page.getByTestId('replay-scrubber').fill(String(s))
    await expect.poll(step).toBe(s)
    await page.waitForTimeout(60) // the frame after the seek
  }

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    await page.getByTestId('runs-card').waitFor()
    await page.evaluate((id) => (location.hash = `#/runs/${id}`), run.id)
    await page.getByTestId('tab-replay').click()
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-stats"][data-generation="2"]').waitFor()
    await canvas().waitFor()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('shows the whole replay at first, then plays and pauses (space), the counter and the worm moving', async () => {
    await expect.poll(step).toBe(250)
    await seek(0)
    const atStart = await digest(canvas(), 0, 0.56)
    await player().focus()
    await page.keyboard.press(' ')
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('data-playing')).toBe('yes')
    await page.waitForTimeout(800)
    await page.keyboard.press(' ')
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('data-playing')).toBe('no')
    const paused = await step()
    console.log(`[replay] 0.8 s of play at 1x advanced ${paused} steps (25 steps/s expected ~20)`)
    expect(paused).toBeGreaterThan(5)
    expect(paused).toBeLessThan(60)
    expect(await digest(canvas(), 0, 0.56)).not.toBe(atStart)
    await page.waitForTimeout(400)
    expect(await step()).toBe(paused)
  })

  it('scrubs: the step counter and the drawn worm follow the slider', async () => {
    await seek(40)
    const a = await digest(canvas(), 0, 0.56)
    expect((await page.getByTestId('replay-step').textContent())?.trim()).toBe('40 / 250')
    await seek(160)
    const b = await digest(canvas(), 0, 0.56)
    expect(b).not.toBe(a)
    await seek(40)
    expect(await digest(canvas(), 0, 0.56)).toBe(a) // deterministic drawing of a position
    await page.keyboard.press('ArrowRight')
    await expect.poll(step).toBe(41)
  })

  it('speeds up: 4x advances about four times the steps of 1x', async () => {
    const advance = async (speed: number): Promise<number> => {
      await seek(0)
      await page.getByTestId(`replay-speed-${speed}`).click()
      await page.getByTestId('replay-play').click()
      await page.waitForTimeout(1000)
      await page.getByTestId('replay-play').click()
      return step()
    }
    const one = await advance(1)
    const four = await advance(4)
    console.log(`[replay] steps in ~1 s: 1x ${one}, 4x ${four} (ratio ${(four / one).toFixed(2)})`)
    expect(four / one).toBeGreaterThan(2.5)
    expect(four / one).toBeLessThan(6)
    await page.getByTestId('replay-speed-1').click()
  })

  it('lights the neurons firing in a step orange in the activity panel', async () => {
    // A step with firings (the readout counts them).
    let s = 1
    for (; s < 250; s += 7) {
      await seek(s)
      if (Number(await page.getByTestId('replay-fired').textContent()) >= 3) break
    }
    const fired = Number(await page.getByTestId('replay-fired').textContent())
    expect(fired).toBeGreaterThanOrEqual(3)
    const orange = await countColour(canvas(), FIRING, FIRING_TOL, 0.56, 1)
    console.log(`[replay] step ${s}: ${fired} neurons fired, ${orange} orange pixels in the activity panel`)
    expect(orange).toBeGreaterThan(fired * 4)
    expect(await countColour(canvas(), FIRING, FIRING_TOL, 0, 0.56)).toBe(0) // none in the arena
    await page.screenshot({ path: join(SHOTS, 'replay-player-activity.png'), fullPage: true })
    await player().screenshot({ path: join(SHOTS, 'replay-player.png') })
    // Without the activity panel there is nothing orange.
    await page.getByTestId('replay-network').uncheck()
    await expect.poll(() => canvas().getAttribute('data-network')).toBe('off')
    await page.waitForTimeout(100)
    expect(await countColour(canvas(), FIRING, FIRING_TOL)).toBe(0)
    await page.getByTestId('replay-network').check()
    await expect.poll(() => canvas().getAttribute('data-network')).toBe('on')
  })

  it('plays at ≥ 55 fps at 1x with the activity panel on (the player frame counter over ~3 s)', async () => {
    await seek(0)
    await page.getByTestId('replay-play').click()
    const r = await canvas().evaluate(
      (el) =>
        new Promise<{ frames: number; ms: number }>((resolve) => {
          const clock = (el as unknown as { replayClock: { frames: number } }).replayClock
          const f0 = clock.frames
          const t0 = performance.now()
          setTimeout(() => resolve({ frames: clock.frames - f0, ms: performance.now() - t0 }), 3000)
        })
    )
    await page.getByTestId('replay-play').click()
    const fps = (r.frames / r.ms) * 1000
    console.log(
      `[replay] playback: ${r.frames} frames drawn in ${r.ms.toFixed(0)} ms = ${fps.toFixed(1)} fps`
    )
    expect(fps).toBeGreaterThanOrEqual(55)
  })

  it('evaluates the best genome on a held-out task (random:7): the food layout changes', async () => {
    await seek(0)
    const before = await pixelsOf(canvas(), FOOD, 12)
    await page.getByTestId('replay-task').fill('random:7')
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-check"][data-task="random:7"]').waitFor()
    await seek(0)
    const after = await pixelsOf(canvas(), FOOD, 12)
    const overlap = jaccard(before, after)
    console.log(
      `[replay] food pixels: pentagon ${before.length}, random:7 ${after.length}, overlap ${overlap.toFixed(2)}`
    )
    expect(before.length).toBeGreaterThan(100)
    expect(after.length).toBeGreaterThan(100)
    expect(overlap).toBeLessThan(0.3)
    expect(await page.getByTestId('replay-check').textContent()).toContain('random:7')
    // A task that is none is refused with the field and the rule.
    await page.getByTestId('replay-task').fill('random:x')
    await page.getByTestId('replay-run').click()
    await expect
      .poll(async () => (await page.getByTestId('replay-error').textContent()) ?? '')
      .toMatch(/task/)
    await page.getByTestId('replay-task').fill('')
    await page.getByTestId('replay-run').click()
    await page.locator('[data-testid="replay-check"][data-task="pentagon"]').waitFor()
  })

  it('exports a WebM through the UI: EBML signature, a real size, and the expected duration', async () => {
    await seek(120)
    await page.getByTestId('replay-export-open').click()
    const dialog = page.getByTestId('replay-export')
    await dialog.waitFor()
    await dialog.getByTestId('export-resolution').selectOption({ label: '640 × 360' })
    await dialog.getByTestId('export-speed').selectOption({ label: '4×' })
    await dialog.getByTestId('export-layout').selectOption('network')
    await page.screenshot({ path: join(SHOTS, 'replay-export-dialog.png'), fullPage: true })
    const expected = Number(await dialog.getByTestId('export-timing').getAttribute('data-seconds'))
    expect(expected).toBeCloseTo(250 / (25 * 4), 9)
    const t0 = Date.now()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByTestId('export-start').click()
    ])
    const file = join(tmp, 'replay.webm')
    await download.saveAs(file)
    const ms = Date.now() - t0
    await dialog.getByTestId('export-done').waitFor()
    console.log(
      `[replay] export: ${(await dialog.getByTestId('export-done').textContent())?.trim()} (${ms} ms end to end)`
    )
    expect(download.suggestedFilename()).toMatch(/\.webm$/)
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3])
    expect(bytes.length).toBeGreaterThan(20_000)
    if (hasFfprobe()) {
      const out = execFileSync('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'csv=p=0',
        file
      ])
        .toString()
        .trim()
      let seconds = Number(out)
      if (!Number.isFinite(seconds)) {
        // No duration in the container: the last packet's end time.
        const pk = execFileSync('ffprobe', [
          '-v',
          'error',
          '-show_entries',
          'packet=pts_time,duration_time',
          '-of',
          'csv=p=0',
          file
        ])
          .toString()
          .trim()
          .split('\n')
          .at(-1)!
          .split(',')
          .map(Number)
        seconds = pk[0] + (pk[1] || 0)
      }
      console.log(`[replay] ffprobe duration ${seconds} s, expected ${expected} s`)
      expect(Math.abs(seconds - expected) / expected).toBeLessThan(0.1)
    } else console.log('[replay] ffprobe not installed: duration not checked')
  })

  it('cancels an export: no file, and the dialog says so', async () => {
    const dialog = page.getByTestId('replay-export')
    await dialog.getByTestId('export-resolution').selectOption({ label: '1280 × 720' })
    await dialog.getByTestId('export-speed').selectOption({ label: '0.25×' })
    let downloads = 0
    page.on('download', () => downloads++)
    await dialog.getByTestId('export-start').click()
    await dialog.getByTestId('export-progress').waitFor()
    await page.waitForTimeout(300)
    await dialog.getByTestId('export-cancel').click()
    await expect
      .poll(async () => (await dialog.getByTestId('export-error').textContent())?.trim())
      .toBe('Cancelled.')
    await page.waitForTimeout(300)
    expect(downloads).toBe(0)
    // The one warning allowed is Chromium's about this test's own repeated getImageData readbacks.
    expect(problems.filter((p) => !p.includes('willReadFrequently'))).toEqual([])
  })
})
