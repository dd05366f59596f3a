/**
 * The quadruped's body as an MJCF string for MuJoCo, written for this lab from the description of the
 * authors' AntBulletEnv-v0 in /work/shared/docs/hebbian-environments.md §4 (pybullet 2.6.6's ant.xml as
 * Bullet imports it, and the authors' two damaged variants).
 *
 * This is a MuJoCo re-creation, not Bullet: the geometry, masses, joint axes and ranges, torques, friction
 * and time step follow the spec, but the contact model (soft constraints, no restitution), the solver and
 * the exact inertia tensors are MuJoCo's. Walking gaits and fitness values therefore differ from the
 * paper's Bullet runs; docs/environments.md lists the departures.
 */

/** The three bodies of the paper: intact, right front leg damaged (seen), left front leg damaged (unseen). */
export type Morphology = 'intact' | 'right' | 'left'
export const MORPHOLOGIES: readonly Morphology[] = ['intact', 'right', 'left']

/** One leg: its name, the direction of its segments from the torso centre, its ankle axis and range. */
export interface LegSpec {
  name: 'front_left' | 'front_right' | 'left_back' | 'right_back'
  /** Unit-free direction (±1, ±1): the fixed segment and the hip segment reach 0.2·dir, the foot 0.4·dir. */
  dir: readonly [number, number]
  ankleAxis: readonly [number, number, number]
  /** Degrees. */
  ankleRange: readonly [number, number]
}

/** Leg order = the spec's joint order hip_1, ankle_1, …, hip_4, ankle_4 and the foot-contact order. */
export const LEGS: readonly LegSpec[] = [
  { name: 'front_left', dir: [1, 1], ankleAxis: [-1, 1, 0], ankleRange: [30, 100] },
  { name: 'front_right', dir: [-1, 1], ankleAxis: [1, 1, 0], ankleRange: [-100, -30] },
  { name: 'left_back', dir: [-1, -1], ankleAxis: [-1, 1, 0], ankleRange: [-100, -30] },
  { name: 'right_back', dir: [1, -1], ankleAxis: [1, 1, 0], ankleRange: [30, 100] }
]

/** Every hip turns about z within ±40° (the Bullet ant; gym's MuJoCo ant has ±30°). */
export const HIP_RANGE_DEG = 40
export const TORSO_RADIUS = 0.25
export const TORSO_Z = 0.75
export const LIMB_RADIUS = 0.08
/** The fixed segment and the hip segment end 0.2 (per axis) from their start; an intact foot 0.4. */
export const SEGMENT_REACH = 0.2
export const FOOT_REACH = 0.4
/** The damaged foot's reach: (0.4, ±0.4) → (0.1, ±0.1), length 0.566 → 0.141 [H damaged_bullet_morphologies]. */
export const DAMAGED_FOOT_REACH = 0.1
/** Bullet's importer ignores ant.xml's density 5 and uses mass = 1000 · volume [Bi]; MuJoCo's density does the same. */
export const DENSITY = 1000
/** Capsule friction 1.5, floor 0.8 [Bx, B scene_stadium.py]; Bullet multiplies them per contact. */
export const LIMB_FRICTION = 1.5
export const FLOOR_FRICTION = 0.8
export const GRAVITY = 9.8
/** One environment step: 0.0165 s in 4 substeps [B scene_abstract.py]. */
export const FRAME_SKIP = 4
export const ENV_DT = 0.0165
/** Torque = 250 · clip(a, ±1) N·m: power 2.5 × power_coef 100 [B robot_locomotors.py]. */
export const MOTOR_GEAR = 250

/** Contact time constant (s); MuJoCo's default is 0.02. */
export const CONTACT_TIMECONST = 0.01
/**
 * Joint limits as Bullet's multibody enforces them for a large violation: a velocity-level ratchet that
 * stops motion further out of range but never pulls the joint back in (btMultiBodyJointLimitConstraint
 * with split impulse applies no position correction). This matters at the reset: the ankles start at
 * U(±0.1) rad, far outside their 30°–100° range; Bullet leaves them there, so the ant falls flat on its
 * torso by warm-up step ~19 (z 0.25) [M], while MuJoCo's default spring-like limit flings the feet to the
 * far end of their range and stands the ant up. Direct MuJoCo solref (−stiffness, −damping) = (0, −300):
 * no stiffness, damping 300 (larger is unstable at this time step), impedance up to 0.9999 so that a
 * full torque leaks through the limit by well under a degree per episode; an impact overshoots by a few
 * degrees (measured: ≤ 2.5° at a constant full torque, ≤ 5.4° under bang-bang torques).
 */
export const LIMIT_DAMPING = 300

/** The leg whose foot a morphology shortens (null: intact). */
export function damagedLeg(m: Morphology): LegSpec['name'] | null {
  // [H]: ant_asym_right changes right_back_foot (+x, −y), ant_asym_left front_left_foot (+x, +y); the ant
  // walks toward +x, so these are the front-right (seen) and front-left (unseen) legs of the paper.
  return m === 'right' ? 'right_back' : m === 'left' ? 'front_left' : null
}

/** The names MuJoCo knows the parts by (the sim looks them up with mj_name2id). */
export const names = {
  floor: 'floor',
  torso: 'torso',
  hipJoint: (k: number) => `hip_${k + 1}`,
  ankleJoint: (k: number) => `ankle_${k + 1}`,
  /** The fixed segment, a geom of the torso body. */
  auxGeom: (leg: LegSpec) => `${leg.name}_aux`,
  thighBody: (leg: LegSpec) => `${leg.name}_leg`,
  thighGeom: (leg: LegSpec) => `${leg.name}_leg_geom`,
  footBody: (leg: LegSpec) => `${leg.name}_foot`,
  footGeom: (leg: LegSpec) => `${leg.name}_foot_geom`,
  footContact: (leg: LegSpec) => `${leg.name}_foot_floor`
} as const

const f = (x: number): string => String(Number(x.toFixed(6)))
const v = (...xs: number[]): string => xs.map(f).join(' ')

/** A capsule from the body origin to (dx, dy, 0). */
function capsule(name: string, dx: number, dy: number): string {
  return `<geom name="${name}" type="capsule" size="${f(LIMB_RADIUS)}" fromto="${v(0, 0, 0, dx, dy, 0)}"/>`
}

function leg(l: LegSpec, k: number, footReach: number): string {
  const [sx, sy] = l.dir
  const seg = SEGMENT_REACH
  return [
    `      ${capsule(names.auxGeom(l), sx * seg, sy * seg)}`,
    `      <body name="${names.thighBody(l)}" pos="${v(sx * seg, sy * seg, 0)}">`,
    `        <joint name="${names.hipJoint(k)}" type="hinge" axis="0 0 1" range="${v(-HIP_RANGE_DEG, HIP_RANGE_DEG)}"/>`,
    `        ${capsule(names.thighGeom(l), sx * seg, sy * seg)}`,
    `        <body name="${names.footBody(l)}" pos="${v(sx * seg, sy * seg, 0)}">`,
    `          <joint name="${names.ankleJoint(k)}" type="hinge" axis="${v(...l.ankleAxis)}" range="${v(...l.ankleRange)}"/>`,
    `          ${capsule(names.footGeom(l), sx * footReach, sy * footReach)}`,
    `        </body>`,
    `      </body>`
  ].join('\n')
}

/** The MJCF of one morphology; deterministic text (tests compare the compiled models). */
export function quadrupedMjcf(morphology: Morphology): string {
  const damaged = damagedLeg(morphology)
  const legs = LEGS.map((l, k) => leg(l, k, l.name === damaged ? DAMAGED_FOOT_REACH : FOOT_REACH))
  return `<mujoco model="quadruped-${morphology}">
  <compiler angle="degree" autolimits="true"/>
  <!-- Semi-implicit Euler like Bullet's. With no joint damping and no velocity-dependent actuators,
       implicitfast would integrate the same equations (its extra terms vanish), 1.6× slower (measured). -->
  <option timestep="${f(ENV_DT / FRAME_SKIP)}" gravity="0 0 ${f(-GRAVITY)}" integrator="Euler"/>
  <default>
    <!-- Only sliding friction (condim 3); contacts stiffer than MuJoCo's default (time constant 0.01 s,
         the least that is stable at this time step) to come nearer Bullet's rigid contacts (ERP 0.9). -->
    <geom density="${DENSITY}" friction="${f(LIMB_FRICTION)} 0.005 0.0001" condim="3" solref="${f(CONTACT_TIMECONST)} 1"/>
    <!-- No joint damping or armature: Bullet's importer ignores ant.xml's. Limits: see LIMIT_DAMPING. -->
    <joint limited="true" damping="0" armature="0" solreflimit="-0 ${f(-LIMIT_DAMPING)}" solimplimit="0.99 0.9999 0.001"/>
    <motor ctrlrange="-1 1" gear="${MOTOR_GEAR}"/>
  </default>
  <worldbody>
    <!-- MuJoCo takes the larger friction of two geoms; the floor's priority makes a limb-floor contact use
         Bullet's product 1.5 × 0.8 = 1.2 instead. -->
    <geom name="${names.floor}" type="plane" size="0 0 1" priority="1" friction="${f(LIMB_FRICTION * FLOOR_FRICTION)} 0.005 0.0001"/>
    <body name="${names.torso}" pos="${v(0, 0, TORSO_Z)}">
      <freejoint name="root"/>
      <geom name="torso_geom" type="sphere" size="${f(TORSO_RADIUS)}"/>
${legs.join('\n')}
    </body>
  </worldbody>
  <contact>
    <!-- Bullet loads the ant with self-collision but excludes every ancestor (URDF_USE_SELF_COLLISION_EXCLUDE_ALL_PARENTS);
         MuJoCo already skips parent and child, so only foot-torso needs excluding. -->
${LEGS.map((l) => `    <exclude body1="${names.torso}" body2="${names.footBody(l)}"/>`).join('\n')}
  </contact>
  <actuator>
${LEGS.flatMap((l, k) => [names.hipJoint(k), names.ankleJoint(k)])
  .map((j) => `    <motor name="${j}" joint="${j}"/>`)
  .join('\n')}
  </actuator>
  <sensor>
${LEGS.map((l) => `    <contact name="${names.footContact(l)}" geom1="${names.footGeom(l)}" geom2="${names.floor}" num="1" data="found"/>`).join('\n')}
  </sensor>
</mujoco>
`
}
