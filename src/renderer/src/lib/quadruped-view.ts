/**
 * The geometry of the quadruped replay (QuadrupedReplay.vue), pure and DOM-free: the body at a fractional
 * frame (torso centre and both ends of each capsule, interpolated between frames), the distance walked,
 * and a perspective camera that follows the torso and projects world points (z up) onto the canvas.
 *
 * Poses are the trace's (src/core/env/quadruped/sim.ts writePose): per frame the torso then the 12
 * capsules, each x y z and the world orientation w x y z of the geom. A MuJoCo capsule lies along its
 * geom frame's local z axis, centred on its position, with `halfLength` to either end (its `fromto` in
 * the MJCF becomes that frame), so the ends are centre ± halfLength · R(q)·ẑ.
 */

/** Floats per part (x y z, qw qx qy qz). */
export const PART = 7

export interface QuadrupedPoses {
  poses: Float32Array
  frames: number
  stride: number
  /** Zero-action frames after the reset: the policy acts from frame warmup + 1. */
  warmup: number
  capsules: readonly { name: string; radius: number; halfLength: number }[]
  torsoRadius: number
}

/** The body at one instant: the torso centre and, per capsule k, its ends at ends[6k … 6k + 6). */
export interface BodyPose {
  torso: Float64Array
  ends: Float64Array
}

export function emptyBody(capsules: number): BodyPose {
  return { torso: new Float64Array(3), ends: new Float64Array(6 * capsules) }
}

/** R(q)·ẑ of a unit quaternion (w x y z): the third column of its rotation matrix. */
export function rotateZ(w: number, x: number, y: number, z: number): [number, number, number] {
  return [2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)]
}

/** Writes the torso centre and the capsule ends of one frame, scaled by `weight` and added to `out`. */
function addFrame(p: QuadrupedPoses, frame: number, weight: number, out: BodyPose): void {
  const o = frame * p.stride
  const s = p.poses
  for (let i = 0; i < 3; i++) out.torso[i] += weight * s[o + i]
  for (let k = 0; k < p.capsules.length; k++) {
    const b = o + PART * (k + 1)
    const [ax, ay, az] = rotateZ(s[b + 3], s[b + 4], s[b + 5], s[b + 6])
    const h = p.capsules[k].halfLength
    const e = 6 * k
    out.ends[e] += weight * (s[b] - h * ax)
    out.ends[e + 1] += weight * (s[b + 1] - h * ay)
    out.ends[e + 2] += weight * (s[b + 2] - h * az)
    out.ends[e + 3] += weight * (s[b] + h * ax)
    out.ends[e + 4] += weight * (s[b + 1] + h * ay)
    out.ends[e + 5] += weight * (s[b + 2] + h * az)
  }
}

/**
 * The body at fractional frame `position` (0 … frames − 1), linearly between the two frames around it
 * (capsule ends rather than quaternions are interpolated: at 60 frames/s a limb turns a few degrees per frame).
 */
export function bodyAt(p: QuadrupedPoses, position: number, out: BodyPose): BodyPose {
  const last = p.frames - 1
  const x = Math.min(last, Math.max(0, position))
  const f = Math.min(Math.floor(x), Math.max(0, last - 1))
  const t = last === 0 ? 0 : x - f
  out.torso.fill(0)
  out.ends.fill(0)
  addFrame(p, f, 1 - t, out)
  if (t > 0) addFrame(p, f + 1, t, out)
  return out
}

/** Torso x and y of a frame. */
export function torsoXY(p: QuadrupedPoses, frame: number): [number, number] {
  const o = frame * p.stride
  return [p.poses[o], p.poses[o + 1]]
}

/**
 * The distance walked at `position`: torso x minus torso x after the warm-up (the environment's
 * `distance`, which it equals at the last frame); 0 during the warm-up.
 */
export function distanceAt(p: QuadrupedPoses, position: number): number {
  if (position <= p.warmup) return 0
  const last = p.frames - 1
  const x = Math.min(last, position)
  const f = Math.min(Math.floor(x), Math.max(0, last - 1))
  const t = x - f
  const at = (1 - t) * p.poses[f * p.stride] + (t > 0 ? t * p.poses[(f + 1) * p.stride] : 0)
  return at - p.poses[p.warmup * p.stride]
}

/** Σ progress of the policy steps shown by `position` (step s ends at frame warmup + 1 + s). */
export function progressAt(p: QuadrupedPoses, progress: readonly number[], position: number): number {
  const shown = Math.min(progress.length, Math.max(0, Math.floor(position) - p.warmup))
  let sum = 0
  for (let s = 0; s < shown; s++) sum += progress[s]
  return sum
}

export interface CameraOptions {
  /** Horizontal angle of the camera around the target, radians from +x (−π/2: looking from −y). */
  azimuth: number
  /** Angle above the ground, radians. */
  elevation: number
  /** Metres from the target. */
  distance: number
  /** Vertical field of view, radians. */
  fov: number
}

/**
 * The default view: from the ant's right side, a little ahead of it and above, so that walking toward +x
 * goes left → right and both front legs (the damaged ones of the paper's morphologies) face the camera.
 */
export const DEFAULT_CAMERA: CameraOptions = {
  azimuth: -Math.PI / 2 + 0.55,
  elevation: 0.62,
  distance: 4,
  fov: 0.75
}

/** The view turned by a drag of (dx, dy) CSS px: azimuth with dx, elevation with dy (kept 5°–85°). */
export function orbit(o: CameraOptions, dx: number, dy: number): CameraOptions {
  const elevation = Math.min((85 * Math.PI) / 180, Math.max((5 * Math.PI) / 180, o.elevation + dy * 0.008))
  return { ...o, azimuth: o.azimuth - dx * 0.008, elevation }
}

export interface Camera {
  eye: [number, number, number]
  /** Camera axes in world coordinates: right, up, forward (unit). */
  right: [number, number, number]
  up: [number, number, number]
  forward: [number, number, number]
  /** Pixels per unit of x/z at depth 1. */
  focal: number
  cx: number
  cy: number
}

/** Nearest depth drawn (m): segments are clipped there. */
export const NEAR = 0.2

/** A camera looking at `target` from the options' direction, for a canvas of width × height CSS px. */
export function lookAt(
  target: readonly [number, number, number],
  o: CameraOptions,
  width: number,
  height: number
): Camera {
  const ce = Math.cos(o.elevation)
  const d: [number, number, number] = [
    ce * Math.cos(o.azimuth),
    ce * Math.sin(o.azimuth),
    Math.sin(o.elevation)
  ]
  const eye: [number, number, number] = [
    target[0] + o.distance * d[0],
    target[1] + o.distance * d[1],
    target[2] + o.distance * d[2]
  ]
  const forward: [number, number, number] = [-d[0], -d[1], -d[2]]
  // right = forward × ẑ (normalised), up = right × forward.
  const rl = Math.hypot(forward[1], forward[0])
  const right: [number, number, number] = [forward[1] / rl, -forward[0] / rl, 0]
  const up: [number, number, number] = [
    right[1] * forward[2] - right[2] * forward[1],
    right[2] * forward[0] - right[0] * forward[2],
    right[0] * forward[1] - right[1] * forward[0]
  ]
  return { eye, right, up, forward, focal: height / 2 / Math.tan(o.fov / 2), cx: width / 2, cy: height / 2 }
}

/** Camera-space coordinates of a world point: [x right, y up, depth]. */
export function toCamera(c: Camera, x: number, y: number, z: number): [number, number, number] {
  const vx = x - c.eye[0]
  const vy = y - c.eye[1]
  const vz = z - c.eye[2]
  const dot = (a: readonly number[]) => vx * a[0] + vy * a[1] + vz * a[2]
  return [dot(c.right), dot(c.up), dot(c.forward)]
}

/** A projected point: canvas x, y (CSS px, y down) and its depth (m); depth ≤ NEAR is not drawable. */
export interface Projected {
  x: number
  y: number
  depth: number
}

/** Projects camera-space coordinates. */
export function projectCamera(c: Camera, p: readonly [number, number, number]): Projected {
  return { x: c.cx + (c.focal * p[0]) / p[2], y: c.cy - (c.focal * p[1]) / p[2], depth: p[2] }
}

export function project(c: Camera, x: number, y: number, z: number): Projected {
  return projectCamera(c, toCamera(c, x, y, z))
}

/** A world segment projected after clipping it to depth ≥ NEAR, or null when all of it is nearer. */
export function projectSegment(
  c: Camera,
  a: readonly [number, number, number],
  b: readonly [number, number, number]
): [Projected, Projected] | null {
  let p = toCamera(c, a[0], a[1], a[2])
  let q = toCamera(c, b[0], b[1], b[2])
  if (p[2] < NEAR && q[2] < NEAR) return null
  const cut = (u: [number, number, number], v: [number, number, number]): [number, number, number] => {
    const t = (NEAR - u[2]) / (v[2] - u[2])
    return [u[0] + t * (v[0] - u[0]), u[1] + t * (v[1] - u[1]), NEAR]
  }
  if (p[2] < NEAR) p = cut(p, q)
  else if (q[2] < NEAR) q = cut(q, p)
  return [projectCamera(c, p), projectCamera(c, q)]
}

/** The on-screen width (px) of a world length `size` at `depth`. */
export const screenSize = (c: Camera, size: number, depth: number): number => (c.focal * size) / depth

/** Capsule drawing order: farthest first (painter's algorithm), by the depth of each capsule's midpoint. */
export function depthOrder(c: Camera, body: BodyPose, out: number[] = []): number[] {
  const n = body.ends.length / 6
  const depth = new Float64Array(n)
  const e = body.ends
  for (let k = 0; k < n; k++) {
    const m = 6 * k
    depth[k] = toCamera(c, (e[m] + e[m + 3]) / 2, (e[m + 1] + e[m + 4]) / 2, (e[m + 2] + e[m + 5]) / 2)[2]
  }
  out.length = 0
  for (let k = 0; k < n; k++) out.push(k)
  return out.sort((a, b) => depth[b] - depth[a])
}
