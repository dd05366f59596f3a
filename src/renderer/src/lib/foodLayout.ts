/**
 * The drawn / imported food layout of the New run form: the arena frame (model coordinates, y up, as
 * drawArena maps them), hit-testing a click, drawing the food, and reading an imported file through
 * core's layout parser (the formats of the CLI's `--food FILE`).
 */
import { parseFoodLayoutText } from '../../../core/tasks/food-layout'
import { drawArena, type ArenaGeometry } from './arena'
import { palette } from './palette'

/** The arena's screen frame in a canvas of width×height CSS pixels: drawArena's padding and scale. */
export function arenaFrame(width: number, height: number, g: ArenaGeometry) {
  const pad = 14
  const scale = Math.min((width - 2 * pad) / g.arenaWidth, (height - 2 * pad) / g.arenaHeight)
  const ox = (width - g.arenaWidth * scale) / 2
  const oy = (height - g.arenaHeight * scale) / 2
  return {
    scale,
    toScreen: (x: number, y: number): [number, number] => [ox + x * scale, oy + (g.arenaHeight - y) * scale],
    toArena: (sx: number, sy: number): [number, number] => [
      (sx - ox) / scale,
      g.arenaHeight - (sy - oy) / scale
    ]
  }
}

/** Radius (arena units) within which a click removes an existing food source instead of adding one. */
export const PICK_RADIUS = 30

/**
 * The layout after a click at arena point (x, y): the nearest source within PICK_RADIUS removed, else
 * a new one added (rounded to whole units); clicks outside the arena change nothing.
 */
export function toggleFood(
  food: [number, number][],
  x: number,
  y: number,
  g: ArenaGeometry
): [number, number][] {
  if (!(x >= 0 && x <= g.arenaWidth && y >= 0 && y <= g.arenaHeight)) return food
  let best = -1
  let bestD = PICK_RADIUS
  food.forEach(([fx, fy], i) => {
    const d = Math.hypot(fx - x, fy - y)
    if (d <= bestD) [best, bestD] = [i, d]
  })
  if (best >= 0) return food.filter((_, i) => i !== best)
  return [...food, [Math.round(x), Math.round(y)]]
}

/** Draws the empty arena and the food sources with their detection discs. */
export function drawFoodLayout(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  g: ArenaGeometry,
  food: readonly [number, number][]
): void {
  drawArena(ctx, width, height, g, null)
  const f = arenaFrame(width, height, g)
  ctx.fillStyle = 'rgba(124, 198, 139, 0.07)'
  ctx.beginPath()
  for (const [x, y] of food) {
    const [sx, sy] = f.toScreen(x, y)
    ctx.moveTo(sx + g.detectionRange * f.scale, sy)
    ctx.arc(sx, sy, g.detectionRange * f.scale, 0, 2 * Math.PI)
  }
  ctx.fill('nonzero')
  ctx.fillStyle = palette.food
  const r = Math.max(3, g.eatRadius * f.scale * 0.6)
  for (const [x, y] of food) {
    const [sx, sy] = f.toScreen(x, y)
    ctx.beginPath()
    ctx.arc(sx, sy, r, 0, 2 * Math.PI)
    ctx.fill()
  }
  // The worm's start, the arena's centre.
  const [cx, cy] = f.toScreen(g.arenaWidth / 2, g.arenaHeight / 2)
  ctx.strokeStyle = palette.text
  ctx.lineWidth = 2
  ctx.beginPath()
  ctx.arc(cx, cy, 6, 0, 2 * Math.PI)
  ctx.stroke()
}

/**
 * The points of an imported layout file (CSV with x,y columns, or JSON), checked against the arena;
 * throws a message starting "Food layout file NAME:".
 */
export function importFoodLayout(fileName: string, text: string, g: ArenaGeometry): [number, number][] {
  try {
    const points = parseFoodLayoutText(text, /\.csv$/i.test(fileName) ? 'csv' : 'json')
    points.forEach(([x, y], i) => {
      if (!(x >= 0 && x <= g.arenaWidth && y >= 0 && y <= g.arenaHeight))
        throw new Error(
          `point ${i} (${x}, ${y}) is outside the arena 0..${g.arenaWidth} × 0..${g.arenaHeight}`
        )
    })
    return points
  } catch (e) {
    throw new Error(`Food layout file ${fileName}: ${(e as Error).message}`)
  }
}

/** A layout name from a file name: letters, digits, - and _ (at most 32). */
export function layoutName(fileName: string): string {
  const base = fileName
    .replace(/\.[^.]*$/, '')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return (base || 'layout').slice(0, 32)
}
