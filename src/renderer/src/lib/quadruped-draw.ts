/**
 * Drawing the quadruped replay on a 2-D canvas (QuadrupedReplay.vue) with the geometry of
 * ./quadruped-view.ts: the ground (a fixed world grid, so it slides under the body as the camera follows
 * the torso), a start line and metre marks from where the policy took over, the torso's track, the
 * shadows, then the torso sphere and the 12 capsules (thick round-capped strokes) far to near.
 */
import { LEGS } from '../../../core/env/quadruped/mjcf'
import { palette } from './palette'
import {
  bodyAt,
  DEFAULT_CAMERA,
  depthOrder,
  emptyBody,
  lookAt,
  project,
  projectSegment,
  screenSize,
  toCamera,
  torsoXY,
  type BodyPose,
  type Camera,
  type CameraOptions,
  type QuadrupedPoses
} from './quadruped-view'

/** The colour of the shortened (damaged) foot. */
export const DAMAGED = '#e5737a'
const GRID = 0.5
/** Ground drawn around the target (m). */
const REACH = 9
const SKY = '#0d1014'
const GROUND = '#141a20'

export interface QuadrupedScene {
  poses: QuadrupedPoses
  width: number
  height: number
  view: CameraOptions
  /** Per capsule: its colour (by the leg's side and end; the damaged foot stands out). */
  colours: string[]
  /** The torso's ground track (x, y per frame). */
  track: Float64Array
  /** Scratch buffers (no allocation per frame beyond the projections). */
  body: BodyPose
  order: number[]
}

const leg = (name: string) => LEGS.find((l) => name.startsWith(`${l.name}_`))

/** Each capsule's colour: the body's left side (+y) blue, right side orange; back legs darker. */
export function capsuleColours(capsules: QuadrupedPoses['capsules']): string[] {
  const foot = Math.max(...capsules.filter((c) => c.name.endsWith('_foot_geom')).map((c) => c.halfLength))
  return capsules.map((c) => {
    if (c.name.endsWith('_foot_geom') && c.halfLength < foot - 1e-9) return DAMAGED
    const l = leg(c.name)
    if (!l) return palette.muted
    const base = l.dir[1] > 0 ? palette.left : palette.right
    return l.dir[0] > 0 ? base : shade(base, 0.68)
  })
}

/** `#rrggbb` darkened to `f` of its value. */
function shade(hex: string, f: number): string {
  const n = parseInt(hex.slice(1), 16)
  const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => Math.round(v * f))
  return `rgb(${c.join(',')})`
}

export function createQuadrupedScene(
  poses: QuadrupedPoses,
  width: number,
  height: number,
  view: CameraOptions = DEFAULT_CAMERA
): QuadrupedScene {
  const track = new Float64Array(2 * poses.frames)
  for (let f = 0; f < poses.frames; f++) track.set(torsoXY(poses, f), 2 * f)
  return {
    poses,
    width,
    height,
    view,
    colours: capsuleColours(poses.capsules),
    track,
    body: emptyBody(poses.capsules.length),
    order: []
  }
}

/** The camera at `position`: looking at the torso's ground point, raised to a fixed height (no bobbing). */
export function cameraAt(scene: QuadrupedScene, body: BodyPose): Camera {
  return lookAt([body.torso[0], body.torso[1], 0.35], scene.view, scene.width, scene.height)
}

export function drawQuadruped(ctx: CanvasRenderingContext2D, scene: QuadrupedScene, position: number): void {
  const body = bodyAt(scene.poses, position, scene.body)
  const cam = cameraAt(scene, body)
  drawGround(ctx, scene, cam, body)
  drawTrack(ctx, scene, cam, position)
  drawShadows(ctx, scene, cam, body)
  drawBody(ctx, scene, cam, body)
}

function drawGround(ctx: CanvasRenderingContext2D, scene: QuadrupedScene, cam: Camera, body: BodyPose): void {
  const { width, height, poses } = scene
  // The horizon: a far ground point straight ahead.
  const far = project(cam, cam.eye[0] + 1e4 * cam.forward[0], cam.eye[1] + 1e4 * cam.forward[1], 0)
  const horizon = Math.max(0, Math.min(height, far.y))
  ctx.fillStyle = SKY
  ctx.fillRect(0, 0, width, horizon)
  const g = ctx.createLinearGradient(0, horizon, 0, height)
  g.addColorStop(0, SKY)
  g.addColorStop(1, GROUND)
  ctx.fillStyle = g
  ctx.fillRect(0, horizon, width, height - horizon)

  const tx = body.torso[0]
  const ty = body.torso[1]
  // Grid lines in short pieces, bucketed by distance so that they fade toward the horizon.
  const buckets = [3, 5, 7, REACH]
  const alphas = [0.55, 0.36, 0.2, 0.1]
  for (let b = 0; b < buckets.length; b++) {
    ctx.beginPath()
    for (const axis of [0, 1]) {
      const c0 = axis === 0 ? tx : ty
      const d0 = axis === 0 ? ty : tx
      for (let u = Math.ceil((c0 - REACH) / GRID) * GRID; u <= c0 + REACH; u += GRID)
        for (let v = Math.floor((d0 - REACH) / GRID) * GRID; v < d0 + REACH; v += GRID) {
          const mu = u - c0
          const mv = v + GRID / 2 - d0
          const r = Math.hypot(mu, mv)
          if (r > buckets[b] || (b > 0 && r <= buckets[b - 1])) continue
          const a: [number, number, number] = axis === 0 ? [u, v, 0] : [v, u, 0]
          const e: [number, number, number] = axis === 0 ? [u, v + GRID, 0] : [v + GRID, u, 0]
          const s = projectSegment(cam, a, e)
          if (!s) continue
          ctx.moveTo(s[0].x, s[0].y)
          ctx.lineTo(s[1].x, s[1].y)
        }
    }
    ctx.strokeStyle = `rgba(120, 135, 155, ${alphas[b]})`
    ctx.lineWidth = 1
    ctx.stroke()
  }

  // The start line (torso x when the policy took over) and a mark every metre walked from it.
  const x0 = poses.poses[poses.warmup * poses.stride]
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace'
  ctx.textAlign = 'center'
  for (let k = Math.ceil(tx - REACH - x0); k <= Math.floor(tx + REACH - x0); k++) {
    const x = x0 + k
    const s = projectSegment(cam, [x, ty - 3, 0], [x, ty + 3, 0])
    if (!s) continue
    ctx.beginPath()
    ctx.moveTo(s[0].x, s[0].y)
    ctx.lineTo(s[1].x, s[1].y)
    ctx.strokeStyle = k === 0 ? palette.accent : 'rgba(213, 219, 227, 0.45)'
    ctx.lineWidth = k === 0 ? 2 : 1
    ctx.stroke()
    const label = project(cam, x, ty + 1.4, 0)
    if (label.depth > 0.5 && label.depth < 6.5 && label.y < height && label.y > 12) {
      ctx.fillStyle = k === 0 ? palette.accent : palette.muted
      ctx.fillText(k === 0 ? 'start' : `${k > 0 ? '+' : ''}${k} m`, label.x, label.y - 6)
    }
  }
}

function drawTrack(
  ctx: CanvasRenderingContext2D,
  scene: QuadrupedScene,
  cam: Camera,
  position: number
): void {
  const { poses, track } = scene
  const end = Math.min(poses.frames - 1, Math.floor(position))
  if (end <= poses.warmup) return
  ctx.beginPath()
  let open = false
  for (let f = poses.warmup; f <= end; f++) {
    const p = toCamera(cam, track[2 * f], track[2 * f + 1], 0)
    if (p[2] < 0.3) {
      open = false
      continue
    }
    const x = cam.cx + (cam.focal * p[0]) / p[2]
    const y = cam.cy - (cam.focal * p[1]) / p[2]
    if (open) ctx.lineTo(x, y)
    else ctx.moveTo(x, y)
    open = true
  }
  ctx.strokeStyle = 'rgba(88, 182, 168, 0.75)'
  ctx.lineWidth = 2
  ctx.lineJoin = 'round'
  ctx.stroke()
}

function drawShadows(
  ctx: CanvasRenderingContext2D,
  scene: QuadrupedScene,
  cam: Camera,
  body: BodyPose
): void {
  const { poses } = scene
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.42)'
  ctx.fillStyle = 'rgba(0, 0, 0, 0.42)'
  ctx.lineCap = 'round'
  const e = body.ends
  for (let k = 0; k < poses.capsules.length; k++) {
    const m = 6 * k
    const s = projectSegment(cam, [e[m], e[m + 1], 0], [e[m + 3], e[m + 4], 0])
    if (!s) continue
    ctx.lineWidth = Math.max(1, screenSize(cam, 2 * poses.capsules[k].radius, (s[0].depth + s[1].depth) / 2))
    ctx.beginPath()
    ctx.moveTo(s[0].x, s[0].y)
    ctx.lineTo(s[1].x, s[1].y)
    ctx.stroke()
  }
  const c = project(cam, body.torso[0], body.torso[1], 0)
  if (c.depth > 0.3) {
    const r = screenSize(cam, poses.torsoRadius, c.depth)
    ctx.beginPath()
    ctx.ellipse(c.x, c.y, r, r * Math.sin(scene.view.elevation), 0, 0, 2 * Math.PI)
    ctx.fill()
  }
}

function drawBody(ctx: CanvasRenderingContext2D, scene: QuadrupedScene, cam: Camera, body: BodyPose): void {
  const { poses, colours } = scene
  const order = depthOrder(cam, body, scene.order)
  const torso = project(cam, body.torso[0], body.torso[1], body.torso[2])
  let torsoDrawn = false
  const drawTorso = (): void => {
    torsoDrawn = true
    if (torso.depth <= 0.3) return
    const r = screenSize(cam, poses.torsoRadius, torso.depth)
    const g = ctx.createRadialGradient(torso.x - r * 0.35, torso.y - r * 0.4, r * 0.1, torso.x, torso.y, r)
    g.addColorStop(0, '#f1f4f8')
    g.addColorStop(0.55, '#a9b3c0')
    g.addColorStop(1, '#55606e')
    ctx.fillStyle = g
    ctx.beginPath()
    ctx.arc(torso.x, torso.y, r, 0, 2 * Math.PI)
    ctx.fill()
  }
  const e = body.ends
  ctx.lineCap = 'round'
  for (const k of order) {
    const m = 6 * k
    const s = projectSegment(cam, [e[m], e[m + 1], e[m + 2]], [e[m + 3], e[m + 4], e[m + 5]])
    if (!s) continue
    const depth = (s[0].depth + s[1].depth) / 2
    if (!torsoDrawn && depth < torso.depth) drawTorso()
    const w = Math.max(1.5, screenSize(cam, 2 * poses.capsules[k].radius, depth))
    ctx.beginPath()
    ctx.moveTo(s[0].x, s[0].y)
    ctx.lineTo(s[1].x, s[1].y)
    ctx.strokeStyle = colours[k]
    ctx.lineWidth = w
    ctx.stroke()
    // A thin lighter stroke above the axis: the capsule's highlight.
    ctx.beginPath()
    ctx.moveTo(s[0].x, s[0].y - w * 0.22)
    ctx.lineTo(s[1].x, s[1].y - w * 0.22)
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.28)'
    ctx.lineWidth = w * 0.28
    ctx.stroke()
  }
  if (!torsoDrawn) drawTorso()
}
