/**
 * The scene of an animated replay: everything that depends only on the trace and the canvas size,
 * computed once (screen coordinates of the path, food and neurons, colour buckets, the cumulative
 * reward), and where the arena and the activity panel go. Drawn by replay-draw.ts.
 */
import type { ConnectomeEdge, ConnectomeNode, RolloutTraceData } from '../../../shared/api'
import type { ArenaGeometry } from './arena'
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
export const BUCKETS = 48
/** The path's ramp starts at viridis 0.15 (dark blue-violet, visible on the dark floor). */
export const PATH_RAMP: [number, number] = [0.15, 1]
export const BUCKET_COLOURS = Array.from({ length: BUCKETS }, (_, b) =>
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
