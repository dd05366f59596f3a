/**
 * Pure canvas drawing of an animated replay (movies S1–S3 of the ENOMAD paper): the arena with the food
 * left at a step, the path so far coloured by time (a viridis ramp, dark blue → yellow) and the worm, and
 * beside it the activity panel: the network in strata (lib/strata.ts) with the neurons firing in the
 * current step lit orange, the left/right motor drive and the cumulative reward.
 *
 * `createScene` (replay-scene.ts) does all the work that depends only on the trace and the canvas size (screen coordinates,
 * colour buckets, the cumulative reward); `drawStatic` paints what never changes (arena floor, network
 * edges and dim nodes, the reward curve) once into a layer; `drawFrame` copies that layer and draws one
 * position, allocating nothing. The player (ReplayCanvas.vue) and the video exporter (replay-video.ts)
 * share all three.
 */
import { drawArena } from './arena'
import { palette } from './palette'
import { BUCKET_COLOURS, BUCKETS, FIRING, type Rect, type ReplayScene } from './replay-scene'

export * from './replay-scene'
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
