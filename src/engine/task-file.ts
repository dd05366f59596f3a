import { basename, extname } from 'node:path'
import { DEFAULT_MODEL_PARAMS } from '../core/model/params'
import { checkCellCount, csvHeader, csvLines, csvNumber } from '../core/util/csv'
import { MAX_FOOD_POINTS, pointsTask, taskByName, type Task } from '../core/tasks/tasks'
import { FILE_LIMITS, readRegularFile } from './fs-util'

/** The most food sources a layout file may hold (one owner: core's tasks). */
export { MAX_FOOD_POINTS }

/** The arena a layout must fit in: x ∈ [0, width], y ∈ [0, height] (the model's arenaWidth/arenaHeight). */
export interface Arena {
  width: number
  height: number
}

export const DEFAULT_ARENA: Arena = {
  width: DEFAULT_MODEL_PARAMS.arenaWidth,
  height: DEFAULT_MODEL_PARAMS.arenaHeight
}

/** A food layout as read from a file, not yet checked against an arena. */
export interface FoodLayout {
  path: string
  name: string
  points: [number, number][]
}

const fmt = (v: unknown): string => {
  const s = JSON.stringify(v)
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s
}

function pointsFromCsv(text: string): [number, number][] {
  const what = 'CSV food layout'
  const lines = csvLines(text)
  const first = lines.next()
  if (first.done) throw new Error('empty CSV file: it needs an x,y header and at least one point')
  const header = csvHeader(first.value, what)
  const [ix, iy] = [header.indexOf('x'), header.indexOf('y')]
  if (ix < 0 || iy < 0) throw new Error(`CSV needs x,y columns; header is '${first.value.cells.join(',')}'`)
  const points: [number, number][] = []
  for (const l of lines) {
    checkCellCount(l, header, 'CSV')
    if (points.length >= MAX_FOOD_POINTS)
      throw new Error(`more than ${MAX_FOOD_POINTS} food points (the limit), at line ${l.line}`)
    const n = points.length
    points.push([
      csvNumber(l.cells[ix], l.line, 'x', 'CSV', `x of point ${n}`),
      csvNumber(l.cells[iy], l.line, 'y', 'CSV', `y of point ${n}`)
    ])
  }
  return points
}

function pointsFromJson(text: string): [number, number][] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`)
  }
  const list = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as { food?: unknown }).food
      : undefined
  if (!Array.isArray(list)) throw new Error('expected a list of [x, y] points, or {"food": [[x, y], ...]}')
  if (list.length > MAX_FOOD_POINTS)
    throw new Error(`${list.length} food points, over the limit of ${MAX_FOOD_POINTS}`)
  return list.map((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new Error(`point ${i} is not [x, y] with two finite numbers: ${fmt(p)}`)
    return [p[0] as number, p[1] as number]
  })
}

/**
 * Reads a user food layout file: JSON `[[x, y], ...]` (or `{ "food": [[x, y], ...] }`) or CSV with `x,y`
 * columns (parsed strictly: decimal numbers only, no duplicated columns). Only a regular file of at most
 * FILE_LIMITS.foodLayout bytes with at most MAX_FOOD_POINTS points is read.
 */
export function readFoodLayout(path: string): FoodLayout {
  const bytes = readRegularFile(path, { maxBytes: FILE_LIMITS.foodLayout, what: 'food layout' })
  const text = bytes.toString('utf8')
  try {
    const points = extname(path).toLowerCase() === '.csv' ? pointsFromCsv(text) : pointsFromJson(text)
    if (points.length === 0) throw new Error('a food layout needs at least one point')
    return { path, name: basename(path, extname(path)), points }
  } catch (e) {
    throw new Error(`food layout '${path}': ${(e as Error).message}`)
  }
}

/** The task of a layout, refusing a point outside the arena (edges included). */
export function foodLayoutTask(layout: FoodLayout, arena: Arena = DEFAULT_ARENA): Task {
  layout.points.forEach(([x, y], i) => {
    if (!(x >= 0 && x <= arena.width && y >= 0 && y <= arena.height))
      throw new Error(
        `food layout '${layout.path}': point ${i} (${x}, ${y}) is outside the arena 0..${arena.width} × 0..${arena.height}`
      )
  })
  return pointsTask(layout.points, layout.name)
}

/** Reads a food layout file into a task for `arena` (default: the model's standard arena). */
export function readTaskFile(path: string, arena: Arena = DEFAULT_ARENA): Task {
  return foodLayoutTask(readFoodLayout(path), arena)
}

/** A task from the CLI: a standard name / random:SEED, or a layout file when `foodFile` is given. */
export function resolveTask(name: string, foodFile?: string, arena: Arena = DEFAULT_ARENA): Task {
  return foodFile !== undefined ? readTaskFile(foodFile, arena) : taskByName(name)
}
