/**
 * The connectome graph's synapses, drawn on a canvas layer under Cytoscape's nodes (cytoscape-layers)
 * instead of as 3,689 Cytoscape edge elements (whose construction, styling and bounding boxes cost more
 * than the rest of the graph). The model is typed arrays prepared once per look (positions, style,
 * width, flags per synapse, and the synapses ordered by stroke bucket); a frame then allocates nothing
 * and is one path per colour/width bucket (a few dozen stroke calls), plus arrowheads for the synapses
 * of a clicked neuron. Pure apart from drawing into the context it is given.
 */
import type { ConnectomeSummary } from '../../../shared/api'
import type { EdgeLook } from './graph-elements'
import { graphColors } from './graph-style'

/** The stroke colours, by index (a synapse's colour is one of them). */
export const EDGE_COLOURS = [
  graphColors.excitatory,
  graphColors.inhibitory,
  graphColors.increase,
  graphColors.decrease,
  graphColors.unchanged
] as const

/** Opacity by tier: the weights view, a changed synapse in a diff, an unchanged one in a diff. */
const TIER_ALPHA = [0.28, 0.85, 0.1] as const
/** Draw order by tier: the faint unchanged first, the changed on top. */
const TIER_RANK = [1, 2, 0] as const
/** The synapses not of the clicked neuron, and the clicked neuron's own. */
const FADED_ALPHA = 0.025
const FOCUS_ALPHA = 0.9
/** Widths are bucketed to quarter pixels (at zoom 1). */
const WIDTH_STEPS = 4
/** Where an arrowhead's tip stops short of the target node's centre (its radius, model units). */
const NODE_RADIUS = 5.5

export interface EdgeModel {
  n: number
  /** Source and target positions (model coordinates). */
  x1: Float32Array
  y1: Float32Array
  x2: Float32Array
  y2: Float32Array
  /** Per synapse: colour index, tier (0 weights, 1 changed, 2 same), width in quarter pixels. */
  colour: Uint8Array
  tier: Uint8Array
  width: Uint8Array
  /** Per synapse: hidden by "changed only", of the clicked neuron. */
  hidden: Uint8Array
  focus: Uint8Array
  /** Whether a neuron is clicked (then the rest fades). */
  focused: boolean
  /** Synapse indices ordered by bucket, and each bucket's [start, end) in `order` with its key. */
  order: Int32Array
  bucketStart: Int32Array
  bucketKey: Int32Array
  buckets: number
  /** How many synapses are shown (not hidden), and frames drawn. */
  visible: number
  frames: number
}

/** The model of a connectome's synapses at node positions (id → model coordinates); looks come later. */
export function edgeModel(s: ConnectomeSummary, pos: Map<string, { x: number; y: number }>): EdgeModel {
  const n = s.edges.length
  const m: EdgeModel = {
    n,
    x1: new Float32Array(n),
    y1: new Float32Array(n),
    x2: new Float32Array(n),
    y2: new Float32Array(n),
    colour: new Uint8Array(n),
    tier: new Uint8Array(n),
    width: new Uint8Array(n),
    hidden: new Uint8Array(n),
    focus: new Uint8Array(n),
    focused: false,
    order: new Int32Array(n),
    bucketStart: new Int32Array(n + 1),
    bucketKey: new Int32Array(n),
    buckets: 0,
    visible: n,
    frames: 0
  }
  s.edges.forEach((e, k) => {
    const a = pos.get(e.source)
    const b = pos.get(e.target)
    m.x1[k] = a?.x ?? 0
    m.y1[k] = a?.y ?? 0
    m.x2[k] = b?.x ?? 0
    m.y2[k] = b?.y ?? 0
  })
  return m
}

const colourIndex = (c: string): number => Math.max(0, (EDGE_COLOURS as readonly string[]).indexOf(c))
const tierIndex = (t: EdgeLook['tier']): number => (t === 'changed' ? 1 : t === 'same' ? 2 : 0)

/** Sets every synapse's look and the "changed only" filter, and re-sorts the synapses into buckets. */
export function setLooks(m: EdgeModel, looks: EdgeLook[], hideUnchanged: boolean): void {
  let visible = 0
  for (let k = 0; k < m.n; k++) {
    const l = looks[k]
    m.colour[k] = colourIndex(l.color)
    m.tier[k] = tierIndex(l.tier)
    m.width[k] = Math.min(255, Math.max(1, Math.round(l.width * WIDTH_STEPS)))
    m.hidden[k] = hideUnchanged && !l.changed ? 1 : 0
    if (!m.hidden[k]) visible++
  }
  m.visible = visible
  // Bucket key: draw rank (tier), then colour, then width; one stroke per key.
  const key = (k: number): number => (TIER_RANK[m.tier[k]] * 8 + m.colour[k]) * 256 + m.width[k]
  const order = Array.from({ length: m.n }, (_, k) => k).sort((a, b) => key(a) - key(b) || a - b)
  m.buckets = 0
  order.forEach((k, i) => {
    m.order[i] = k
    if (i === 0 || key(k) !== key(order[i - 1])) {
      m.bucketStart[m.buckets] = i
      m.bucketKey[m.buckets] = key(k)
      m.buckets++
    }
  })
  m.bucketStart[m.buckets] = m.n
}

/** Marks the synapses of a node (in and out) as focused; null: none (nothing fades). */
export function setFocus(m: EdgeModel, s: ConnectomeSummary, id: string | null): void {
  m.focus.fill(0)
  m.focused = id !== null
  if (id === null) return
  s.edges.forEach((e, k) => {
    if (e.source === id || e.target === id) m.focus[k] = 1
  })
}

/** Draws the synapses into a context already transformed to model coordinates. */
export function drawEdges(ctx: CanvasRenderingContext2D, m: EdgeModel): void {
  ctx.lineCap = 'butt'
  // The synapses not focused: all of them, or faded behind the clicked neuron's.
  strokeBuckets(ctx, m, 0)
  if (m.focused) {
    strokeBuckets(ctx, m, 1)
    arrowheads(ctx, m)
  }
  m.frames++
}

function strokeBuckets(ctx: CanvasRenderingContext2D, m: EdgeModel, focus: 0 | 1): void {
  for (let b = 0; b < m.buckets; b++) {
    const first = m.order[m.bucketStart[b]]
    ctx.beginPath()
    let any = false
    for (let i = m.bucketStart[b]; i < m.bucketStart[b + 1]; i++) {
      const k = m.order[i]
      if (m.hidden[k] || m.focus[k] !== focus) continue
      ctx.moveTo(m.x1[k], m.y1[k])
      ctx.lineTo(m.x2[k], m.y2[k])
      any = true
    }
    if (!any) continue
    ctx.strokeStyle = EDGE_COLOURS[m.colour[first]]
    ctx.lineWidth = m.width[first] / WIDTH_STEPS
    ctx.globalAlpha = focus ? FOCUS_ALPHA : m.focused ? FADED_ALPHA : TIER_ALPHA[m.tier[first]]
    ctx.stroke()
  }
  ctx.globalAlpha = 1
}

/** Small filled triangles at the target end of the focused synapses (their direction). */
function arrowheads(ctx: CanvasRenderingContext2D, m: EdgeModel): void {
  ctx.globalAlpha = FOCUS_ALPHA
  for (let b = 0; b < m.buckets; b++) {
    const first = m.order[m.bucketStart[b]]
    const size = 3.2 + (1.2 * m.width[first]) / WIDTH_STEPS
    ctx.beginPath()
    let any = false
    for (let i = m.bucketStart[b]; i < m.bucketStart[b + 1]; i++) {
      const k = m.order[i]
      if (m.hidden[k] || !m.focus[k]) continue
      const dx = m.x2[k] - m.x1[k]
      const dy = m.y2[k] - m.y1[k]
      const len = Math.hypot(dx, dy)
      if (len < 2 * NODE_RADIUS) continue
      const ux = dx / len
      const uy = dy / len
      const tx = m.x2[k] - ux * NODE_RADIUS
      const ty = m.y2[k] - uy * NODE_RADIUS
      ctx.moveTo(tx, ty)
      ctx.lineTo(tx - ux * size * 1.6 - uy * size * 0.6, ty - uy * size * 1.6 + ux * size * 0.6)
      ctx.lineTo(tx - ux * size * 1.6 + uy * size * 0.6, ty - uy * size * 1.6 - ux * size * 0.6)
      ctx.closePath()
      any = true
    }
    if (!any) continue
    ctx.fillStyle = EDGE_COLOURS[m.colour[first]]
    ctx.fill()
  }
  ctx.globalAlpha = 1
}

/** What a test reads: how many synapses there are and are shown, by colour, and frames drawn. */
export interface EdgeStats {
  total: number
  visible: number
  /** The clicked neuron's synapses (drawn highlighted unless "changed only" hides them). */
  focused: number
  byColour: Record<string, number>
  visibleByColour: Record<string, number>
  buckets: number
  frames: number
}

export function edgeStats(m: EdgeModel): EdgeStats {
  const byColour: Record<string, number> = {}
  const visibleByColour: Record<string, number> = {}
  let focused = 0
  for (let k = 0; k < m.n; k++) {
    const c = EDGE_COLOURS[m.colour[k]]
    byColour[c] = (byColour[c] ?? 0) + 1
    if (!m.hidden[k]) visibleByColour[c] = (visibleByColour[c] ?? 0) + 1
    if (m.focus[k]) focused++
  }
  return {
    total: m.n,
    visible: m.visible,
    focused,
    byColour,
    visibleByColour,
    buckets: m.buckets,
    frames: m.frames
  }
}
