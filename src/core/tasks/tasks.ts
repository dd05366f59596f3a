import { Rng } from '../util/rng'
import { DEFAULT_MODEL_PARAMS } from '../model/params'

/** A food layout: the flat [x0, y0, x1, y1, ...] positions of its sources. */
export interface Task {
  name: string
  food: Float64Array
}

export const POLYGON_TASKS = {
  triangle: 3,
  square: 4,
  pentagon: 5,
  hexagon: 6,
  heptagon: 7,
  octagon: 8
} as const
export type PolygonTaskName = keyof typeof POLYGON_TASKS
export const TASK_NAMES = Object.keys(POLYGON_TASKS) as PolygonTaskName[]

/** Standard task geometry (spec: 36 sources, circumradius 350, centred on the arena). */
export const FOOD_COUNT = 36

/** The most food sources a user layout may hold (the standard tasks have 36). */
export const MAX_FOOD_POINTS = 10_000
export const POLYGON_RADIUS = 350

/**
 * `count` sources evenly spaced by arc length along a regular polygon's perimeter, starting at the
 * first vertex, which points "up" (angle π/2) from the centre.
 */
export function polygonTask(
  sides: number,
  opts: { count?: number; radius?: number; cx?: number; cy?: number; name?: string } = {}
): Task {
  const { count = FOOD_COUNT, radius = POLYGON_RADIUS } = opts
  const cx = opts.cx ?? DEFAULT_MODEL_PARAMS.arenaWidth / 2
  const cy = opts.cy ?? DEFAULT_MODEL_PARAMS.arenaHeight / 2
  if (!Number.isInteger(sides) || sides < 3)
    throw new Error(`a polygon needs an integer number of sides ≥ 3, got ${sides}`)
  const vx: number[] = []
  const vy: number[] = []
  for (let k = 0; k < sides; k++) {
    const a = Math.PI / 2 + (2 * Math.PI * k) / sides
    vx.push(cx + radius * Math.cos(a))
    vy.push(cy + radius * Math.sin(a))
  }
  const edge = vx.map((_, k) => Math.hypot(vx[(k + 1) % sides] - vx[k], vy[(k + 1) % sides] - vy[k]))
  const perimeter = edge.reduce((a, b) => a + b, 0)
  const food = new Float64Array(2 * count)
  for (let j = 0; j < count; j++) {
    let s = (perimeter * j) / count
    let k = 0
    while (s > edge[k]) s -= edge[k++]
    const n = (k + 1) % sides
    const t = s / edge[k]
    food[2 * j] = vx[k] + t * (vx[n] - vx[k])
    food[2 * j + 1] = vy[k] + t * (vy[n] - vy[k])
  }
  return { name: opts.name ?? `polygon${sides}`, food }
}

/** A user layout from a list of points. */
export function pointsTask(points: ReadonlyArray<readonly [number, number]>, name = 'custom'): Task {
  if (points.length === 0) throw new Error('a food layout needs at least one point')
  const food = new Float64Array(2 * points.length)
  points.forEach(([x, y], i) => {
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new Error(`food point ${i} is not finite: (${x}, ${y})`)
    food[2 * i] = x
    food[2 * i + 1] = y
  })
  return { name, food }
}

/**
 * A random scatter from a seed (choice): `count` sources uniform in the arena, at least `margin` from
 * the walls and farther than the detection range from the start, so the worm never starts next to food.
 */
export function randomTask(
  seed: number,
  opts: { count?: number; margin?: number; width?: number; height?: number; clearance?: number } = {}
): Task {
  const {
    count = FOOD_COUNT,
    margin = 50,
    width = DEFAULT_MODEL_PARAMS.arenaWidth,
    height = DEFAULT_MODEL_PARAMS.arenaHeight,
    clearance = DEFAULT_MODEL_PARAMS.detectionRange
  } = opts
  const rng = new Rng(seed)
  const cx = width / 2
  const cy = height / 2
  const pts: [number, number][] = []
  while (pts.length < count) {
    const x = rng.uniform(margin, width - margin)
    const y = rng.uniform(margin, height - margin)
    if (Math.hypot(x - cx, y - cy) > clearance) pts.push([x, y])
  }
  return pointsTask(pts, `random-${seed}`)
}

/** The largest seed of a `random:SEED` task (a 32-bit unsigned integer). */
export const MAX_TASK_SEED = 2 ** 32 - 1

/** Resolves a task name: a polygon name, or `random:SEED` (0 ≤ SEED ≤ MAX_TASK_SEED). */
export function taskByName(name: string): Task {
  // Own keys only: `toString` and friends are not tasks.
  if (Object.hasOwn(POLYGON_TASKS, name)) return polygonTask(POLYGON_TASKS[name as PolygonTaskName], { name })
  const m = /^random:(\d+)$/.exec(name)
  if (m) {
    const seed = Number(m[1])
    if (!Number.isSafeInteger(seed) || seed > MAX_TASK_SEED)
      throw new Error(`unknown task '${name}': random:SEED takes a seed from 0 to ${MAX_TASK_SEED}`)
    return randomTask(seed)
  }
  throw new Error(`unknown task '${name}': expected one of ${TASK_NAMES.join(', ')}, or random:SEED`)
}
