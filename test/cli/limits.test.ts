import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, tempDir } from '../helpers/cli'

/**
 * Issue 8, classes 2–4: absurd sizes, config that would be ignored or overridden, and task names read
 * wrongly are refused by the real CLI with one `lab: error:` line naming the key, and nothing is written:
 * neither a new workspace nor a byte of an existing one.
 */
const dir = tempDir()
const fresh = join(dir, 'never-created.db')
const existing = join(dir, 'existing.db')
const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

beforeAll(() => {
  const r = lab([
    'train',
    '--algo',
    'ea',
    '--config',
    '{"populationSize":4}',
    '--generations',
    '1',
    '--db',
    existing
  ])
  expect(r.code).toBe(0)
})

const CASES: [string, string[], RegExp][] = [
  // 2. absurd sizes
  [
    'a population of 10⁹',
    ['train', '--algo', 'ea', '--config', '{"populationSize":1000000000}'],
    /populationSize: Too big/
  ],
  ['a billion workers', ['train', '--algo', 'ea', '--workers', '1000000000'], /--workers .*from 1 to 64/],
  ['10⁸ sweep seeds', ['sweep', '--seeds', '100000000'], /--seeds .*1 to 1000 seeds/],
  [
    'a population too big for memory',
    [
      'train',
      '--algo',
      'ea',
      '--env',
      'quadratic',
      '--env-config',
      '{"dim":1000000}',
      '--config',
      '{"populationSize":1000}'
    ],
    /populationSize: 1000 genomes of 1000000 values exceed/
  ],
  [
    'MADS on 600 coordinates',
    ['train', '--algo', 'renomad', '--config', '{"madsCoordinates":600}'],
    /madsCoordinates: Too big/
  ],
  [
    'a sweep of 12,000 runs',
    ['sweep', '--algos', 'ea,es,renomad,menomad', '--tasks', 'triangle,square,pentagon', '--seeds', '1-1000'],
    /12000 runs; a sweep has at most 10000/
  ],
  ['a port past 65535', ['serve', '--port', '70000'], /--port .*from 0 to 65535/],
  // 3. config ignored, dropped or overridden
  [
    'a flat --config on a sweep',
    ['sweep', '--algos', 'ea', '--seeds', '2', '--config', '{"populationSize":4}'],
    /config\.populationSize: 'populationSize' is not one of the sweep's algorithms/
  ],
  [
    'a misspelt key in a sweep',
    ['sweep', '--algos', 'ea', '--seeds', '2', '--config', '{"ea":{"populationSze":4}}'],
    /Unrecognized key: "populationSze"/
  ],
  [
    'an unknown model key',
    ['train', '--algo', 'ea', '--env-config', '{"model":{"stepz":3}}'],
    /model: Unrecognized key: "stepz"/
  ],
  [
    'a task in the algorithm config',
    ['train', '--algo', 'ea', '--config', '{"task":"square"}'],
    /"task" \(the task and model constants belong to the environment/
  ],
  [
    '--task against env-config task',
    ['train', '--algo', 'ea', '--task', 'square', '--env-config', '{"task":"hexagon"}'],
    /task 'square' contradicts environment.task 'hexagon'/
  ],
  [
    'two budgets at once',
    ['train', '--algo', 'ea', '--generations', '3', '--seconds', '4'],
    /give one budget/
  ],
  [
    'mutationLow above mutationHigh',
    ['train', '--algo', 'ea', '--config', '{"mutationLow":5,"mutationHigh":1}'],
    /mutationLow \(5\) is above mutationHigh \(1\)/
  ],
  [
    'initLow above initHigh',
    ['train', '--algo', 'renomad-random', '--config', '{"initLow":3,"initHigh":-3}'],
    /initLow \(3\) is above initHigh \(-3\)/
  ],
  [
    'more MADS coordinates than the genome',
    ['train', '--algo', 'renomad', '--env', 'quadratic', '--env-config', '{"dim":10}'],
    /madsCoordinates: 49 is more than the genome's 10/
  ],
  ['an empty seed', ['train', '--algo', 'ea', '--seed', ''], /--seed .*got ''/],
  ['a hexadecimal seed', ['train', '--algo', 'ea', '--seed', '0x10'], /--seed .*got '0x10'/],
  ['a negative budget', ['train', '--algo', 'ea', '--generations', '-3'], /--generations .*got '-3'/],
  ['seconds written as hex', ['train', '--algo', 'ea', '--seconds', '0x10'], /--seconds .*got '0x10'/],
  // 4. task names read wrongly
  ['a task named toString', ['train', '--algo', 'ea', '--task', 'toString'], /unknown task 'toString'/],
  [
    'random:SEED beyond 2³²',
    ['train', '--algo', 'ea', '--task', 'random:9007199254740993'],
    /random:SEED takes a seed from 0 to 4294967295/
  ],
  ['a task named __proto__', ['rollout', '--task', '__proto__'], /unknown task '__proto__'/]
]

describe('bad requests are refused before anything is written', () => {
  // Cases alternate between a path with no workspace (none may be created) and an existing workspace
  // (not a byte of it may change).
  it.each(CASES.map((c, i) => [...c, i % 2 === 0 ? fresh : existing] as const))(
    '%s',
    (_what, args, message, db) => {
      const before = hash(existing)
      const r = lab([...args, ...(args[0] === 'rollout' ? [] : ['--db', db])])
      expect(r.code, r.stderr).not.toBe(0)
      const lines = r.stderr.trim().split('\n')
      expect(lines, r.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(/^lab: error: /)
      expect(lines[0]).toMatch(message)
      expect(r.stdout).toBe('')
      expect(existsSync(fresh)).toBe(false)
      expect(hash(existing)).toBe(before)
      expect(existsSync(existing + '-wal')).toBe(false)
    }
  )
  it('left the existing workspace with its one run', () => {
    expect(JSON.parse(lab(['runs', '--json', '--db', existing]).stdout)).toHaveLength(1)
  })
})
