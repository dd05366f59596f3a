import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resourcesDir } from './resources'

let cached: string | null = null

/** The package version plus the git commit when running from a checkout, e.g. `0.1.0+e082a68`. */
export function codeVersion(): string {
  if (cached) return cached
  const root = join(resourcesDir(), '..')
  let version = '0.0.0'
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    /* packaged app without package.json next to resources */
  }
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
    version += `+${sha}${dirty ? '.dirty' : ''}`
  } catch {
    /* not a git checkout */
  }
  cached = version
  return version
}
