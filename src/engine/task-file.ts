import { basename, extname } from 'node:path'
import { DEFAULT_MODEL_PARAMS } from '../core/model/params'
import { parseFoodLayoutText } from '../core/tasks/food-layout'
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

/**
 * Reads a user food layout file: JSON `[[x, y], ...]` (or `{ "food": [[x, y], ...] }`) or CSV with `x,y`
 * columns (parsed strictly: decimal numbers only, no duplicated columns). Only a regular file of at most
 * FILE_LIMITS.foodLayout bytes with at most MAX_FOOD_POINTS points is read.
 */
export function readFoodLayout(path: string): FoodLayout {
  const bytes = readRegularFile(path, { maxBytes: FILE_LIMITS.foodLayout, what: 'food layout' })
  const text = bytes.toString('utf8')
  try {
    const points = parseFoodLayoutText(text, extname(path).toLowerCase() === '.csv' ? 'csv' : 'json')
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
