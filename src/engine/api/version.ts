import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The version in Connectome Lab's package.json, found by walking up from this file (src/ or out/). */
export function readAppVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'connectome-lab' && pkg.version) return pkg.version
    }
    dir = resolve(dir, '..')
  }
  return '0.0.0-unknown'
}
