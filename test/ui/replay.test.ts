/**
 * The animated replay end to end: a temp workspace with a short real run (RunManager + a real
 * WorkerPool, a real SQLite file), served by startServe on the built renderer, driven in headless
 * Chromium. Play, pause, scrub, speed, the activity panel's firing neurons, a held-out task, the
 * playback frame rate, and a WebM exported through the UI (EBML signature, size, ffprobe duration).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabServer } from '../../src/engine/serve'
import type { RunRow } from '../../src/engine/store/store'
import { serveWorkspace, trainEa, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'
import {
  changedSince,
  countColour,
  counters,
  jaccard,
  pixelsOf,
  snap,
  type PageCanvas,
  type PageGlobals
} from './replay-pixels'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
let tmp = ''
let server: LabServer
let run: RunRow
let other: RunRow

function hasFfprobe(): boolean {
  try {
    execFileSync('which', ['ffprobe'])
    return true
  } catch {
    return false
  }
}

let ws: ServedWorkspace<void>

beforeAll(async () => {
  ws = await serveWorkspace('replay-ui', async ({ store, manager }) => {
    run = store.getRun(await trainEa(manager, 5, 2))
    other = store.getRun(await trainEa(manager, 6, 2))
  })
  ;({ tmp, server } = ws)
})

afterAll(async () => {
  await ws?.close()
})

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
  /** Moves the scrubber to step s and waits for the frame drawn after it. */
  const seek = async (s: number): Promise<void> => {
    const before = (await counters(canvas())).frames
    await page.getByTestId('replay-scrubber').fill(String(s))
    await expect.poll(step).toBe(s)
    await expect.poll(async () => (await counters(canvas())).frames).toBeGreaterThan(before)
  }

  beforeAll(async () => {
    // --in-process-gpu: the compositor (viz) runs in the browser process, one process fewer to schedule
    // per frame; on this shared 2-core machine it lifts a bare canvas animation from ~55 to ~59 fps.
    browser = await launchChromium(problems, { args: ['--in-process-gpu'] })
    page = browser.page
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
    await page.getByTestId('runs-card').waitFor()
    await page.evaluate(
      (id) => ((globalThis as unknown as PageGlobals).location.hash = `#/runs/${id}`),
      run.id
    )
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
    await snap(canvas(), 'start')
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
    expect(await changedSince(canvas(), 'start')).toBeGreaterThan(50)
    await page.waitForTimeout(400)
    expect(await step()).toBe(paused)
  })

  it('scrubs: the step counter and the drawn worm follow the slider', async () => {
    await seek(40)
    await snap(canvas(), 'at40')
    expect((await page.getByTestId('replay-step').textContent())?.trim()).toBe('40 / 250')
    await seek(160)
    const moved = await changedSince(canvas(), 'at40')
    console.log(`[replay] scrubbing 40 → 160 changed ${moved} arena pixels`)
    expect(moved).toBeGreaterThan(200)
    await seek(40)
    // The same position draws the same picture (up to a level of anti-aliasing: Chromium moves a canvas
    // read back often from its accelerated to its software raster, which rounds edges differently).
    expect(await changedSince(canvas(), 'at40')).toBeLessThan(20)
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
    const orange = await countColour(canvas(), FIRING, FIRING_TOL, 'net')
    console.log(`[replay] step ${s}: ${fired} neurons fired, ${orange} orange pixels in the activity panel`)
    expect(orange).toBeGreaterThan(fired * 4)
    expect(await countColour(canvas(), FIRING, FIRING_TOL, 'arena')).toBe(0) // none in the arena
    await page.screenshot({ path: join(SHOTS, 'replay-player-activity.png'), fullPage: true })
    await player().screenshot({ path: join(SHOTS, 'replay-player.png') })
    // Without the activity panel there is nothing orange.
    await page.getByTestId('replay-network').uncheck()
    await expect.poll(() => canvas().getAttribute('data-network')).toBe('off')
    await expect.poll(() => countColour(canvas(), FIRING, FIRING_TOL)).toBe(0)
    await page.getByTestId('replay-network').check()
    await expect.poll(() => canvas().getAttribute('data-network')).toBe('on')
  })

  it('keeps up with the display at 1x with the activity panel on (frames drawn vs a bare rAF loop, ~3 s)', async () => {
    // Not a speed target (those are benchmarks): the player must draw (nearly) every frame the display
    // gives a bare requestAnimationFrame loop measured just before it, on the same machine and load. The
    // machine is shared, so a window is measured up to three times and the best ratio counts; the fps
    // are printed (60 fps here when the machine is quiet).
    const size = await canvas().evaluate(
      (el) => `${(el as unknown as PageCanvas).width}x${(el as unknown as PageCanvas).height}`
    )
    let best = 0
    for (let attempt = 1; attempt <= 3 && best < 0.9; attempt++) {
      // Controls: a bare rAF loop, and one that repaints a canvas of the player's size each frame.
      const [bare, repaint] = await canvas().evaluate(async (el) => {
        const g = globalThis as unknown as PageGlobals
        const rate = (paint?: () => void) =>
          new Promise<number>((resolve) => {
            let n = 0
            const t0 = performance.now()
            const tick = (now: number): void => {
              n++
              paint?.()
              if (now - t0 < 1000) g.requestAnimationFrame(tick)
              else resolve((n / (now - t0)) * 1000)
            }
            g.requestAnimationFrame(tick)
          })
        const c = el as unknown as PageCanvas
        const probe = g.document.createElement('canvas')
        probe.width = c.width
        probe.height = c.height
        probe.style.cssText = `position:fixed;left:0;top:0;width:${c.clientWidth}px;height:${c.clientHeight}px;z-index:99`
        g.document.body.appendChild(probe)
        const ctx = probe.getContext('2d')!
        let k = 0
        const bareRate = await rate()
        const repaintRate = await rate(() => {
          ctx.fillStyle = k++ % 2 ? '#101418' : '#141a20'
          ctx.fillRect(0, 0, probe.width, probe.height)
        })
        probe.remove()
        return [bareRate, repaintRate]
      })
      await seek(0)
      await page.getByTestId('replay-speed-1').click()
      await page.getByTestId('replay-play').click()
      const r = await canvas().evaluate(
        (el) =>
          new Promise<{ frames: number; ms: number; drawMs: number }>((resolve) => {
            const clock = (el as unknown as { replayClock: { frames: number; drawMs: number } }).replayClock
            const f0 = clock.frames
            const d0 = clock.drawMs
            const t0 = performance.now()
            setTimeout(
              () =>
                resolve({ frames: clock.frames - f0, ms: performance.now() - t0, drawMs: clock.drawMs - d0 }),
              3000
            )
          })
      )
      await page.getByTestId('replay-play').click()
      const fps = (r.frames / r.ms) * 1000
      best = Math.max(best, fps / bare)
      console.log(
        `[replay] fps attempt ${attempt}: playback at 1x, activity panel on, canvas ${size}: ${r.frames} frames drawn in ` +
          `${r.ms.toFixed(0)} ms = ${fps.toFixed(1)} fps; drawing ${(r.drawMs / Math.max(1, r.frames)).toFixed(2)} ms/frame; ` +
          `controls: bare rAF ${bare.toFixed(1)} /s, a canvas of that size filled each frame ${repaint.toFixed(1)} /s; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`
      )
    }
    expect(best).toBeGreaterThanOrEqual(0.9)
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
    if (process.env.REPLAY_KEEP_VIDEO) copyFileSync(file, process.env.REPLAY_KEEP_VIDEO)
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
      // A frame from the middle of the video, to look at.
      try {
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-y',
          '-ss',
          String(expected / 2),
          '-i',
          file,
          '-frames:v',
          '1',
          join(SHOTS, 'replay-video-frame.png')
        ])
      } catch (e) {
        console.log(`[replay] no frame extracted: ${String(e)}`)
      }
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

  it('plays two runs side by side on one task with one clock and one set of controls (Compare view)', async () => {
    await page.getByTestId('replay-export').getByRole('button', { name: 'Close' }).click()
    // The Compare view's Replays tab.
    await page.evaluate(
      (ids) => ((globalThis as unknown as PageGlobals).location.hash = `#/compare?ids=${ids.join(',')}`),
      [run.id, other.id]
    )
    await page.getByTestId('compare-view').waitFor()
    await page.getByTestId('compare-tab-replays').click()
    const card = page.getByTestId('synced-card')
    await card.waitFor()
    await card.getByTestId('synced-task').fill('random:7')
    await card.getByTestId('synced-show').click()
    const synced = page.getByTestId('synced-replays')
    const panes = synced.getByTestId('synced-pane')
    await expect.poll(() => panes.locator('canvas').count()).toBe(2)
    for (const id of [run.id, other.id])
      expect(
        await synced.locator(`[data-testid="synced-pane"][data-run-id="${id}"]`).textContent()
      ).toContain('random:7')
    const canvases = panes.locator('canvas')
    // One clock drives both canvases.
    expect(
      await canvases.evaluateAll((els) => {
        const clocks = els.map((el) => (el as unknown as { replayClock: object }).replayClock)
        return clocks.length === 2 && clocks[0] === clocks[1]
      })
    ).toBe(true)
    const sstep = async (): Promise<number> =>
      Number(await synced.getByTestId('replay-step').getAttribute('data-step'))
    await synced.getByTestId('replay-scrubber').fill('0')
    await expect.poll(sstep).toBe(0)
    await page.waitForTimeout(100)
    await snap(canvases.nth(0), 'a0')
    await snap(canvases.nth(1), 'b0')
    await synced.getByTestId('replay-play').click()
    await page.waitForTimeout(1200)
    await synced.getByTestId('replay-play').click()
    const at = await sstep()
    console.log(`[replay] synced: both panes at step ${at} after ~1.2 s`)
    expect(at).toBeGreaterThan(10)
    expect(await changedSince(canvases.nth(0), 'a0')).toBeGreaterThan(50)
    expect(await changedSince(canvases.nth(1), 'b0')).toBeGreaterThan(50)
    await synced.screenshot({ path: join(SHOTS, 'replay-synced.png') })
  })
})
