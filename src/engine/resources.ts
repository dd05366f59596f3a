import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseConnectome, type Connectome } from '../core/connectome/connectome'

/** The project's resources/ folder, found by walking up from this file (works from src/ and out/). */
export function resourcesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources', 'connectomes')
    if (existsSync(candidate)) return join(dir, 'resources')
    dir = resolve(dir, '..')
  }
  throw new Error('cannot find the resources/ folder of Connectome Lab')
}

export const DEFAULT_CONNECTOME = 'gopigo2014'

const cache = new Map<string, Connectome>()

/** Reads and validates a shipped connectome by id (cached per process). */
export function readConnectome(id: string = DEFAULT_CONNECTOME): Connectome {
  const hit = cache.get(id)
  if (hit) return hit
  if (!/^[\w-]+$/.test(id)) throw new Error(`bad connectome id '${id}'`)
  const file = join(resourcesDir(), 'connectomes', `${id}.json`)
  if (!existsSync(file)) throw new Error(`unknown connectome '${id}' (no ${file})`)
  const c = parseConnectome(JSON.parse(readFileSync(file, 'utf8')))
  cache.set(id, c)
  return c
}
