/** `lab compare` over a real sweep trained by `lab sweep` (real worker processes, real SQLite file). */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { mannWhitneyU } from '../../src/core/analysis/stats'
import type { RunsCompareResponse } from '../../src/shared/api-compare'
import { formatP } from '../../src/cli/commands/compare'
import { lab, tempDir } from '../helpers/cli'

const db = join(tempDir(), 'compare.db')
let sweepId = ''
let ids: string[] = []

beforeAll(() => {
  const config = JSON.stringify({ ea: { populationSize: 6 }, es: { populationSize: 6 } })
  const r = lab([
    'sweep',
    '--algos',
    'ea,es',
    '--seeds',
    '3',
    '--generations',
    '2',
    '--config',
    config,
    '--workers',
    '1',
    '--db',
    db,
    '--json'
  ])
  expect(r.code).toBe(0)
  const out = JSON.parse(r.stdout) as { sweepId: string; runs: { id: string }[] }
  sweepId = out.sweepId
  ids = out.runs.map((x) => x.id)
})

describe('lab compare', () => {
  it('prints the groups and the p-value matrix', () => {
    const r = lab(['compare', '--sweep', sweepId, '--db', db])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const json = JSON.parse(
      lab(['compare', '--sweep', sweepId, '--db', db, '--json']).stdout
    ) as RunsCompareResponse
    expect(json.groups.map((g) => g.key).sort()).toEqual(['ea', 'es'])
    for (const g of json.groups) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${g.key} `))!
      expect(line).toContain(` ${g.summary.n} `)
      expect(line).toContain(`${g.summary.mean.toFixed(3)} ± ${g.summary.std!.toFixed(3)}`)
      expect(line).toContain(g.summary.median.toFixed(3))
    }
    const [a, b] = json.groups
    const p = mannWhitneyU(
      a.finals.map((f) => f.value),
      b.finals.map((f) => f.value)
    ).p
    expect(r.stdout).toMatch(/Mann–Whitney U, two-sided p-values/)
    expect(r.stdout.split('\n').find((l) => l.startsWith(`${a.key} `) && l.includes(' - '))).toContain(
      formatP(p)
    )
  })

  it('takes ids, a group-by key, a metric and an x axis', () => {
    const r = lab([
      'compare',
      ...ids.map((id) => id.slice(0, 8)),
      '--group-by',
      'seed',
      '--metric',
      'foodEaten',
      '--x',
      'generation',
      '--json',
      '--db',
      db
    ])
    expect(r.code).toBe(0)
    const c = JSON.parse(r.stdout) as RunsCompareResponse
    expect(c).toMatchObject({ groupBy: 'seed', metric: 'foodEaten', x: 'generation', grid: [1, 2] })
    expect(c.groups.map((g) => g.key).sort()).toEqual(['1', '2', '3'])
  })

  it('names the option and the rule on bad input', () => {
    const cases: [string[], RegExp][] = [
      [[], /run ids: give run ids or --sweep ID/],
      [['--sweep', sweepId, '--x', 'time'], /--x: .*evaluations/],
      [['--sweep', sweepId, '--metric', 'speed'], /metric: 'speed' is not recorded by every run/],
      [['--sweep', sweepId, '--group-by', 'colour'], /groupBy: 'colour' is not a key/],
      [['--sweep', sweepId, '--group-by', 'a b'], /--group-by: expected a key/]
    ]
    for (const [args, message] of cases) {
      const r = lab(['compare', ...args, '--db', db])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(message)
      expect(r.stdout).toBe('')
    }
  })
})
