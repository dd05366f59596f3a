/**
 * What the UI tests read of a connectome graph: its Cytoscape core (`window.__labGraph[key]`) and its
 * synapse layer (`window.__labGraphEdges[key]`: the edge model's counts and the layer's canvas). Exposed
 * only when the page sets `window.__LAB_TEST__`.
 */
import type { Core } from 'cytoscape'
import type { EdgeStats } from './graph-edges'

interface TestWindow {
  __LAB_TEST__?: boolean
  __labGraph?: Record<string, Core>
  __labGraphEdges?: Record<string, { stats(): EdgeStats; canvas: HTMLCanvasElement }>
}
const testWindow = (): TestWindow => window as unknown as TestWindow

export function exposeForTests(
  key: string,
  core: Core,
  stats: () => EdgeStats,
  canvas: HTMLCanvasElement
): void {
  const w = testWindow()
  if (!w.__LAB_TEST__) return
  ;(w.__labGraph ??= {})[key] = core
  ;(w.__labGraphEdges ??= {})[key] = { stats, canvas }
}

/** Drops a destroyed graph's entries (unless another graph has taken the key since). */
export function withdrawForTests(key: string, core: Core): void {
  const w = testWindow()
  if (w.__labGraph?.[key] !== core) return
  delete w.__labGraph[key]
  delete w.__labGraphEdges?.[key]
}
