/**
 * The connectome graph end to end: a temp workspace with two short real runs (RunManager + a real
 * WorkerPool), served by startServe on the built renderer, driven in headless Chromium. Checks the
 * strata graph on the rollout view (every node and synapse drawn, in < 1 s), neuron search, the diff
 * mode in a run's "Connectome diff" tab against W0 and against the other run (magenta/green edges,
 * "changed only" leaves exactly the API's changed synapses), and a clicked neuron's synapse table.
 */
import { mkdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLabBackend, type LabBackend } from '../../src/engine/api'
import { connectomeSummary } from '../../src/engine/api/handlers'
import { readConnectome } from '../../src/engine/resources'
import type { LabServer } from '../../src/engine/serve'
import type { RunRow } from '../../src/engine/store/store'
import type { ApiEnvelope, RunDiffResponse } from '../../src/shared/api'
import { serveWorkspace, type ServedWorkspace } from '../helpers/ui-workspace'
import { HAS_CHROMIUM, launchChromium, ROOT, type Browser } from './browser'

const SHOTS = join(ROOT, 'test/ui/__screenshots__')
/** expect.poll with room for a machine shared by several test runs. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 })
const summary = connectomeSummary(readConnectome())
/** How many fresh page loads the graph is drawn in for the timing. */
const LOADS = 4
/** The edge colours (src/renderer/src/lib/graph-style.ts). */
const EDGE_COLOURS = {
  red: '#e5534b',
  blue: '#4a8cf7',
  magenta: '#f048d8',
  green: '#3fd47f',
  grey: '#6b7685'
}
const INCREASE = EDGE_COLOURS.magenta
const DECREASE = EDGE_COLOURS.green

let dbPath = ''
let server: LabServer
let backend: LabBackend
const runs: Record<'ea' | 'renomad', RunRow> = {} as never

function ok<T>(e: ApiEnvelope): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`)
  return e.result as T
}

const diffOf = async (id: string, against?: string): Promise<RunDiffResponse> =>
  ok<RunDiffResponse>(
    await backend.handle('runs:diff', { id, limit: 10_000, ...(against ? { against } : {}) })
  )

/** A node's synapses (in and out, a self-synapse once), by genome coordinate. */
const synapsesOf = (id: string): number[] =>
  summary.edges.flatMap((e, k) => (e.source === id || e.target === id ? [k] : []))

let ws: ServedWorkspace<void>

beforeAll(async () => {
  ws = await serveWorkspace('graph-ui', async ({ manager }) => {
    const ea = manager.create({
      algorithm: 'ea',
      seed: 3,
      // Many replaced coordinates: a diff with enough changes to see (like mENOMAD's, Fig. 2c).
      config: { populationSize: 6, mutationCount: 60 },
      budget: { generations: 3 }
    })
    const rn = manager.create({
      algorithm: 'renomad',
      seed: 3,
      config: { populationSize: 4, madsEvaluations: 16, madsCoordinates: 49 },
      budget: { generations: 2 }
    })
    runs.ea = await manager.start(ea.id)
    runs.renomad = await manager.start(rn.id)
  })
  ;({ dbPath, server } = ws)
  backend = createLabBackend({ runtime: 'bridge', dbPath, workers: 1 })
}, 240_000)

afterAll(async () => {
  await backend?.close()
  await ws?.close()
})

/**
 * What a test reads: the nodes from the Cytoscape instance, the synapses from the edge model the
 * component draws on its canvas layer (both exposed under the test flag).
 */
interface GraphState {
  cells: number
  edges: number
  visible: number
  focused: number
  selected: string[]
  faded: number
  zoom: number
  increase: number
  decrease: number
  frames: number
}

function graphState(page: Page, key: string): Promise<GraphState> {
  return page.evaluate(
    ([k, inc, dec]) => {
      type Ele = { length: number; map: (f: (e: { id(): string }) => string) => string[] }
      type Cy = {
        nodes(sel?: string): Ele
        elements(sel?: string): Ele
        $(sel: string): Ele
        zoom(): number
      }
      type Stats = {
        total: number
        visible: number
        focused: number
        byColour: Record<string, number>
        frames: number
      }
      const w = globalThis as unknown as {
        __labGraph: Record<string, Cy>
        __labGraphEdges: Record<string, { stats(): Stats }>
      }
      const cy = w.__labGraph[k]
      const e = w.__labGraphEdges[k].stats()
      return {
        cells: cy.nodes('.cell').length,
        edges: e.total,
        visible: e.visible,
        focused: e.focused,
        selected: cy.$('node:selected').map((n) => n.id()),
        faded: cy.elements('.faded').length,
        zoom: cy.zoom(),
        increase: e.byColour[inc] ?? 0,
        decrease: e.byColour[dec] ?? 0,
        frames: e.frames
      }
    },
    [key, INCREASE, DECREASE] as const
  )
}

/**
 * The edge layer's pixels by the edge colour nearest to each (of those with some ink): what the canvas
 * shows, not what the model says.
 */
/** The bit of HTMLCanvasElement read (the tests' TypeScript has no DOM library). */
type LayerCanvas = {
  width: number
  height: number
  getContext(
    kind: '2d'
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null
}

function layerPixels(page: Page, key: string): Promise<Record<string, number>> {
  return page.evaluate(
    ([k, colours]) => {
      const w = globalThis as unknown as {
        __labGraphEdges: Record<string, { canvas: LayerCanvas }>
      }
      const canvas = w.__labGraphEdges[k].canvas
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      const rgb = Object.entries(colours).map(([name, hex]) => [
        name,
        parseInt(hex.slice(1, 3), 16),
        parseInt(hex.slice(3, 5), 16),
        parseInt(hex.slice(5, 7), 16)
      ])
      const counts: Record<string, number> = {}
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 24) continue
        let best = ''
        let dist = 60 ** 2 * 3
        for (const [name, r, g, b] of rgb as [string, number, number, number][]) {
          const d = (data[i] - r) ** 2 + (data[i + 1] - g) ** 2 + (data[i + 2] - b) ** 2
          if (d < dist) [best, dist] = [name, d]
        }
        if (best) counts[best] = (counts[best] ?? 0) + 1
      }
      return counts
    },
    [key, EDGE_COLOURS] as const
  )
}

/** Clicks a node where Cytoscape renders it. */
async function clickNode(page: Page, key: string, id: string): Promise<void> {
  const at = await page.evaluate(
    ([k, n]) => {
      type Cy = {
        getElementById(id: string): { renderedPosition(): { x: number; y: number } }
        container(): { getBoundingClientRect(): { left: number; top: number } }
      }
      const cy = (globalThis as unknown as { __labGraph: Record<string, Cy> }).__labGraph[k]
      const p = cy.getElementById(n).renderedPosition()
      const box = cy.container().getBoundingClientRect()
      return { x: box.left + p.x, y: box.top + p.y }
    },
    [key, id] as const
  )
  await page.mouse.click(at.x, at.y)
}

describe.skipIf(!HAS_CHROMIUM)('the connectome graph in headless Chromium', () => {
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    browser = await launchChromium(problems)
    page = browser.page
    await page.addInitScript(() => {
      ;(globalThis as unknown as { __LAB_TEST__: boolean }).__LAB_TEST__ = true
    })
    mkdirSync(SHOTS, { recursive: true })
    await page.goto(server.url)
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('draws the whole connectome in strata in the rollout card, in under a second', async () => {
    await page.getByTestId('connectome-summary').waitFor()
    const counts = page.locator(
      '[data-testid="connectome-graph"][data-key="card"] [data-testid="graph-counts"]'
    )
    // Cold: a fresh page load each time (new JS heap, nothing warmed up by an earlier draw), then
    // Summary → Graph; the figure is measured in the page, from the data to the first full draw (the
    // nodes rendered by Cytoscape and the synapse layer drawn). The machine is shared, so the best of a
    // few loads is the graph's own cost.
    const times: number[] = []
    for (let i = 0; i < LOADS; i++) {
      if (i > 0) await page.goto(server.url)
      await page.getByTestId('connectome-summary').waitFor()
      await page.getByTestId('connectome-view-graph').click()
      await page.waitForSelector(
        '[data-testid="connectome-graph"][data-key="card"] [data-testid="graph-counts"]:not([data-render-ms=""])',
        { timeout: 30_000 }
      )
      times.push(Number(await counts.getAttribute('data-render-ms')))
    }
    const best = Math.min(...times)
    console.log(
      `connectome graph: ${summary.nodes.length} nodes, ${summary.edges.length} edges, cold (fresh page load) data to first full draw: best ${best.toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')} ms wall (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`
    )

    const g = await graphState(page, 'card')
    expect(g.cells).toBe(summary.nodes.length)
    expect(g.edges).toBe(summary.edges.length)
    expect(g.visible).toBe(summary.edges.length)
    expect(Number(await counts.getAttribute('data-nodes'))).toBe(398)
    expect(Number(await counts.getAttribute('data-edges'))).toBe(3689)
    // W0 has no diff: every synapse is excitatory red or inhibitory blue, on the canvas too.
    expect(g.increase + g.decrease).toBe(0)
    expect(g.frames).toBeGreaterThan(0)
    const px = await layerPixels(page, 'card')
    console.log(`edge layer pixels (weights view): ${JSON.stringify(px)}`)
    expect(px.red ?? 0).toBeGreaterThan(500)
    expect(px.blue ?? 0).toBeGreaterThan(500)
    expect((px.magenta ?? 0) + (px.green ?? 0)).toBeLessThan(((px.red ?? 0) + (px.blue ?? 0)) / 20)
    await page.waitForTimeout(200)
    await page.getByTestId('connectome-summary').screenshot({ path: join(SHOTS, 'graph-strata.png') })
    // The counts and chips stay a click away.
    await page.getByTestId('connectome-view-summary').click()
    await page.getByTestId('neurons-count').waitFor()
    await page.getByTestId('connectome-view-graph').click()
    // The acceptance limit (issue 9): lays out and draws in < 1 s, wall clock (the best of the loads;
    // about half of that here even with several jobs per core, so the margin absorbs a shared machine).
    expect(best).toBeLessThan(1000)
  })

  it('finds a neuron by name (any case): selected, centred and listed; an unknown name is said so', async () => {
    const card = page.locator('[data-testid="connectome-graph"][data-key="card"]')
    await card.getByTestId('graph-search').fill('aval')
    await card.getByTestId('graph-search').press('Enter')
    await poll(async () => (await graphState(page, 'card')).selected).toEqual(['AVAL'])
    const g = await graphState(page, 'card')
    expect(g.zoom).toBeGreaterThanOrEqual(1.6)
    expect(g.faded).toBeGreaterThan(0)
    const table = card.getByTestId('graph-synapses')
    expect(await table.getAttribute('data-node')).toBe('AVAL')
    expect(await table.getByTestId('synapse-row').count()).toBe(synapsesOf('AVAL').length)
    await page.waitForTimeout(200)
    await page.getByTestId('connectome-summary').screenshot({ path: join(SHOTS, 'graph-search-aval.png') })

    await card.getByTestId('graph-search').fill('NOPE7')
    await card.getByTestId('graph-search').press('Enter')
    const msg = card.getByTestId('graph-search-message')
    await msg.waitFor()
    expect(await msg.textContent()).toContain('No neuron or muscle is named “NOPE7”')
    expect((await graphState(page, 'card')).selected).toEqual(['AVAL'])
  })

  it("shows a run's diff against W0: magenta increases, green decreases, and 'changed only'", async () => {
    const api = await diffOf(runs.ea.id)
    expect(api.total).toBeGreaterThan(0)
    await page.getByTestId('nav-runs').click()
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runs.ea.id}"]`)
    await row.locator('td.run').click()
    await poll(() => page.getByTestId('run-detail').getAttribute('data-run-id')).toBe(runs.ea.id)
    await page.getByTestId('tab-diff').click()
    const graph = page.locator('[data-testid="connectome-graph"][data-key="diff"]')
    const counts = graph.getByTestId('graph-counts')
    await poll(() => counts.getAttribute('data-changed')).toBe(String(api.total))
    await poll(() => counts.getAttribute('data-render-ms')).not.toBe('')
    console.log(
      `diff graph (vs W0, ${api.total} changed): first render ${await counts.getAttribute('data-render-ms')} ms`
    )
    await poll(async () => (await graphState(page, 'diff')).increase).toBe(api.increased)
    const g = await graphState(page, 'diff')
    expect(g.decrease).toBe(api.decreased)
    expect(g.increase).toBeGreaterThan(0)
    expect(g.visible).toBe(summary.edges.length)
    const px = await layerPixels(page, 'diff')
    console.log(`edge layer pixels (diff vs W0): ${JSON.stringify(px)}`)
    expect(px.magenta ?? 0).toBeGreaterThan(100)
    expect(px.green ?? 0).toBeGreaterThan(100)
    await page.waitForTimeout(200)
    await graph.screenshot({ path: join(SHOTS, 'graph-diff-w0.png') })

    await graph.getByTestId('graph-changed-only').check()
    await poll(async () => (await graphState(page, 'diff')).visible).toBe(api.total)
    expect(Number(await counts.getAttribute('data-visible'))).toBe(api.total)
    await page.waitForTimeout(200)
    await graph.screenshot({ path: join(SHOTS, 'graph-diff-w0-changed-only.png') })
  })

  it("lists a clicked neuron's synapses, in and out, with the API's Δ", async () => {
    const api = await diffOf(runs.ea.id)
    const byIndex = new Map(api.changes.map((c) => [c.index, c]))
    // The neuron of the largest change that is not a muscle (muscles are downstream only).
    const muscles = new Set(summary.nodes.filter((n) => n.kind === 'muscle').map((n) => n.id))
    const target = api.changes.map((c) => c.pre).find((id) => !muscles.has(id))!
    const graph = page.locator('[data-testid="connectome-graph"][data-key="diff"]')
    await clickNode(page, 'diff', target)
    await poll(async () => (await graphState(page, 'diff')).selected).toEqual([target])
    const table = graph.getByTestId('graph-synapses')
    expect(await table.getAttribute('data-node')).toBe(target)
    const rows = table.getByTestId('synapse-row')
    const expected = synapsesOf(target)
    expect(await rows.count()).toBe(expected.length)
    // Its synapses are the ones drawn highlighted (the rest faded).
    expect((await graphState(page, 'diff')).focused).toBe(expected.length)
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        k: Number(tr.getAttribute('data-k')),
        delta: Number(tr.getAttribute('data-delta'))
      }))
    )
    expect(shown.map((r) => r.k).sort((a, b) => a - b)).toEqual(expected)
    let changed = 0
    for (const r of shown) {
      const c = byIndex.get(r.k)
      expect(r.delta).toBe(c ? c.delta : 0)
      if (c) changed++
    }
    expect(changed).toBeGreaterThan(0)
    console.log(`clicked ${target}: ${shown.length} synapses, ${changed} changed`)
    await page.waitForTimeout(200)
    await graph.screenshot({ path: join(SHOTS, 'graph-diff-neuron.png') })
  })

  it('diffs against the other run: W_A − W_B as the API returns it', async () => {
    const api = await diffOf(runs.ea.id, runs.renomad.id)
    await page.getByTestId('diff-against').selectOption(runs.renomad.id)
    const graph = page.locator('[data-testid="connectome-graph"][data-key="diff"]')
    const counts = graph.getByTestId('graph-counts')
    await poll(() => counts.getAttribute('data-changed')).toBe(String(api.total))
    await poll(() => page.getByTestId('diff-total').getAttribute('data-value')).toBe(String(api.total))
    await poll(async () => (await graphState(page, 'diff')).visible).toBe(api.total)
    const g = await graphState(page, 'diff')
    expect(g.increase).toBe(api.increased)
    expect(g.decrease).toBe(api.decreased)
    expect(await page.getByTestId('diff-row').count()).toBe(Math.min(api.total, 10_000))
    await graph.getByTestId('graph-changed-only').uncheck()
    await poll(async () => (await graphState(page, 'diff')).visible).toBe(summary.edges.length)
    await page.waitForTimeout(200)
    await page.getByTestId('run-detail').screenshot({ path: join(SHOTS, 'graph-diff-vs-run.png') })
    expect(problems).toEqual([])
  })
})
