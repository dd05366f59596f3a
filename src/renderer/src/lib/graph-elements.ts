/**
 * The connectome graph's data: Cytoscape elements (the nodes at their strata positions; the synapses are
 * drawn on a canvas layer, lib/graph-edges.ts) and each synapse's look in the weights or the diff view,
 * plus the synapse rows of a neuron. Pure.
 */
import type { ElementDefinition } from 'cytoscape'
import type { ConnectomeSummary, RunDiffResponse } from '../../../shared/api'
import { edgeWidth, graphColors, GRAPH_HEIGHT, GRAPH_WIDTH, stratumColors } from './graph-style'
import { strataLayout } from './strata'

export type GraphMode = 'weights' | 'diff'

/**
 * Nodes (398) plus the column labels as non-interactive `axis` nodes, and each cell's position (model
 * coordinates) for the synapses drawn between them.
 */
export function graphElements(s: ConnectomeSummary): {
  elements: ElementDefinition[]
  positions: Map<string, { x: number; y: number }>
} {
  const layout = strataLayout(s.nodes, s.edges)
  const kind = new Map(s.nodes.map((n) => [n.id, n.kind]))
  const elements: ElementDefinition[] = []
  const positions = new Map<string, { x: number; y: number }>()
  for (const p of layout.nodes) {
    positions.set(p.id, { x: p.x * GRAPH_WIDTH, y: p.y * GRAPH_HEIGHT })
    elements.push({
      group: 'nodes',
      data: { id: p.id, color: stratumColors[p.stratum], stratum: p.stratum },
      position: positions.get(p.id)!,
      classes: ['cell', kind.get(p.id) === 'muscle' ? 'muscle' : 'neuron', p.stratum],
      grabbable: false
    })
  }
  layout.columns.forEach((c, i) => {
    elements.push({
      group: 'nodes',
      data: {
        id: `axis:${i}`,
        label: c.label.length > 9 ? c.label.replace(' ', '\n') : c.label,
        color: '#000000'
      },
      position: { x: c.x * GRAPH_WIDTH, y: -16 },
      classes: ['axis'],
      selectable: false,
      grabbable: false
    })
  })
  return { elements, positions }
}

export interface EdgeLook {
  width: number
  color: string
  /** The opacity class: `changed` and `same` in a diff, none in the weights view. */
  tier: 'changed' | 'same' | null
  /** In a diff: whether the synapse changed (always true in the weights view). */
  changed: boolean
}

/** Δ by genome coordinate, from a diff that lists every change. */
export function deltaMap(d: RunDiffResponse | null): Map<number, RunDiffResponse['changes'][number]> {
  return new Map((d?.changes ?? []).map((c) => [c.index, c]))
}

/**
 * Every synapse's look: in `weights` the sign and |w| of W (W0, or the run's W = W0 + Δ of a diff
 * against W0); in `diff` magenta/green by the sign of Δ and the width by |Δ|, the unchanged faint.
 */
export function edgeLooks(s: ConnectomeSummary, mode: GraphMode, d: RunDiffResponse | null): EdgeLook[] {
  const changes = deltaMap(d)
  if (mode === 'weights') {
    const w = s.edges.map((e, k) => changes.get(k)?.w ?? e.weight)
    const largest = Math.max(0, ...w.map(Math.abs))
    return w.map((x) => ({
      width: edgeWidth(x, largest, false),
      color: x > 0 ? graphColors.excitatory : x < 0 ? graphColors.inhibitory : graphColors.unchanged,
      tier: null,
      changed: true
    }))
  }
  const largest = d?.maxAbsDelta ?? 0
  return s.edges.map((_, k) => {
    const c = changes.get(k)
    if (!c) return { width: 0.3, color: graphColors.unchanged, tier: 'same', changed: false }
    return {
      width: edgeWidth(c.delta, largest, true),
      color: c.delta > 0 ? graphColors.increase : graphColors.decrease,
      tier: 'changed',
      changed: true
    }
  })
}

/** The cells a changed synapse touches (the rest dim under "changed only"). */
export function touchedCells(s: ConnectomeSummary, looks: EdgeLook[]): Set<string> {
  const touched = new Set<string>()
  looks.forEach((l, k) => {
    if (l.changed) touched.add(s.edges[k].source).add(s.edges[k].target)
  })
  return touched
}

/** A cell and the cells it has a synapse with, in or out (what stays lit when it is clicked). */
export function neighbourhood(s: ConnectomeSummary, id: string): Set<string> {
  const hood = new Set([id])
  for (const e of s.edges) {
    if (e.source === id) hood.add(e.target)
    else if (e.target === id) hood.add(e.source)
  }
  return hood
}

export interface SynapseRow {
  k: number
  pre: string
  post: string
  w0: number
  /** The diff's baseline (W_B against a run; W0 otherwise). */
  base: number
  w: number
  delta: number
  direction: 'in' | 'out' | 'self'
}

/**
 * A node's synapses, in and out (a self-synapse once), the largest |Δ| then |w| first. `d` is the diff
 * shown (against W0 or a run B), `own` the run's diff against W0 (its W at every synapse; null: W = W0).
 */
export function synapsesOf(
  s: ConnectomeSummary,
  id: string,
  d: RunDiffResponse | null,
  own: RunDiffResponse | null
): SynapseRow[] {
  const changes = deltaMap(d)
  const weights = deltaMap(own)
  const rows: SynapseRow[] = []
  s.edges.forEach((e, k) => {
    if (e.source !== id && e.target !== id) return
    const c = changes.get(k)
    const w = c?.w ?? weights.get(k)?.w ?? e.weight
    rows.push({
      k,
      pre: e.source,
      post: e.target,
      w0: e.weight,
      // Unchanged against the baseline: it has the same weight.
      base: c ? (c.base ?? c.w0) : w,
      w,
      delta: c ? c.delta : 0,
      direction: e.source === e.target ? 'self' : e.source === id ? 'out' : 'in'
    })
  })
  return rows.sort(
    (a, b) => Math.abs(b.delta) - Math.abs(a.delta) || Math.abs(b.w) - Math.abs(a.w) || a.k - b.k
  )
}
