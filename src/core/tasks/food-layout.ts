/**
 * The text formats of a user food layout (one owner for the CLI's `--food FILE` and the app's import):
 * JSON `[[x, y], ...]` or `{ "food": [[x, y], ...] }`, or CSV with `x,y` columns (parsed strictly:
 * decimal numbers only, no duplicated columns), with at least one and at most MAX_FOOD_POINTS points.
 */
import { checkCellCount, csvHeader, csvLines, csvNumber } from '../util/csv'
import { MAX_FOOD_POINTS } from './tasks'

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

/** The points of a layout's text; throws a message naming the line or point that is wrong. */
export function parseFoodLayoutText(text: string, format: 'csv' | 'json'): [number, number][] {
  const points = format === 'csv' ? pointsFromCsv(text) : pointsFromJson(text)
  if (points.length === 0) throw new Error('a food layout needs at least one point')
  return points
}
