/** Quaternion helpers of the quadruped simulator (w x y z order, as MuJoCo stores them); no allocation. */

const clip1 = (x: number): number => (x > 1 ? 1 : x < -1 ? -1 : x)

const euler: [number, number, number] = [0, 0, 0]

/**
 * Roll, pitch, yaw (R = Rz(yaw)·Ry(pitch)·Rx(roll), Bullet's getEulerFromQuaternion) of the quaternion
 * w x y z at q[i…i+4). Returns a shared tuple (no allocation); copy it before the next call.
 */
export function eulerInto(q: ArrayLike<number>, i: number): [number, number, number] {
  const w = q[i]
  const x = q[i + 1]
  const y = q[i + 2]
  const z = q[i + 3]
  euler[0] = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y))
  euler[1] = Math.asin(clip1(2 * (w * y - z * x)))
  euler[2] = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
  return euler
}

/** out[o…o+4) = a[i…] ⊗ b[j…] (Hamilton product, w x y z). */
export function quatMulInto(
  out: Float32Array,
  o: number,
  a: ArrayLike<number>,
  i: number,
  b: ArrayLike<number>,
  j: number
): void {
  const aw = a[i]
  const ax = a[i + 1]
  const ay = a[i + 2]
  const az = a[i + 3]
  const bw = b[j]
  const bx = b[j + 1]
  const by = b[j + 2]
  const bz = b[j + 3]
  out[o] = aw * bw - ax * bx - ay * by - az * bz
  out[o + 1] = aw * bx + ax * bw + ay * bz - az * by
  out[o + 2] = aw * by - ax * bz + ay * bw + az * bx
  out[o + 3] = aw * bz + ax * by - ay * bx + az * bw
}
