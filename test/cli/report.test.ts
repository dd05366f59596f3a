/**
 * `lab report fig4` end to end on a tiny design (issue 10's acceptance): real worker processes, a real
 * SQLite file, the figures rendered to SVG and PNG, the statistics table; then resumed and extended.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { mannWhitneyU } from '../../src/core/analysis/stats'
import { csvLines } from '../../src/core/util/csv'
import { lab, ROOT, storedGenerations, tempDir, type CliResult } from '../helpers/cli'

const dir = tempDir()
const db = join(dir, 'fig4.db')
const out = join(dir, 'report')
const config = JSON.stringify({
  renomad: { populationSize: 4, madsEvaluations: 5, madsCoordinates: 4 },
  'renomad-random': { populationSize: 4, madsEvaluations: 5, madsCoordinates: 4 },
  ea: { populationSize: 4 }
})
const report = (extra: string[], o = out, workspace = db): CliResult =>
  lab([
    'report',
    'fig4',
    '--methods',
    'renomad,ea,renomad-random',
    '--evaluations',
    '45',
    '--config',
    config,
    '--workers',
    '1',
    '--db',
    workspace,
    '--out',
    o,
    ...extra
  ])

const rows = (csv: string): string[][] => [...csvLines(csv)].map((l) => l.cells)
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (b: Buffer) => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) })

let first: CliResult
beforeAll(() => {
  first = report(['--seeds', '2'])
})

describe('lab report fig4', () => {
  it('trains the design and writes both figures as PNG and SVG, the table and the runs', () => {
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/0 of 6 runs done, 6 to create/)
    expect(first.stdout).toMatch(/complete; wrote/)
    expect(readdirSync(out).sort()).toEqual(
      [
        'README.md',
        'fig4.png',
        'fig4.svg',
        'figS1.png',
        'figS1.svg',
        'runs.csv',
        'stats.csv',
        'stats.md'
      ].sort()
    )
    for (const f of ['fig4.png', 'figS1.png']) {
      const png = readFileSync(join(out, f))
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      expect(pngSize(png)).toEqual({ width: 1800, height: 1000 })
    }
    const fig4 = readFileSync(join(out, 'fig4.svg'), 'utf8')
    const s1 = readFileSync(join(out, 'figS1.svg'), 'utf8')
    expect(fig4.startsWith('<svg')).toBe(true)
    for (const name of ['rENOMAD', 'pure EA']) expect(fig4).toContain(name)
    // Fig. 4 is the paper's five methods; the random-init control is only in S1.
    expect(fig4).not.toContain('random init')
    expect(s1).toContain('rENOMAD (random init)')
  })

  it('tests the final values of the runs it lists (U and p recomputed from runs.csv)', () => {
    const runs = rows(readFileSync(join(out, 'runs.csv'), 'utf8'))
    expect(runs[0]).toEqual(['method', 'seed', 'run', 'rollouts', 'wall_seconds', 'food_eaten', 'l0', 'l2'])
    const body = runs.slice(1)
    expect(body.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(
      ['ea:1', 'ea:2', 'renomad-random:1', 'renomad-random:2', 'renomad:1', 'renomad:2'].sort()
    )
    // Every run used its budget exactly or stopped short of it, never over.
    for (const r of body) expect(Number(r[3])).toBeLessThanOrEqual(45)
    const l0 = (m: string) => body.filter((r) => r[0] === m).map((r) => Number(r[6]))
    const expected = mannWhitneyU(l0('renomad'), l0('ea'), 'asymptotic')
    const stats = rows(readFileSync(join(out, 'stats.csv'), 'utf8'))
    const head = stats[0]
    const col = (r: string[], k: string) => r[head.indexOf(k)]
    const test = stats.find(
      (r) =>
        col(r, 'section') === 'test' &&
        col(r, 'metric') === 'l0' &&
        col(r, 'method') === 'renomad' &&
        col(r, 'method_b') === 'ea'
    )
    expect(test, stats.map((r) => r.join(',')).join('\n')).toBeDefined()
    expect(Number(col(test!, 'u'))).toBe(expected.u)
    expect(Number(col(test!, 'p'))).toBeCloseTo(expected.p, 9)
    const md = readFileSync(join(out, 'stats.md'), 'utf8')
    for (const s of ['rENOMAD', 'pure EA', 'rENOMAD (random init)', '32.73 ± 1.66', 'Pairwise tests'])
      expect(md).toContain(s)
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('npm run lab -- report fig4 --seeds 1-2')
  })

  it('resumes: run again, it trains nothing; with more seeds, only the new cells', () => {
    const before = storedGenerations(db)
    const again = report(['--seeds', '2'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/6 of 6 runs done/)
    expect(storedGenerations(db)).toBe(before)
    const more = report(['--seeds', '3'])
    expect(more.code, more.stderr).toBe(0)
    expect(more.stdout).toMatch(/6 of 9 runs done, 3 to create/)
    expect(rows(readFileSync(join(out, 'runs.csv'), 'utf8')).length).toBe(1 + 9)
  })

  it('draws a partial report with --no-train, saying what is missing', () => {
    const partial = report(['--seeds', '4', '--no-train'], join(dir, 'partial'))
    expect(partial.code, partial.stderr).toBe(0)
    expect(partial.stdout).toMatch(/9 of 12 runs done, 3 to create/)
    expect(partial.stdout).toMatch(/partial: 3 of 12 runs not done/)
    expect(readFileSync(join(dir, 'partial', 'README.md'), 'utf8')).toMatch(/Partial: 3 runs/)
  })

  it('draws the same report from a compact snapshot (scripts/results/snapshot.py)', () => {
    const snap = join(dir, 'snap.db')
    const py = spawnSync('python3', [join(ROOT, 'scripts/results/snapshot.py'), db, snap], {
      encoding: 'utf8'
    })
    expect(py.status, py.stderr).toBe(0)
    expect(py.stdout).toMatch(/9 completed runs/)
    const a = report(['--seeds', '3', '--no-train'], join(dir, 'from-full'))
    const b = report(['--seeds', '3', '--no-train'], join(dir, 'from-snap'), snap)
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    for (const f of ['stats.csv', 'runs.csv', 'fig4.svg', 'figS1.svg'])
      expect(readFileSync(join(dir, 'from-snap', f), 'utf8'), f).toBe(
        readFileSync(join(dir, 'from-full', f), 'utf8')
      )
    // Coarse slices drop rows inside the curves, but the final values, hence the statistics, stay exact.
    const coarse = join(dir, 'coarse.db')
    const py2 = spawnSync('python3', [join(ROOT, 'scripts/results/snapshot.py'), db, coarse, '2'], {
      encoding: 'utf8'
    })
    expect(py2.status, py2.stderr).toBe(0)
    const rows = (out: string) => Number(/(\d+) of \d+ generation rows/.exec(out)?.[1])
    expect(rows(py2.stdout)).toBeLessThan(rows(py.stdout))
    const c = report(['--seeds', '3', '--no-train'], join(dir, 'from-coarse'), coarse)
    expect(c.code, c.stderr).toBe(0)
    for (const f of ['stats.csv', 'runs.csv'])
      expect(readFileSync(join(dir, 'from-coarse', f), 'utf8'), f).toBe(
        readFileSync(join(dir, 'from-full', f), 'utf8')
      )
  })

  it('refuses a bad --out or design before training or writing anything', () => {
    const file = join(dir, 'not-a-dir')
    writeFileSync(file, 'x')
    const before = storedGenerations(db)
    const bad = report(['--seeds', '5'], file)
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/--out/)
    expect(storedGenerations(db)).toBe(before)
    const badConfig = lab([
      'report',
      'fig4',
      '--methods',
      'ea',
      '--seeds',
      '1',
      '--config',
      '{"ea":{"populationSize":1}}',
      '--db',
      db,
      '--out',
      join(dir, 'x')
    ])
    expect(badConfig.code).not.toBe(0)
    expect(badConfig.stderr).toMatch(/populationSize/)
    expect(existsSync(join(dir, 'x', 'stats.csv'))).toBe(false)
    const fresh = lab(['report', 'fig4', '--no-train', '--db', join(dir, 'none.db'), '--out', join(dir, 'y')])
    expect(fresh.code).not.toBe(0)
    expect(existsSync(join(dir, 'none.db'))).toBe(false)
  })
})

describe('lab report study', () => {
  it('trains each arm, reusing the baseline cells, and tests every arm against the baseline only', () => {
    const studyOut = join(dir, 'study')
    const r = lab([
      'report',
      'study',
      '--algo',
      'ea',
      '--base',
      '{"populationSize":4}',
      '--arm',
      'uniform={"crossover":"uniform"}',
      '--arm',
      'shifted={"selection":"shifted"}',
      '--seeds',
      '2',
      '--evaluations',
      '45',
      '--workers',
      '1',
      '--db',
      db,
      '--out',
      studyOut
    ])
    expect(r.code, r.stderr).toBe(0)
    // The baseline is the EA of the Fig. 4 report above (same settings): only the two arms train.
    expect(r.stdout).toMatch(/2 of 6 runs done, 4 to create/)
    expect(readdirSync(studyOut).sort()).toEqual(
      ['README.md', 'runs.csv', 'stats.csv', 'stats.md', 'study.png', 'study.svg'].sort()
    )
    const svg = readFileSync(join(studyOut, 'study.svg'), 'utf8')
    for (const name of ['defaults', 'uniform', 'shifted']) expect(svg).toContain(name)
    const md = readFileSync(join(studyOut, 'stats.md'), 'utf8')
    expect(md).not.toContain("Paper's claims")
    const stats = rows(readFileSync(join(studyOut, 'stats.csv'), 'utf8'))
    const head = stats[0]
    const tests = stats.filter((s) => s[head.indexOf('section')] === 'test')
    // 2 arms × 3 metrics, each against the baseline.
    expect(tests.length).toBe(6)
    for (const t of tests) expect(t[head.indexOf('method_b')]).toBe('baseline')
    expect(readFileSync(join(studyOut, 'README.md'), 'utf8')).toContain(
      `--arm 'uniform={"crossover":"uniform"}'`
    )
  })
})
