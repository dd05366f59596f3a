/**
 * Shared by the UI tests: builds the app with electron-vite, launches headless Chromium on a fresh
 * profile (collecting console errors, warnings and page errors), and counts the colours on a canvas.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'electron-vite'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const CHROMIUM = '/usr/bin/chromium'
export const HAS_CHROMIUM = existsSync(CHROMIUM)

/** The bits of HTMLCanvasElement used in page.evaluate (tests compile without the DOM lib). */
interface CanvasLike {
  width: number
  height: number
  getContext(
    kind: '2d'
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null
}

/** Builds main, preload and renderer into outDir (the renderer lands in outDir/renderer). */
export async function buildApp(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    configFile: join(ROOT, 'electron.vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true }
  })
}

export interface Browser {
  context: BrowserContext
  page: Page
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>
}

/**
 * Launches headless Chromium (1440x900) on a fresh profile; console errors, warnings and page errors go
 * to problems. `args` are added to the command line (e.g. the replay's fps test adds --in-process-gpu).
 */
export async function launchChromium(problems: string[], opts: { args?: string[] } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'connectome-lab-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...(opts.args ?? [])
    ],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.push(`console.${msg.type()}: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  return {
    context,
    page,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }
}

/** How many distinct colours a sample of the canvas's pixels has (an empty canvas has one or two). */
export function painted(canvas: Locator): Promise<number> {
  return canvas.evaluate((el) => {
    const c = el as unknown as CanvasLike
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    const colours = new Set<number>()
    for (let i = 0; i < d.length; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])
    return colours.size
  })
}
