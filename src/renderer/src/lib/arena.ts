import type { AppInfo, RolloutResponse, RolloutTraceData } from '../../../shared/api'
import { palette } from './palette'

/** Anything with a rollout trace: an untrained rollout, or the replay of a run's best genome. */
export interface ArenaRollout {
  trace: RolloutTraceData
}

export interface ArenaGeometry {
  arenaWidth: number
  arenaHeight: number
  touchDistance: number
  detectionRange: number
  eatRadius: number
}

/**
 * The arena of a rollout (or replay): its own model constants, else the app's default arena size and the
 * model's default distances.
 */
export function arenaGeometry(
  params: RolloutResponse['params'] | undefined,
  model: AppInfo['model'] | undefined
): ArenaGeometry {
  return {
    arenaWidth: params?.arenaWidth ?? model?.arenaWidth ?? 1600,
    arenaHeight: params?.arenaHeight ?? model?.arenaHeight ?? 1200,
    touchDistance: params?.touchDistance ?? 100,
    detectionRange: params?.detectionRange ?? 150,
    eatRadius: params?.eatRadius ?? 20
  }
}

const mix = (a: readonly number[], b: readonly number[], t: number): string =>
  `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(',')})`

/**
 * Draws the arena (model coordinates, y up: a polygon task's first vertex at angle π/2 points up), the
 * food and the worm's path into a canvas of
 * `width`×`height` CSS pixels. Pure drawing: the caller sizes the canvas and sets the DPR transform.
 */
export function drawArena(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  geometry: ArenaGeometry,
  rollout: ArenaRollout | null
): void {
  const { arenaWidth: W, arenaHeight: H } = geometry
  const pad = 14
  const scale = Math.min((width - 2 * pad) / W, (height - 2 * pad) / H)
  const ox = (width - W * scale) / 2
  const oy = (height - H * scale) / 2
  const X = (x: number): number => ox + x * scale
  const Y = (y: number): number => oy + (H - y) * scale

  ctx.clearRect(0, 0, width, height)
  // Arena floor, the wall-touch band, a 100-unit grid.
  ctx.fillStyle = palette.panel
  ctx.fillRect(X(0), Y(H), W * scale, H * scale)
  const t = geometry.touchDistance
  ctx.fillStyle = palette.touchZone
  ctx.fillRect(X(0), Y(H), W * scale, t * scale)
  ctx.fillRect(X(0), Y(t), W * scale, t * scale)
  ctx.fillRect(X(0), Y(H - t), t * scale, (H - 2 * t) * scale)
  ctx.fillRect(X(W - t), Y(H - t), t * scale, (H - 2 * t) * scale)
  ctx.strokeStyle = palette.grid
  ctx.lineWidth = 1
  ctx.beginPath()
  for (let gx = 100; gx < W; gx += 100) {
    ctx.moveTo(Math.round(X(gx)) + 0.5, Y(0))
    ctx.lineTo(Math.round(X(gx)) + 0.5, Y(H))
  }
  for (let gy = 100; gy < H; gy += 100) {
    ctx.moveTo(X(0), Math.round(Y(gy)) + 0.5)
    ctx.lineTo(X(W), Math.round(Y(gy)) + 0.5)
  }
  ctx.stroke()
  ctx.strokeStyle = palette.border
  ctx.lineWidth = 1.5
  ctx.strokeRect(X(0), Y(H), W * scale, H * scale)

  if (!rollout) return
  const tr = rollout.trace
  const nFood = tr.food.length / 2
  const foodR = Math.max(3, geometry.eatRadius * scale * 0.6)

  // Where uneaten food can be smelled (union of the detection discs), faint.
  ctx.fillStyle = 'rgba(124, 198, 139, 0.07)'
  ctx.beginPath()
  for (let k = 0; k < nFood; k++) {
    if (tr.eatenAt[k] >= 0) continue
    const fx = X(tr.food[2 * k])
    const fy = Y(tr.food[2 * k + 1])
    ctx.moveTo(fx + geometry.detectionRange * scale, fy)
    ctx.arc(fx, fy, geometry.detectionRange * scale, 0, 2 * Math.PI)
  }
  ctx.fill('nonzero')

  // Path, coloured by time.
  ctx.lineWidth = 2
  ctx.lineCap = 'round'
  ctx.lineJoin = 'round'
  const n = tr.x.length
  for (let i = 1; i < n; i++) {
    ctx.strokeStyle = mix(palette.pathStart, palette.pathEnd, i / (n - 1))
    ctx.beginPath()
    ctx.moveTo(X(tr.x[i - 1]), Y(tr.y[i - 1]))
    ctx.lineTo(X(tr.x[i]), Y(tr.y[i]))
    ctx.stroke()
  }

  // Food: uneaten filled, eaten as a ring.
  for (let k = 0; k < nFood; k++) {
    const fx = X(tr.food[2 * k])
    const fy = Y(tr.food[2 * k + 1])
    ctx.beginPath()
    ctx.arc(fx, fy, foodR, 0, 2 * Math.PI)
    if (tr.eatenAt[k] >= 0) {
      ctx.strokeStyle = palette.eaten
      ctx.lineWidth = 2
      ctx.stroke()
      ctx.fillStyle = 'rgba(228, 192, 92, 0.25)'
      ctx.fill()
    } else {
      ctx.fillStyle = palette.food
      ctx.fill()
    }
  }

  // Start (ring) and end (arrow along the final heading).
  ctx.strokeStyle = palette.text
  ctx.lineWidth = 2
  ctx.beginPath()
  ctx.arc(X(tr.x[0]), Y(tr.y[0]), 6, 0, 2 * Math.PI)
  ctx.stroke()
  const ex = X(tr.x[n - 1])
  const ey = Y(tr.y[n - 1])
  const h = tr.heading[n - 1]
  ctx.save()
  ctx.translate(ex, ey)
  ctx.rotate(-h) // y is flipped on screen
  ctx.fillStyle = mix(palette.pathStart, palette.pathEnd, 1)
  ctx.strokeStyle = palette.bg
  ctx.lineWidth = 1.5
  ctx.beginPath()
  ctx.moveTo(10, 0)
  ctx.lineTo(-6, 6)
  ctx.lineTo(-3, 0)
  ctx.lineTo(-6, -6)
  ctx.closePath()
  ctx.fill()
  ctx.stroke()
  ctx.restore()
}
