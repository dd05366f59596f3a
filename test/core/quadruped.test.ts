import type { MainModule, MjModel } from '@mujoco/mujoco'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEnvironment } from '../../src/core/env/registry'
import { QuadrupedEnvironment, WARMUP_STEPS } from '../../src/core/env/quadruped/env'
import { LEGS, MORPHOLOGIES, type Morphology } from '../../src/core/env/quadruped/mjcf'
import { OBS_SIZE, POSE_STRIDE, QuadrupedSim } from '../../src/core/env/quadruped/sim'
import { Rng } from '../../src/core/util/rng'
import { InProcessEvaluator } from '../../src/core/training/evaluator'
import { prepareEnvironment, shippedResources } from '../../src/engine/environments'
import { loadMujoco, mujocoHeapBytes } from '../../src/engine/mujoco'
import { WorkerPool } from '../../src/engine/pool/pool'
import { PoolEvaluator } from '../../src/engine/pool/pool-evaluator'

let mj: MainModule
beforeAll(async () => {
  mj = await loadMujoco()
})

const deg = (d: number) => (d * Math.PI) / 180
const randomGenome = (n: number, seed: number, scale = 1) => {
  const rng = new Rng(seed)
  return Float64Array.from({ length: n }, () => scale * rng.normal())
}
/** Unit quaternion (w x y z) of a rotation by `angle` about a unit axis. */
const axisQuat = (ax: number[], angle: number) => [
  Math.cos(angle / 2),
  ...ax.map((a) => a * Math.sin(angle / 2))
]
const quatMul = (a: number[], b: number[]) => [
  a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
  a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
  a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
  a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]
]

describe('quadruped environment', () => {
  const spec = { id: 'quadruped', steps: 250 }

  it('fills the spec defaults and builds without the MuJoCo module until it evaluates', () => {
    const env = createEnvironment(
      { id: 'quadruped' },
      {
        ...shippedResources,
        mujoco: () => {
          throw new Error('no MuJoCo here')
        }
      }
    ) as QuadrupedEnvironment
    expect(env.spec).toEqual({
      id: 'quadruped',
      morphologies: ['intact', 'right'],
      controller: { kind: 'hebbian', rule: 'ABCD_lr', init: 'uniform' },
      steps: 1000,
      episodeSeed: 0
    })
    expect(env.layout.length).toBe(12_288 * 5)
    expect(env.prior.every((x) => x === 0)).toBe(true)
    expect(() => env.evaluate(env.prior)).toThrow('no MuJoCo here')
    const stat = createEnvironment({ id: 'quadruped', controller: { kind: 'static' } }, shippedResources)
    expect(stat.layout.length).toBe(12_288)
    expect(stat.layout.hash).not.toBe(env.layout.hash)
    expect(() =>
      createEnvironment({ id: 'quadruped', morphologies: ['left', 'left'] }, shippedResources)
    ).toThrow('each morphology at most once')
  })

  it('is deterministic for the same seed, in one environment and across environments', async () => {
    const a = (await prepareEnvironment(spec)) as QuadrupedEnvironment
    const b = new QuadrupedEnvironment(spec, () => mj)
    const other = new QuadrupedEnvironment({ ...spec, episodeSeed: 7 }, () => mj)
    const g = randomGenome(a.layout.length, 1)
    const first = a.evaluate(g)
    expect(a.evaluate(g)).toEqual(first)
    expect(b.evaluate(g)).toEqual(first)
    expect(other.evaluate(g).fitness).not.toBe(first.fitness)
    expect(a.evaluate(randomGenome(a.layout.length, 2)).fitness).not.toBe(first.fitness)
    // The per-morphology metrics are the episodes' fitnesses, and the fitness their mean.
    const { fitnessIntact, fitnessRight } = first.metrics
    expect(first.fitness).toBeCloseTo((fitnessIntact + fitnessRight) / 2, 12)
    // A trace replays exactly the episode evaluate ran.
    const trace = b.rollout(g, 'intact')
    expect(trace.fitness).toBe(fitnessIntact)
    expect(trace.distance).toBe(first.metrics.distanceIntact)
    expect(trace.frames).toBe(1 + WARMUP_STEPS + trace.steps)
    expect(trace.poses.length).toBe(trace.frames * POSE_STRIDE)
    expect(Array.from(trace.poses.subarray(0, 7))).toEqual([0, 0, 0.75, 1, 0, 0, 0])
    expect(trace.progress.reduce((s, x) => s + x, 0)).toBeCloseTo(trace.fitness, 3)
    b.dispose()
    other.dispose()
  })

  it("runs the authors' episode: the first action sees the reset observation; no stop before t = 201", async () => {
    const env = (await prepareEnvironment(spec)) as QuadrupedEnvironment
    const g = randomGenome(env.layout.length, 3)
    const seen: number[][] = []
    const r = env.episode(g, 'intact', 0, {
      action: (t, _a, net) => {
        if (t < 2) seen.push(Array.from(net.activations[0]))
      }
    })
    // Reset: z − 0.75 = 0, upright, zero speeds, no contacts. After the warm-up the ant lies on the floor.
    expect(seen[0][0]).toBe(0)
    expect(seen[0].slice(24)).toEqual([0, 0, 0, 0])
    expect(seen[1][0]).toBeLessThan(-0.3)
    expect(r.steps).toBeGreaterThan(201)
    expect(r.steps).toBeLessThanOrEqual(250)
    // A frozen network (no update after t = 0) is a different lifetime.
    const frozen = env.episode(g, 'intact', 0, { plastic: () => false })
    expect(frozen.fitness).not.toBe(r.fitness)
  })
})

describe('quadruped in the worker pool', () => {
  it('evaluates in a worker (which loads the WASM itself) exactly as in process', async () => {
    const spec = { id: 'quadruped', steps: 30, morphologies: ['intact', 'left'] }
    const env = await prepareEnvironment(spec)
    const genomes = [randomGenome(env.layout.length, 5), randomGenome(env.layout.length, 6)]
    const pool = new WorkerPool({ size: 1 })
    try {
      await pool.ready()
      const { results } = await new PoolEvaluator(pool, env, 'quadruped-test').evaluate(genomes)
      expect(results).toEqual((await new InProcessEvaluator(env).evaluate(genomes)).results)
      expect(Object.keys(results[0].metrics).sort()).toEqual(
        ['distance', 'distanceIntact', 'distanceLeft', 'fitnessIntact', 'fitnessLeft', 'steps'].sort()
      )
    } finally {
      await pool.close()
    }
  })
})

describe('quadruped morphologies', () => {
  it('differ only in the damaged foot: its length and mass (and what follows from them)', () => {
    const sim = new QuadrupedSim(mj)
    const models = Object.fromEntries(MORPHOLOGIES.map((m) => [m, sim.model(m)])) as Record<
      Morphology,
      MjModel
    >
    const intact = models.intact
    const geomId = (name: string) => mj.mj_name2id(intact, mj.mjtObj.mjOBJ_GEOM.value, name)
    const bodyId = (name: string) => mj.mj_name2id(intact, mj.mjtObj.mjOBJ_BODY.value, name)
    const arr = (m: MjModel, key: string) => Array.from(m[key as keyof MjModel] as unknown as Float64Array)
    const mass = arr(intact, 'body_mass')
    const total = mass.reduce((s, x) => s + x, 0)
    expect(total).toBeCloseTo(182.2, 1) // the Bullet importer's 1000·volume [M]
    expect(mass[bodyId('torso')]).toBeCloseTo(65.45 + 4 * 7.83, 1) // the sphere and the 4 fixed segments
    for (const [morph, legName] of [
      ['right', 'right_back'],
      ['left', 'front_left']
    ] as const) {
      const m = models[morph]
      expect([m.nbody, m.ngeom, m.njnt, m.nu, m.nsensor]).toEqual([
        intact.nbody,
        intact.ngeom,
        intact.njnt,
        intact.nu,
        intact.nsensor
      ])
      const foot = geomId(`${legName}_foot_geom`)
      const footBody = bodyId(`${legName}_foot`)
      // Per-element arrays and the element that alone may differ (stride = values per element).
      const checks: [string, number, number][] = [
        ['geom_size', 3, foot],
        ['geom_pos', 3, foot],
        ['geom_quat', 4, -1],
        ['geom_friction', 3, -1],
        ['body_pos', 3, -1],
        ['body_quat', 4, -1],
        ['body_mass', 1, footBody],
        ['body_ipos', 3, footBody],
        ['body_inertia', 3, footBody],
        ['jnt_range', 2, -1],
        ['jnt_axis', 3, -1],
        ['actuator_gear', 6, -1]
      ]
      for (const [key, stride, allowed] of checks) {
        const a = arr(intact, key)
        const b = arr(m, key)
        expect(b.length, key).toBe(a.length)
        const differing = new Set<number>()
        a.forEach((x, i) => {
          if (Math.abs(x - b[i]) > 1e-12) differing.add(Math.floor(i / stride))
        })
        expect([...differing], `${morph} ${key}`).toEqual(allowed < 0 ? [] : [allowed])
      }
      // The foot capsule (0, 0) → (0.4, ±0.4) becomes (0, 0) → (0.1, ±0.1): half-length 0.283 → 0.0707.
      expect(arr(intact, 'geom_size')[3 * foot + 1]).toBeCloseTo((0.4 * Math.SQRT2) / 2, 6)
      expect(arr(m, 'geom_size')[3 * foot + 1]).toBeCloseTo((0.1 * Math.SQRT2) / 2, 6)
      expect(arr(intact, 'body_mass')[footBody]).toBeCloseTo(13.52, 2)
      expect(arr(m, 'body_mass')[footBody]).toBeCloseTo(4.99, 2)
    }
    sim.dispose()
  })
})

describe('quadruped observation', () => {
  /**
   * The observation written out from the spec (hebbian-environments.md §4) for a pose whose 21 body
   * points are symmetric about the torso centre, so that their mean is the torso position and
   * (bx, by) = 21/22 · (x, y) exactly: equal hip angles, and either the feet in the torso's plane (ankles
   * 0) or an upright torso with mirror-image ankles.
   */
  function check(pose: {
    pos: number[]
    rpy: number[]
    joints: number[]
    jointVel: number[]
    feet: number[]
  }) {
    const sim = new QuadrupedSim(mj)
    sim.reset(new Rng(1), 'intact')
    const [roll, pitch, yaw] = pose.rpy
    const quat = quatMul(
      quatMul(axisQuat([0, 0, 1], yaw), axisQuat([0, 1, 0], pitch)),
      axisQuat([1, 0, 0], roll)
    )
    const [x, y, z] = pose.pos
    const v = [0.5, -0.4, 0.2]
    const obs = sim.setState(
      [x, y, z, ...quat, ...pose.joints],
      [...v, 0.3, -0.1, 0.2, ...pose.jointVel],
      pose.feet
    )
    expect(obs.length).toBe(OBS_SIZE)
    const bx = (21 / 22) * x
    const by = (21 / 22) * y
    expect(sim.bx).toBeCloseTo(bx, 12)
    expect(sim.by).toBeCloseTo(by, 12)
    const angle = Math.atan2(0 - by, 1000 - bx) - yaw
    const expected = [
      z - 0.75,
      Math.sin(angle),
      Math.cos(angle),
      0.3 * (Math.cos(yaw) * v[0] + Math.sin(yaw) * v[1]),
      0.3 * (-Math.sin(yaw) * v[0] + Math.cos(yaw) * v[1]),
      0.3 * v[2],
      roll,
      pitch
    ]
    const clip5 = (u: number) => Math.max(-5, Math.min(5, u))
    LEGS.forEach((leg, k) => {
      const hipRel = (2 * pose.joints[2 * k]) / deg(80) // range ±40°: mid 0
      const [lo, hi] = leg.ankleRange.map(deg)
      const ankleRel = (2 * (pose.joints[2 * k + 1] - (lo + hi) / 2)) / (hi - lo)
      expected.push(hipRel, 0.1 * pose.jointVel[2 * k], ankleRel, 0.1 * pose.jointVel[2 * k + 1])
    })
    expected.push(...pose.feet)
    expected.forEach((e, k) => expect(obs[k], `obs[${k}]`).toBeCloseTo(clip5(e), 10))
    sim.dispose()
    return obs
  }

  it('has the spec’s 28 components at a tilted, turned pose', () => {
    const obs = check({
      pos: [1, 2, 0.9],
      rpy: [0.2, 0.1, 0.3],
      joints: [0.25, 0, 0.25, 0, 0.25, 0, 0.25, 0],
      jointVel: [1, -2, 3, -4, 5, -6, 7, 80],
      feet: [1, 0, 1, 0]
    })
    expect(obs[23]).toBe(5) // 0.1 · 80 = 8, clipped to ±5
    expect(obs[10]).toBeCloseTo(-1.857, 3) // an ankle at 0, outside its 30°–100° range
  })

  it('has the spec’s 28 components at an upright pose with the feet down', () => {
    const a = deg(60)
    check({
      pos: [-3, 0.5, 0.6],
      rpy: [0, 0, -2.5],
      joints: [-0.5, a, -0.5, -a, -0.5, -a, -0.5, a],
      jointVel: [0, 1, 0, -1, 2, 0, -3, 0],
      feet: [0, 1, 1, 1]
    })
  })

  it('reports this step’s foot contacts in the next observation, and the progress as ΔΦ', () => {
    const sim = new QuadrupedSim(mj)
    sim.reset(new Rng(2), 'intact')
    const zero = new Float64Array(8)
    let sawContact = false
    for (let t = 0; t < 40; t++) {
      const before = sim.potential
      sim.step(zero)
      const feet = Array.from(sim.feet)
      expect(sim.rewards.progress).toBeCloseTo(sim.potential - before, 9)
      expect(sim.potential).toBeCloseTo(-Math.hypot(1000 - sim.bx, sim.by) / 0.0165, 6)
      sim.step(zero)
      expect(Array.from(sim.obs.subarray(24))).toEqual(feet)
      if (feet.some((f) => f === 1)) sawContact = true
    }
    expect(sawContact).toBe(true)
    sim.dispose()
  })
})

describe('quadruped memory', () => {
  it('keeps the WASM heap flat over 2,000 episodes, with environments created and disposed', () => {
    const spec = { id: 'quadruped', controller: { kind: 'static' }, steps: 2, morphologies: MORPHOLOGIES }
    const g = randomGenome(12_288, 4, 0.1)
    const rss0 = process.memoryUsage().rss
    // Warm-up: building and freeing models grows the heap in a few steps until the allocator has the
    // blocks it reuses (measured: 3 jumps within the first ~55 cycles of 3 models, then flat for 750
    // more); only then must it stay the same size.
    for (let i = 0; i < 100; i++) {
      const warm = new QuadrupedEnvironment(spec, () => mj)
      warm.episode(g, 'intact')
      warm.dispose()
    }
    const heap0 = mujocoHeapBytes()
    let env = new QuadrupedEnvironment(spec, () => mj)
    let episodes = 0
    for (let round = 0; round < 40; round++) {
      for (let e = 0; e < 50; e++) {
        env.episode(g, MORPHOLOGIES[e % 3], e)
        episodes++
      }
      env.dispose()
      env = new QuadrupedEnvironment(spec, () => mj)
    }
    env.dispose()
    const heap1 = mujocoHeapBytes()
    const rss1 = process.memoryUsage().rss
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`
    console.log(
      `quadruped memory over ${episodes} episodes and 41 environments: WASM heap ${mb(heap0)} → ${mb(heap1)}, RSS ${mb(rss0)} → ${mb(rss1)}`
    )
    expect(episodes).toBe(2000)
    expect(heap1).toBe(heap0)
    expect(() => env.evaluate(g)).toThrow('used after dispose')
  })
})
