/**
 * The quadruped replay's geometry (src/renderer/src/lib/quadruped-view.ts): the capsule axis convention
 * checked on a real traced episode (each segment starts where the previous one ends), interpolation,
 * the distance walked, and the camera's projection and near-plane clipping.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { QuadrupedEnvironment, QuadrupedTrace } from '../../src/core/env/quadruped/env'
import { prepareEnvironment } from '../../src/engine/environments'
import {
  bodyAt,
  DEFAULT_CAMERA,
  depthOrder,
  distanceAt,
  emptyBody,
  lookAt,
  NEAR,
  orbit,
  progressAt,
  project,
  projectSegment,
  rotateZ,
  type QuadrupedPoses
} from '../../src/renderer/src/lib/quadruped-view'

const S = Math.SQRT1_2

/** Frames of one capsule (centre, quaternion) after a torso at (tx, 0, 0.5). */
function poses(frames: { tx: number; c: number[]; q: number[] }[], warmup = 0): QuadrupedPoses {
  const stride = 14
  const p = new Float32Array(frames.length * stride)
  frames.forEach((f, i) => p.set([f.tx, 0, 0.5, 1, 0, 0, 0, ...f.c, ...f.q], i * stride))
  return {
    poses: p,
    frames: frames.length,
    stride,
    warmup,
    capsules: [{ name: 'front_left_aux_geom', radius: 0.08, halfLength: 0.5 }],
    torsoRadius: 0.25
  }
}

describe('capsule ends', () => {
  it('rotate the local z axis by the quaternion (w x y z)', () => {
    expect(rotateZ(1, 0, 0, 0)).toEqual([0, 0, 1])
    // 90° about y takes z to x; 90° about x takes z to −y.
    rotateZ(S, 0, S, 0).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0][i], 12))
    rotateZ(S, S, 0, 0).forEach((v, i) => expect(v).toBeCloseTo([0, -1, 0][i], 12))
  })

  it('lie halfLength either side of the centre, and interpolate between frames', () => {
    const p = poses([
      { tx: 0, c: [1, 2, 3], q: [S, 0, S, 0] },
      { tx: 1, c: [3, 2, 3], q: [1, 0, 0, 0] }
    ])
    const b = bodyAt(p, 0, emptyBody(1))
    Array.from(b.ends).forEach((v, i) => expect(v).toBeCloseTo([0.5, 2, 3, 1.5, 2, 3][i], 6))
    const mid = bodyAt(p, 0.5, emptyBody(1))
    // Halfway: each end halfway between the two frames' ends.
    Array.from(mid.ends).forEach((v, i) => expect(v).toBeCloseTo([1.75, 2, 2.75, 2.25, 2, 3.25][i], 6))
    expect(mid.torso[0]).toBeCloseTo(0.5, 6)
    // Beyond the ends: clamped to the first and last frames.
    expect(Array.from(bodyAt(p, 7, emptyBody(1)).ends)).toEqual([3, 2, 2.5, 3, 2, 3.5])
  })
})

describe('on a traced quadruped episode', () => {
  let trace: QuadrupedTrace
  beforeAll(async () => {
    const env = (await prepareEnvironment({ id: 'quadruped', steps: 30 })) as QuadrupedEnvironment
    const genome = Float64Array.from({ length: env.layout.length }, (_, i) => Math.sin(i) * 0.5)
    trace = env.rollout(genome, 'left', 0)
  }, 60_000)

  it("chains each leg's three capsules from the torso centre (the capsule axis is the geom's local z)", () => {
    const p: QuadrupedPoses = trace
    expect(p.capsules).toHaveLength(12)
    const body = emptyBody(12)
    for (const f of [0, 20, p.frames - 1]) {
      bodyAt(p, f, body)
      const end = (k: number, which: 0 | 1) =>
        Array.from(body.ends.subarray(6 * k + 3 * which, 6 * k + 3 * which + 3))
      const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
      for (let leg = 0; leg < 4; leg++) {
        const [aux, thigh, foot] = [3 * leg, 3 * leg + 1, 3 * leg + 2]
        // Which end is the start depends on the geom frame's orientation: take the nearer one.
        const start = (k: number, to: number[]) => Math.min(dist(end(k, 0), to), dist(end(k, 1), to))
        const far = (k: number, from: number[]) =>
          dist(end(k, 0), from) < dist(end(k, 1), from) ? end(k, 1) : end(k, 0)
        const torso = Array.from(body.torso)
        expect(start(aux, torso)).toBeLessThan(1e-5)
        const knee = far(aux, torso)
        expect(start(thigh, knee)).toBeLessThan(1e-3)
        expect(start(foot, far(thigh, knee))).toBeLessThan(1e-3)
      }
    }
  })

  it('walks the distance the environment reports, from the end of the warm-up', () => {
    expect(distanceAt(trace, trace.warmup)).toBe(0)
    expect(distanceAt(trace, 3)).toBe(0)
    expect(distanceAt(trace, trace.frames - 1)).toBeCloseTo(trace.distance, 5)
    const progress = Array.from(trace.progress)
    expect(progressAt(trace, progress, trace.frames - 1)).toBeCloseTo(trace.fitness, 3)
    expect(progressAt(trace, progress, trace.warmup + 1)).toBeCloseTo(progress[0], 6)
    expect(progressAt(trace, progress, trace.warmup)).toBe(0)
  })
})

describe('the camera', () => {
  const cam = lookAt([2, 1, 0.3], DEFAULT_CAMERA, 800, 450)

  it('puts its target at the canvas centre, and right is right and up is up', () => {
    const c = project(cam, 2, 1, 0.3)
    expect(c.x).toBeCloseTo(400, 9)
    expect(c.y).toBeCloseTo(225, 9)
    expect(c.depth).toBeCloseTo(DEFAULT_CAMERA.distance, 9)
    expect(project(cam, 2, 1, 1).y).toBeLessThan(225)
    // The ant walks toward +x: from the default view that is left to right on the screen.
    expect(project(cam, 3, 1, 0.3).x).toBeGreaterThan(400)
    // Perspective: the same step looks smaller farther away.
    const near = project(cam, 3, 1, 0.3).x - project(cam, 2, 1, 0.3).x
    const far = project(cam, 3, 4, 0.3).x - project(cam, 2, 4, 0.3).x
    expect(far).toBeLessThan(near)
  })

  it('clips segments at the near plane, and drops those wholly behind it', () => {
    const eye = cam.eye
    const behind: [number, number, number] = [
      eye[0] - cam.forward[0],
      eye[1] - cam.forward[1],
      eye[2] - cam.forward[2]
    ]
    const s = projectSegment(cam, behind, [2, 1, 0.3])
    expect(s).not.toBeNull()
    expect(s![0].depth).toBeCloseTo(NEAR, 9)
    expect(s![1].depth).toBeCloseTo(DEFAULT_CAMERA.distance, 9)
    expect(projectSegment(cam, behind, eye)).toBeNull()
  })

  it('turns with a drag: sideways around the target, up and down within 5°–85°', () => {
    const o = orbit(DEFAULT_CAMERA, 100, 0)
    expect(o.elevation).toBe(DEFAULT_CAMERA.elevation)
    expect(o.azimuth).toBeLessThan(DEFAULT_CAMERA.azimuth)
    // The target stays at the centre, the eye at the same distance.
    const c = lookAt([2, 1, 0.3], o, 800, 450)
    expect(project(c, 2, 1, 0.3).x).toBeCloseTo(400, 9)
    expect(Math.hypot(c.eye[0] - 2, c.eye[1] - 1, c.eye[2] - 0.3)).toBeCloseTo(DEFAULT_CAMERA.distance, 9)
    expect(orbit(DEFAULT_CAMERA, 0, 1e4).elevation).toBeCloseTo((85 * Math.PI) / 180, 12)
    expect(orbit(DEFAULT_CAMERA, 0, -1e4).elevation).toBeCloseTo((5 * Math.PI) / 180, 12)
  })

  it('orders capsules far to near', () => {
    const body = emptyBody(3)
    // Three short capsules on the line from the eye through the target, at increasing distance.
    ;[1, 3, 2].forEach((d, k) => {
      const at = [0, 1, 2].map((i) => cam.eye[i] + d * cam.forward[i])
      body.ends.set([...at, ...at], 6 * k)
    })
    expect(depthOrder(cam, body)).toEqual([1, 2, 0])
  })
})
