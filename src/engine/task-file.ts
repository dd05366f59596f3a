import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { z } from 'zod'
import { pointsTask, taskByName, type Task } from '../core/tasks/tasks'

const pointsSchema = z.array(z.tuple([z.number(), z.number()])).min(1)

/**
 * Reads a user food layout: JSON `[[x, y], ...]` (or `{ "food": [[x, y], ...] }`) or CSV with `x,y` columns.
 */
export function readTaskFile(path: string): Task {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new Error(`cannot read food layout '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const name = basename(path, extname(path))
  if (extname(path).toLowerCase() === '.csv') {
    const lines = text.split(/\r?\n/).filter((l) => l.trim())
    const header = lines[0]?.split(',').map((s) => s.trim().toLowerCase()) ?? []
    const [ix, iy] = [header.indexOf('x'), header.indexOf('y')]
    if (ix < 0 || iy < 0) throw new Error(`food layout '${path}': CSV needs x,y columns`)
    return pointsTask(
      lines.slice(1).map((l) => {
        const cells = l.split(',')
        return [Number(cells[ix]), Number(cells[iy])] as [number, number]
      }),
      name
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new Error(`food layout '${path}' is not valid JSON: ${(e as Error).message}`)
  }
  const parsed = pointsSchema.safeParse(Array.isArray(data) ? data : (data as { food?: unknown })?.food)
  if (!parsed.success) throw new Error(`food layout '${path}': expected a non-empty list of [x, y] points`)
  return pointsTask(parsed.data, name)
}

/** A task from the CLI: a standard name / random:SEED, or a layout file when `foodFile` is given. */
export function resolveTask(name: string, foodFile?: string): Task {
  return foodFile ? readTaskFile(foodFile) : taskByName(name)
}
