/**
 * The quadruped simulator: AntBulletEnv-v0's step, observation and rewards (spec
 * /work/shared/docs/hebbian-environments.md §4, after pybullet's robot_locomotors.py and
 * gym_locomotion_envs.py) on the MuJoCo body of ./mjcf.ts.
 *
 * The MuJoCo module is injected (core does no I/O; src/engine/mujoco.ts loads the WASM). One MjModel and
 * MjData per morphology are built on first use and reused for every episode (mj_resetData); `dispose()`
 * frees them. Nothing is allocated per step: the typed-array views into WASM memory are cached and only
 * re-taken when the memory grew (a grown memory detaches the old views; another simulator in the same
 * process building its models is enough).
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco'
import type { Rng } from '../../util/rng'
import { ENV_DT, FRAME_SKIP, LEGS, names, quadrupedMjcf, TORSO_Z, type Morphology } from './mjcf'
import { eulerInto, quatMulInto } from './rotation'

export const OBS_SIZE = 28
export const ACTION_SIZE = 8
/** The walk target of pybullet's WalkerBase: (1000, 0). */
export const TARGET_X = 1000
export const TARGET_Y = 0
/** alive = +1 while the torso is above 0.26 (the Ant's alive_bonus), else −1 and done. */
export const ALIVE_Z = 0.26
const ELECTRICITY_COST = -2
const STALL_TORQUE_COST = -0.1
const JOINT_LIMIT_COST = -0.1
const OBS_CLIP = 5
/**
 * Pybullet's body_xyz (x, y) is the unweighted mean of the positions of every part its loader lists: the
 * torso, the 20 links of the legs (8 of them the massless links Bullet adds at the joints) and, through
 * the stadium scene, the floor at the origin [M]: bx = 21/22 of the robot's mean. It is replicated, with
 * MuJoCo's equivalents of the 21 robot points (torso centre, the 12 capsule centres, the 8 joint anchors),
 * so that progress keeps the authors' scale (≈ 57.9 per metre toward +x = (21/22)/dt) and fitness values
 * stay comparable with theirs. The floor's point is the origin, so it only enters through the 22.
 */
export const BODY_POINTS = 21
export const BODY_POINT_DIVISOR = 22
/** Trace pose layout: the torso, then the 12 capsules (per leg: fixed segment, leg, foot), pos + quat (w x y z). */
export const POSE_PARTS = 13
export const POSE_STRIDE = POSE_PARTS * 7

/** The reward terms of the last step ([B gym_locomotion_envs.py]'s rewards without the zero feet cost). */
export interface StepRewards {
  alive: number
  /** Φ − Φ_old with Φ = −dist((bx, by), target)/dt: the authors' fitness sums this term only. */
  progress: number
  electricity: number
  jointLimits: number
}

interface Views {
  qpos: Float64Array
  qvel: Float64Array
  ctrl: Float64Array
  sensordata: Float64Array
  xpos: Float64Array
  xquat: Float64Array
  geomXpos: Float64Array
  xanchor: Float64Array
}

/** One morphology's compiled model with its data and the indices the step needs. */
class Body {
  readonly model: MjModel
  readonly data: MjData
  views!: Views
  readonly torso: number
  /** The 12 capsule geoms in pose order, and the body each belongs to. */
  readonly capsules: Int32Array
  readonly capsuleBody: Int32Array
  /** Each capsule's orientation in its body (constant), w x y z. */
  readonly capsuleQuat: Float64Array
  /** The 8 hinge joints in the spec's order, and their qpos and dof addresses. */
  readonly joints: Int32Array
  readonly qposAdr: Int32Array
  readonly dofAdr: Int32Array
  /** Joint ranges in radians, in the spec's joint order. */
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** sensordata index of each foot's floor contact. */
  readonly contactAdr: Int32Array

  constructor(
    private readonly mj: MainModule,
    readonly morphology: Morphology
  ) {
    this.model = mj.MjModel.from_xml_string(quadrupedMjcf(morphology))
    try {
      this.data = new mj.MjData(this.model)
    } catch (e) {
      this.model.delete()
      throw e
    }
    const m = this.model
    const id = (type: number, name: string): number => {
      const i = mj.mj_name2id(m, type, name)
      if (i < 0) throw new Error(`quadruped model: no ${name}`)
      return i
    }
    const OBJ = mj.mjtObj
    this.torso = id(OBJ.mjOBJ_BODY.value, names.torso)
    const geomNames = LEGS.flatMap((l) => [names.auxGeom(l), names.thighGeom(l), names.footGeom(l)])
    this.capsules = Int32Array.from(geomNames, (n) => id(OBJ.mjOBJ_GEOM.value, n))
    const geomBody = m.geom_bodyid as Int32Array
    const geomQuat = m.geom_quat as Float64Array
    this.capsuleBody = this.capsules.map((g) => geomBody[g])
    this.capsuleQuat = new Float64Array(this.capsules.length * 4)
    this.capsules.forEach((g, k) => this.capsuleQuat.set(geomQuat.subarray(4 * g, 4 * g + 4), 4 * k))
    const joints = (this.joints = Int32Array.from(
      LEGS.flatMap((_, k) => [names.hipJoint(k), names.ankleJoint(k)]),
      (n) => id(OBJ.mjOBJ_JOINT.value, n)
    ))
    const qposAdr = m.jnt_qposadr as Int32Array
    const dofAdr = m.jnt_dofadr as Int32Array
    const range = m.jnt_range as Float64Array
    this.qposAdr = Int32Array.from(joints, (j) => qposAdr[j])
    this.dofAdr = Int32Array.from(joints, (j) => dofAdr[j])
    this.lo = Float64Array.from(joints, (j) => range[2 * j])
    this.hi = Float64Array.from(joints, (j) => range[2 * j + 1])
    const sensorAdr = m.sensor_adr as Int32Array
    this.contactAdr = Int32Array.from(
      LEGS,
      (l) => sensorAdr[id(OBJ.mjOBJ_SENSOR.value, names.footContact(l))]
    )
    this.refresh()
  }

  /** Re-takes the views into WASM memory if it grew since (the old ones are then detached, length 0). */
  refresh(): void {
    if (this.views && this.views.qpos.length > 0) return
    const d = this.data
    this.views = {
      qpos: d.qpos as Float64Array,
      qvel: d.qvel as Float64Array,
      ctrl: d.ctrl as Float64Array,
      sensordata: d.sensordata as Float64Array,
      xpos: d.xpos as Float64Array,
      xquat: d.xquat as Float64Array,
      geomXpos: d.geom_xpos as Float64Array,
      xanchor: d.xanchor as Float64Array
    }
  }

  dispose(): void {
    this.data.delete()
    this.model.delete()
  }
}

/**
 * Frees the models of a simulator that was dropped without dispose() (e.g. evicted from the engine's
 * environment cache while a run might still have held it). The held value is the simulator's list of
 * bodies, never the simulator itself.
 */
const finalizer = new FinalizationRegistry<Body[]>((bodies) => {
  for (const b of bodies) b.dispose()
})

const clip = (x: number, lim: number): number => (x > lim ? lim : x < -lim ? -lim : x)

export class QuadrupedSim {
  /** The observation after the last reset or step (28 values, clipped to ±5); reused. */
  readonly obs = new Float64Array(OBS_SIZE)
  readonly rewards: StepRewards = { alive: 0, progress: 0, electricity: 0, jointLimits: 0 }
  /** Alive < 0 or a non-finite observation after the last step. */
  done = false
  /** Foot–floor contacts measured after the last step; the next observation reports them [B]. */
  readonly feet = new Float64Array(LEGS.length)
  /** Unclipped joint positions 2(q − mid)/(hi − lo) and speeds 0.1·q̇ of the last observation. */
  readonly jointPos = new Float64Array(ACTION_SIZE)
  readonly jointSpeed = new Float64Array(ACTION_SIZE)
  /** Φ of the last observation. */
  potential = 0
  /** (bx, by) of the last observation (the quirky mean, see BODY_POINT_DIVISOR). */
  bx = 0
  by = 0
  private readonly bodies = new Map<Morphology, Body>()
  /** The same bodies, as the finalizer holds them. */
  private readonly owned: Body[] = []
  private cur: Body | null = null
  private disposed = false

  constructor(private readonly mj: MainModule) {
    finalizer.register(this, this.owned, this)
  }

  get morphology(): Morphology {
    return this.body().morphology
  }

  /** The torso's world position. */
  get torsoX(): number {
    return this.view().qpos[0]
  }
  get torsoY(): number {
    return this.view().qpos[1]
  }

  /** Builds a morphology's model now (it is otherwise built on its first reset). */
  prepare(morphology: Morphology): void {
    if (this.disposed) throw new Error('quadruped simulator: used after dispose()')
    if (!this.bodies.has(morphology)) {
      const b = new Body(this.mj, morphology)
      this.bodies.set(morphology, b)
      this.owned.push(b)
    }
    // Building a model may have grown the memory: every body re-takes its views on its next use.
  }

  /** The compiled model of a morphology (tests compare them). */
  model(morphology: Morphology): MjModel {
    this.prepare(morphology)
    return this.bodies.get(morphology)!.model
  }

  /**
   * A new episode: every joint at U(−0.1, 0.1) rad in the spec's joint order, all speeds 0, the torso at
   * (0, 0, 0.75) upright, no foot contacts; then the first observation and potential.
   */
  reset(rng: Rng, morphology: Morphology): void {
    this.prepare(morphology)
    const b = this.bodies.get(morphology)!
    this.cur = b
    this.mj.mj_resetData(b.model, b.data)
    const v = this.view()
    for (let k = 0; k < ACTION_SIZE; k++) v.qpos[b.qposAdr[k]] = rng.uniform(-0.1, 0.1)
    this.feet.fill(0)
    this.done = false
    this.rewards.alive = this.rewards.progress = this.rewards.electricity = this.rewards.jointLimits = 0
    this.mj.mj_kinematics(b.model, b.data)
    this.observe()
    this.potential = this.currentPotential()
  }

  /**
   * One environment step (0.0165 s = 4 MuJoCo steps) with torque 250·clip(a, ±1), then the observation
   * and the reward terms, in the order of pybullet's WalkerBaseBulletEnv.step.
   */
  step(action: ArrayLike<number>): void {
    const b = this.body()
    const v = this.view()
    for (let k = 0; k < ACTION_SIZE; k++) v.ctrl[k] = clip(action[k], 1)
    for (let s = 0; s < FRAME_SKIP; s++) this.mj.mj_step(b.model, b.data)
    // mj_step leaves positions integrated past its kinematics: recompute them for the final state.
    this.mj.mj_kinematics(b.model, b.data)
    this.observe()
    const z = this.obs[0] + TORSO_Z
    const alive = z > ALIVE_Z ? 1 : -1
    let finite = true
    for (let k = 0; k < OBS_SIZE; k++) if (!Number.isFinite(this.obs[k])) finite = false
    this.done = alive < 0 || !finite
    const old = this.potential
    this.potential = this.currentPotential()
    // The contacts of this step show in the next observation.
    for (let k = 0; k < LEGS.length; k++) this.feet[k] = v.sensordata[b.contactAdr[k]] > 0 ? 1 : 0
    let power = 0
    let stall = 0
    let atLimit = 0
    for (let k = 0; k < ACTION_SIZE; k++) {
      power += Math.abs(action[k] * this.jointSpeed[k])
      stall += action[k] * action[k]
      if (Math.abs(this.jointPos[k]) > 0.99) atLimit++
    }
    this.rewards.alive = alive
    this.rewards.progress = this.potential - old
    this.rewards.electricity = (ELECTRICITY_COST * power + STALL_TORQUE_COST * stall) / ACTION_SIZE
    this.rewards.jointLimits = JOINT_LIMIT_COST * atLimit
  }

  /**
   * Writes the observation of the current state into `obs` (the kinematics must be current): [0] z − 0.75;
   * [1, 2] sin, cos of the angle to the target minus yaw; [3–5] 0.3 × the torso velocity rotated by −yaw;
   * [6, 7] roll, pitch; [8–23] per joint 2(q − mid)/(hi − lo), 0.1·q̇; [24–27] `feet`. Clipped to ±5.
   */
  observe(): Float64Array {
    const b = this.body()
    const v = this.view()
    const { qpos, qvel } = v
    const e = eulerInto(qpos, 3)
    const yaw = e[2]
    let sx = v.xpos[3 * b.torso]
    let sy = v.xpos[3 * b.torso + 1]
    for (let k = 0; k < b.capsules.length; k++) {
      sx += v.geomXpos[3 * b.capsules[k]]
      sy += v.geomXpos[3 * b.capsules[k] + 1]
    }
    for (let k = 0; k < ACTION_SIZE; k++) {
      sx += v.xanchor[3 * b.joints[k]]
      sy += v.xanchor[3 * b.joints[k] + 1]
    }
    this.bx = sx / BODY_POINT_DIVISOR
    this.by = sy / BODY_POINT_DIVISOR
    const o = this.obs
    o[0] = qpos[2] - TORSO_Z
    const angle = Math.atan2(TARGET_Y - this.by, TARGET_X - this.bx) - yaw
    o[1] = Math.sin(angle)
    o[2] = Math.cos(angle)
    const c = Math.cos(yaw)
    const s = Math.sin(yaw)
    o[3] = 0.3 * (c * qvel[0] + s * qvel[1])
    o[4] = 0.3 * (-s * qvel[0] + c * qvel[1])
    o[5] = 0.3 * qvel[2]
    o[6] = e[0]
    o[7] = e[1]
    for (let k = 0; k < ACTION_SIZE; k++) {
      const q = qpos[b.qposAdr[k]]
      this.jointPos[k] = (2 * (q - 0.5 * (b.lo[k] + b.hi[k]))) / (b.hi[k] - b.lo[k])
      this.jointSpeed[k] = 0.1 * qvel[b.dofAdr[k]]
      o[8 + 2 * k] = this.jointPos[k]
      o[9 + 2 * k] = this.jointSpeed[k]
    }
    for (let k = 0; k < LEGS.length; k++) o[24 + k] = this.feet[k]
    for (let k = 0; k < OBS_SIZE; k++) o[k] = clip(o[k], OBS_CLIP)
    return o
  }

  /**
   * Sets the state (qpos: 7 free-joint values then the 8 joints; qvel: 6 then 8) and the previous-step
   * foot contacts, recomputes the kinematics and returns the observation (tests, analyses).
   */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>, feet?: ArrayLike<number>): Float64Array {
    const b = this.body()
    const v = this.view()
    v.qpos.set(qpos)
    v.qvel.set(qvel)
    if (feet) this.feet.set(feet)
    this.mj.mj_kinematics(b.model, b.data)
    return this.observe()
  }

  /** Writes the torso's and the 12 capsules' world poses (x y z, w x y z) at `out[offset…+91)`. */
  writePose(out: Float32Array, offset: number): void {
    const b = this.body()
    const v = this.view()
    let o = offset
    for (let i = 0; i < 3; i++) out[o++] = v.xpos[3 * b.torso + i]
    for (let i = 0; i < 4; i++) out[o++] = v.xquat[4 * b.torso + i]
    for (let k = 0; k < b.capsules.length; k++) {
      const g = b.capsules[k]
      for (let i = 0; i < 3; i++) out[o++] = v.geomXpos[3 * g + i]
      quatMulInto(out, o, v.xquat, 4 * b.capsuleBody[k], b.capsuleQuat, 4 * k)
      o += 4
    }
  }

  /** The 12 capsules of a morphology for drawing: name, radius and half-length (pose order). */
  capsuleShapes(morphology: Morphology): { name: string; radius: number; halfLength: number }[] {
    this.prepare(morphology)
    const b = this.bodies.get(morphology)!
    const size = b.model.geom_size as Float64Array
    const geomNames = LEGS.flatMap((l) => [names.auxGeom(l), names.thighGeom(l), names.footGeom(l)])
    return Array.from(b.capsules, (g, k) => ({
      name: geomNames[k],
      radius: size[3 * g],
      halfLength: size[3 * g + 1]
    }))
  }

  /** Frees every model and data; the simulator cannot be used afterwards. Idempotent. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    finalizer.unregister(this)
    for (const b of this.owned) b.dispose()
    this.owned.length = 0
    this.bodies.clear()
    this.cur = null
  }

  private body(): Body {
    if (!this.cur)
      throw new Error(
        this.disposed ? 'quadruped simulator: used after dispose()' : 'quadruped simulator: reset() first'
      )
    return this.cur
  }

  private view(): Views {
    const b = this.body()
    b.refresh()
    return b.views
  }

  private currentPotential(): number {
    return -Math.hypot(TARGET_Y - this.by, TARGET_X - this.bx) / ENV_DT
  }
}
