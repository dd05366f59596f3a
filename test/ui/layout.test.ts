/**
 * The renderer's layout (src/renderer/src): views/ are the router's pages, components/ the reusable
 * pieces, stores/ the state, api.ts the only way to the backend. Checked on the import statements.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from './browser'

const SRC = join(ROOT, 'src/renderer/src')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|vue)$/.test(e.name) ? [join(dir, e.name)] : []
  )
}

/** The renderer modules each file imports, as paths relative to SRC (without extension for .ts). */
function rendererImports(file: string): string[] {
  const code = readFileSync(file, 'utf8')
  const specs = [...code.matchAll(/^\s*import\s[^'"]*?['"]([^'"]+)['"]/gm)].map((m) => m[1])
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, join(file, '..', s)).replace(/\.ts$/, ''))
    .filter((p) => !p.startsWith('..'))
}

const all = files(SRC)
const rel = (f: string): string => relative(SRC, f)
const inFolder = (folder: string): string[] => all.filter((f) => rel(f).startsWith(`${folder}/`))

describe('renderer layout', () => {
  it('has the pages in views/, one per route, and the rest in components/ and stores/', () => {
    expect(inFolder('views').map(rel).sort()).toEqual([
      'views/CompareView.vue',
      'views/RolloutView.vue',
      'views/RunView.vue',
      'views/RunsView.vue'
    ])
    expect(inFolder('components').length).toBeGreaterThan(10)
    expect(inFolder('stores').map(rel).sort()).toEqual([
      'stores/analyses.ts',
      'stores/annotations.ts',
      'stores/compare.ts',
      'stores/comparison.ts',
      'stores/curves.ts',
      'stores/exports.ts',
      'stores/figures.ts',
      'stores/files.ts',
      'stores/graph.ts',
      'stores/lab.ts',
      'stores/paperReport.ts',
      'stores/quadrupedReplay.ts',
      'stores/replays.ts',
      'stores/runControl.ts',
      'stores/runDetail.ts',
      'stores/runs.ts',
      'stores/runsView.ts',
      'stores/shell.ts'
    ])
  })

  it('reaches the backend only from the stores, through api.ts', () => {
    const users = all.filter((f) => rendererImports(f).includes('api')).map(rel)
    expect(users.length).toBeGreaterThan(0)
    for (const f of users) expect(f, f).toMatch(/^stores\//)
  })

  it('imports the views only from the router, and the router only from main.ts', () => {
    for (const f of all) {
      const imports = rendererImports(f)
      if (rel(f) !== 'router.ts') {
        expect(
          imports.filter((p) => p.startsWith('views/')),
          rel(f)
        ).toEqual([])
      }
      if (rel(f) !== 'main.ts') expect(imports, rel(f)).not.toContain('router')
    }
  })

  it('keeps the stores free of views and components', () => {
    for (const f of inFolder('stores')) {
      expect(
        rendererImports(f).filter((p) => /^(views|components)\//.test(p)),
        rel(f)
      ).toEqual([])
    }
  })

  it('keeps every file under 400 lines', () => {
    for (const f of all) {
      const lines = readFileSync(f, 'utf8').split('\n').length
      expect(lines, rel(f)).toBeLessThanOrEqual(400)
    }
  })
})
