/**
 * Pure canvas drawing of an animated replay (movies S1–S3 of the ENOMAD paper): the arena with the food
 * left at a step, the path so far coloured by time (a viridis ramp, dark blue → yellow) and the worm, and
 * beside it the activity panel: the network in strata (lib/strata.ts) with the neurons firing in the
 * current step lit orange, the left/right motor drive and the cumulative reward.
 *
 * `createScene` does all the work that depends only on the trace and the canvas size (screen coordinates,
 * colour buckets, the cumulative reward); `drawStatic` paints what never changes (arena floor, network
 * edges and dim nodes, the reward curve) once into a layer; `drawFrame` copies that layer and draws one
 * position, allocating nothing. The player (ReplayCanvas.vue) and the video exporter (replay-video.ts)
 * share all three.
 */
import type { ConnectomeEdge, ConnectomeNode, RolloutTraceData } from '../../../shared/api'
import { drawArena, type ArenaGeometry } from './arena'
import { palette } from './palette'
import { strataLayout, type StrataLayout } from './strata'

/** The colour of a firing neuron (the paper's orange circles). */
export const FIRING = '#ff9a1f'
export const FIRING_RGB = [255, 154, 31] as const

/** Viridis stops (matplotlib's), sampled at 0, ¼, ½, ¾, 1. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37]
] as const

/** The viridis colour at t ∈ [0, 1], as `rgb(r,g,b)`. */
export function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u))
  const f = u - i
  const a = VIRIDIS[i]
  const b = VIRIDIS[i + 1]
  return `rgb(${a.map((v, k) => Math.round(v + (b[k] - v) * f)).join(',')})`
}

/** Colour buckets of the path: segments of one bucket are stroked as one polyline. */
const BUCKETS = 48
/** The path's ramp starts at viridis 0.15 (dark blue-violet, visible on the dark floor). */
export const PATH_RAMP: [number, number] = [0.15, 1]
const BUCKET_COLOURS = Array.from({ length: BUCKETS }, (_, b) =>
  viridis(PATH_RAMP[0] + ((PATH_RAMP[1] - PATH_RAMP[0]) * b) / (BUCKETS - 1))
)

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** The network as the activity panel draws it: neuron i of the trace is `neuronIds[i]`. */
export interface ReplayNetwork {
  layout: StrataLayout
  neuronIds: string[]
  edges: { source: string; target: string }[]
}

const networks = new WeakMap<object, ReplayNetwork>()

/** The replay network of a connectome summary (computed once per summary). */
export function replayNetwork(summary: { nodes: ConnectomeNode[]; edges: ConnectomeEdge[] }): ReplayNetwork {
  let n = networks.get(summary)
  if (!n) {
    n = {
      layout: strataLayout(summary.nodes, summary.edges),
      neuronIds: summary.nodes.filter((x) => x.kind === 'neuron').map((x) => x.id),
      edges: summary.edges
    }
    networks.set(summary, n)
  }
  return n
}

export interface ReplayScene {
  width: number
  height: number
  geometry: ArenaGeometry
  trace: RolloutTraceData
  arena: Rect
  /** The network and the motor / reward strip (null: arena only). */
  net: Rect | null
  strip: Rect | null
  network: ReplayNetwork | null
  /** Screen position of the worm before step 1 and after each step. */
  px: Float32Array
  py: Float32Array
  /** First segment of each colour bucket (segment j joins positions j and j + 1); BUCKETS + 1 entries. */
  bucketStart: Int32Array
  foodX: Float32Array
  foodY: Float32Array
  foodR: number
  /** Screen position of each neuron of the trace (NaN when the layout lacks it). */
  nx: Float32Array
  ny: Float32Array
  nodeR: number
  /** Cumulative reward after each position, its range, and the largest |a| of the motor read-out. */
  cumReward: Float64Array
  rewardMin: number
  rewardMax: number
  driveMax: number
}

/** Canvas width / height of a replay `width` px wide: side by side when wide, else stacked. */
export function replayAspect(width: number, geometry: ArenaGeometry, withNetwork: boolean): number {
  const arena = geometry.arenaWidth / geometry.arenaHeight
  if (!withNetwork) return arena
  return width >= 640 ? 2.4 : 1 / (1 / arena + 0.62)
}

/**
 * Where the arena and the activity panel go in a canvas of width × height: side by side when the canvas
 * is wide (a video, a wide pane), the network below the arena when it is narrow.
 */
export function replayLayout(
  width: number,
  height: number,
  geometry: ArenaGeometry,
  withNetwork: boolean
): { arena: Rect; net: Rect | null; strip: Rect | null } {
  if (!withNetwork) return { arena: { x: 0, y: 0, w: width, h: height }, net: null, strip: null }
  const aspect = geometry.arenaWidth / geometry.arenaHeight
  if (width / height < 1.3) {
    const ah = Math.min(width / aspect, height * 0.6)
    const stripH = Math.max(46, height * 0.12)
    return {
      arena: { x: 0, y: 0, w: width, h: ah },
      net: { x: 8, y: ah + 18, w: width - 16, h: height - ah - stripH - 26 },
      strip: { x: 8, y: height - stripH - 2, w: width - 16, h: stripH }
    }
  }
  const aw = Math.min(height * aspect, width * 0.56)
  const gap = Math.max(8, width * 0.012)
  const nx = aw + gap
  const nw = width - nx - 4
  const stripH = Math.max(46, height * 0.2)
  return {
    arena: { x: 0, y: 0, w: aw, h: height },
    net: { x: nx, y: 18, w: nw, h: height - stripH - 26 },
    strip: { x: nx, y: height - stripH - 2, w: nw, h: stripH }
  }
}

/** The arena transform of lib/arena.ts's drawArena for a rect (same padding and centring). */
function arenaTransform(r: Rect, g: ArenaGeometry): { scale: number; ox: number; oy: number } {
  const pad = 14
  const scale = Math.min((r.w - 2 * pad) / g.arenaWidth, (r.h - 2 * pad) / g.arenaHeight)
  return {
    scale,
    ox: r.x + (r.w - g.arenaWidth * scale) / 2,
    oy: r.y + (r.h - g.arenaHeight * scale) / 2
  }
}

export function createScene(
  trace: RolloutTraceData,
  geometry: ArenaGeometry,
  network: ReplayNetwork | null,
  width: number,
  height: number
): ReplayScene {
  const { arena, net, strip } = replayLayout(width, height, geometry, network !== null)
  const { scale, ox, oy } = arenaTransform(arena, geometry)
  const H = geometry.arenaHeight
  const n = trace.steps + 1
  const px = new Float32Array(n)
  const py = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    px[i] = ox + trace.x[i] * scale
    py[i] = oy + (H - trace.y[i]) * scale
  }
  const bucketStart = new Int32Array(BUCKETS + 1)
  for (let b = 0; b <= BUCKETS; b++) bucketStart[b] = Math.round((b * trace.steps) / BUCKETS)
  const nFood = trace.food.length / 2
  const foodX = new Float32Array(nFood)
  const foodY = new Float32Array(nFood)
  for (let k = 0; k < nFood; k++) {
    foodX[k] = ox + trace.food[2 * k] * scale
    foodY[k] = oy + (H - trace.food[2 * k + 1]) * scale
  }
  const cumReward = new Float64Array(n)
  for (let t = 0; t < trace.steps; t++) cumReward[t + 1] = cumReward[t] + trace.reward[t]
  let driveMax = 1e-9
  for (let t = 0; t < trace.steps; t++)
    driveMax = Math.max(driveMax, Math.abs(trace.aLeft[t]), Math.abs(trace.aRight[t]))

  const nNeurons = network?.neuronIds.length ?? 0
  const nxs = new Float32Array(nNeurons).fill(NaN)
  const nys = new Float32Array(nNeurons).fill(NaN)
  let nodeR = 2
  if (network && net) {
    network.neuronIds.forEach((id, i) => {
      const p = network.layout.byId.get(id)
      if (!p) return
      nxs[i] = net.x + 6 + p.x * (net.w - 12)
      nys[i] = net.y + 6 + p.y * (net.h - 12)
    })
    nodeR = Math.max(1.6, Math.min(4, net.h / 150))
  }
  return {
    width,
    height,
    geometry,
    trace,
    arena,
    net,
    strip,
    network,
    px,
    py,
    bucketStart,
    foodX,
    foodY,
    foodR: Math.max(3, geometry.eatRadius * scale * 0.6),
    nx: nxs,
    ny: nys,
    nodeR,
    cumReward,
    rewardMin: Math.min(0, ...cumReward),
    rewardMax: Math.max(1e-9, ...cumReward),
    driveMax
  }
}

/** Geometry of the motor bars and the reward chart inside the strip. */
function stripParts(s: Rect): { bars: Rect; chart: Rect } {
  const barsW = Math.min(s.w * 0.42, 220)
  return {
    bars: { x: s.x, y: s.y, w: barsW, h: s.h },
    chart: { x: s.x + barsW + 12, y: s.y + 4, w: s.w - barsW - 16, h: s.h - 8 }
  }
}

/** Paints what does not change during the replay: arena floor, network edges and dim nodes, the reward curve. */
export function drawStatic(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  s: ReplayScene
): void {
  const c = ctx as CanvasRenderingContext2D
  c.save()
  c.translate(s.arena.x, s.arena.y)
  drawArena(c, s.arena.w, s.arena.h, s.geometry, null)
  c.restore()
  // The background behind it all (drawArena clears its rect): the layer is opaque, so each frame's
  // copy of it erases the last frame.
  c.globalCompositeOperation = 'destination-over'
  c.fillStyle = palette.bg
  c.fillRect(0, 0, s.width, s.height)
  c.globalCompositeOperation = 'source-over'
  if (!s.net || !s.strip || !s.network) return
  const { net, network } = s
  c.fillStyle = palette.panel
  c.fillRect(net.x, net.y, net.w, net.h)
  // Neuron → neuron synapses, faint.
  const index = new Map(network.neuronIds.map((id, i) => [id, i]))
  c.strokeStyle = 'rgba(135, 146, 161, 0.07)'
  c.lineWidth = 0.6
  c.beginPath()
  for (const e of network.edges) {
    const a = index.get(e.source)
    const b = index.get(e.target)
    if (a === undefined || b === undefined || Number.isNaN(s.nx[a]) || Number.isNaN(s.nx[b])) continue
    c.moveTo(s.nx[a], s.ny[a])
    c.lineTo(s.nx[b], s.ny[b])
  }
  c.stroke()
  // Muscles (right-hand columns of the layout), then the neurons, dim.
  c.fillStyle = palette.border
  c.beginPath()
  for (const p of network.layout.nodes) {
    if (!p.stratum.startsWith('muscle')) continue
    const x = net.x + 6 + p.x * (net.w - 12)
    const y = net.y + 6 + p.y * (net.h - 12)
    c.rect(x - s.nodeR * 0.8, y - s.nodeR * 0.8, s.nodeR * 1.6, s.nodeR * 1.6)
  }
  c.fill()
  c.fillStyle = '#3a4452'
  c.beginPath()
  for (let i = 0; i < s.nx.length; i++) {
    if (Number.isNaN(s.nx[i])) continue
    c.moveTo(s.nx[i] + s.nodeR, s.ny[i])
    c.arc(s.nx[i], s.ny[i], s.nodeR, 0, 2 * Math.PI)
  }
  c.fill()
  // One label per stratum: where its columns start.
  c.fillStyle = palette.faint
  c.font = '10px system-ui, sans-serif'
  c.textBaseline = 'bottom'
  const span = new Map<string, [number, number]>()
  for (const p of network.layout.nodes) {
    const key = p.stratum.startsWith('muscle') ? 'muscles' : p.stratum
    const [a, b] = span.get(key) ?? [1, 0]
    span.set(key, [Math.min(a, p.x), Math.max(b, p.x)])
  }
  const X = (x: number): number => net.x + 6 + x * (net.w - 12)
  for (const [key, [a, b]] of span) {
    c.textAlign = key === 'sensory' ? 'left' : key === 'muscles' ? 'right' : 'center'
    c.fillText(
      key,
      key === 'sensory' ? X(a) - 3 : key === 'muscles' ? net.x + net.w : X((a + b) / 2),
      net.y - 3
    )
  }
  c.textAlign = 'left'

  const { bars, chart } = stripParts(s.strip)
  c.fillStyle = palette.muted
  c.textBaseline = 'middle'
  c.fillText('aL', bars.x, bars.y + bars.h * 0.3)
  c.fillText('aR', bars.x, bars.y + bars.h * 0.72)
  c.fillStyle = palette.panel
  c.fillRect(bars.x + 18, bars.y + bars.h * 0.3 - 6, bars.w - 18, 12)
  c.fillRect(bars.x + 18, bars.y + bars.h * 0.72 - 6, bars.w - 18, 12)
  c.fillStyle = palette.border
  c.fillRect(bars.x + 18 + (bars.w - 18) / 2, bars.y + 4, 1, bars.h - 8)
  // Cumulative reward over the whole replay, dim; drawFrame draws the part so far on top.
  c.fillStyle = palette.panel
  c.fillRect(chart.x, chart.y, chart.w, chart.h)
  c.fillStyle = palette.faint
  c.textBaseline = 'top'
  c.fillText('cumulative reward', chart.x + 4, chart.y + 3)
  c.strokeStyle = palette.grid
  c.lineWidth = 1.5
  c.beginPath()
  for (let i = 0; i < s.cumReward.length; i++) {
    const [x, y] = rewardPoint(s, chart, i)
    if (i === 0) c.moveTo(x, y)
    else c.lineTo(x, y)
  }
  c.stroke()
}

const point: [number, number] = [0, 0]
function rewardPoint(s: ReplayScene, chart: Rect, i: number): [number, number] {
  point[0] = chart.x + (chart.w * i) / Math.max(1, s.trace.steps)
  point[1] =
    chart.y + chart.h - 3 - ((chart.h - 16) * (s.cumReward[i] - s.rewardMin)) / (s.rewardMax - s.rewardMin)
  return point
}

/** The 0-based step shown at a position: the one leading away from it (the last one at the end). */
export function stepAt(s: ReplayScene, position: number): number {
  return Math.min(s.trace.steps - 1, Math.max(0, Math.floor(position)))
}

/**
 * Draws the replay at `position` (0 … steps, fractional between steps: the worm is interpolated) over
 * the static layer painted by drawStatic. Allocates nothing.
 */
export function drawFrame(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  s: ReplayScene,
  layer: CanvasImageSource,
  position: number
): void {
  const c = ctx as CanvasRenderingContext2D
  const tr = s.trace
  const T = tr.steps
  const pos = Math.min(T, Math.max(0, position))
  const i = Math.floor(pos)
  const f = pos - i
  c.drawImage(layer, 0, 0, s.width, s.height)

  // Food: what is left at position i (source k eaten in step e is gone from position e + 1), and faint
  // rings where eaten food was.
  c.fillStyle = palette.food
  c.beginPath()
  for (let k = 0; k < s.foodX.length; k++) {
    const e = tr.eatenAt[k]
    if (e >= 0 && e < i) continue
    c.moveTo(s.foodX[k] + s.foodR, s.foodY[k])
    c.arc(s.foodX[k], s.foodY[k], s.foodR, 0, 2 * Math.PI)
  }
  c.fill()
  c.strokeStyle = 'rgba(228, 192, 92, 0.35)'
  c.lineWidth = 1
  c.beginPath()
  for (let k = 0; k < s.foodX.length; k++) {
    const e = tr.eatenAt[k]
    if (e < 0 || e >= i) continue
    c.moveTo(s.foodX[k] + s.foodR, s.foodY[k])
    c.arc(s.foodX[k], s.foodY[k], s.foodR, 0, 2 * Math.PI)
  }
  c.stroke()

  // The path so far, one polyline per colour bucket; the last segment up to the interpolated point.
  const hx = i < T ? s.px[i] + (s.px[i + 1] - s.px[i]) * f : s.px[T]
  const hy = i < T ? s.py[i] + (s.py[i + 1] - s.py[i]) * f : s.py[T]
  c.lineWidth = 2
  c.lineCap = 'round'
  c.lineJoin = 'round'
  for (let b = 0; b < BUCKETS; b++) {
    const a = s.bucketStart[b]
    const end = Math.min(s.bucketStart[b + 1], i)
    if (a > i || (a === i && f === 0)) break
    c.strokeStyle = BUCKET_COLOURS[b]
    c.beginPath()
    c.moveTo(s.px[a], s.py[a])
    for (let j = a + 1; j <= end; j++) c.lineTo(s.px[j], s.py[j])
    if (end === i && i < s.bucketStart[b + 1]) c.lineTo(hx, hy)
    c.stroke()
  }

  // The worm: an arrow along its heading (y is flipped on screen).
  const h0 = tr.heading[i]
  let dh = i < T ? tr.heading[i + 1] - h0 : 0
  if (dh > Math.PI) dh -= 2 * Math.PI
  else if (dh < -Math.PI) dh += 2 * Math.PI
  c.save()
  c.translate(hx, hy)
  c.rotate(-(h0 + dh * f))
  c.fillStyle = '#f4f6f8'
  c.strokeStyle = palette.bg
  c.lineWidth = 1.5
  c.beginPath()
  c.moveTo(11, 0)
  c.lineTo(-7, 6.5)
  c.lineTo(-3.5, 0)
  c.lineTo(-7, -6.5)
  c.closePath()
  c.fill()
  c.stroke()
  c.restore()

  if (!s.net || !s.strip) return
  const t = stepAt(s, pos)
  // Neurons fired in step t, lit orange.
  c.fillStyle = FIRING
  c.beginPath()
  const r = s.nodeR * 1.45
  for (let k = tr.firedOffsets[t]; k < tr.firedOffsets[t + 1]; k++) {
    const n = tr.firedNeurons[k]
    if (n >= s.nx.length || Number.isNaN(s.nx[n])) continue
    c.moveTo(s.nx[n] + r, s.ny[n])
    c.arc(s.nx[n], s.ny[n], r, 0, 2 * Math.PI)
  }
  c.fill()

  const { bars, chart } = stripParts(s.strip)
  const half = (bars.w - 18) / 2
  const mid = bars.x + 18 + half
  const aL = tr.aLeft[t] / s.driveMax
  const aR = tr.aRight[t] / s.driveMax
  c.fillStyle = palette.left
  c.fillRect(Math.min(mid, mid + aL * half), bars.y + bars.h * 0.3 - 5, Math.abs(aL * half), 10)
  c.fillStyle = palette.right
  c.fillRect(Math.min(mid, mid + aR * half), bars.y + bars.h * 0.72 - 5, Math.abs(aR * half), 10)

  c.strokeStyle = palette.reward
  c.lineWidth = 1.5
  c.beginPath()
  for (let j = 0; j <= i; j++) {
    rewardPoint(s, chart, j)
    if (j === 0) c.moveTo(point[0], point[1])
    else c.lineTo(point[0], point[1])
  }
  c.stroke()
  rewardPoint(s, chart, i)
  c.fillStyle = palette.reward
  c.beginPath()
  c.arc(point[0], point[1], 3, 0, 2 * Math.PI)
  c.fill()
}
