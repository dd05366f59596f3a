import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { genomeToJson } from '../../src/core/connectome/genome'
import { encodeNpyFloat64 } from '../../src/engine/formats/npy'
import { readConnectome } from '../../src/engine/resources'
import { lab, tempDir } from '../helpers/cli'

const c = readConnectome()
const dir = tempDir()

describe('lab rollout', () => {
  it('prints the JSON result of the untrained connectome on the pentagon', () => {
    const r = lab(['rollout', '--task', 'pentagon', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['foodEaten', 'reward', 'fitness', 'l0', 'l2']))
    expect(out.foodEaten).toBe(3)
    expect(Math.abs(out.reward - 98.148163)).toBeLessThan(1e-6)
  })
  it('prints a readable summary and writes a trace', () => {
    const trace = join(dir, 'trace.json')
    const r = lab(['rollout', '--task', 'square', '--trace', trace])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/food\s+6 of 36 eaten/)
    const t = JSON.parse(readFileSync(trace, 'utf8'))
    expect(t.format).toBe('connectome-lab/trace@1')
    expect(t.trace.x.length).toBe(251)
    expect(t.result.foodEaten).toBe(6)
  })
  it('reads a genome file and a custom food layout', () => {
    const g = c.w0.slice()
    g[0] = 5
    const npy = join(dir, 'g.npy')
    writeFileSync(npy, encodeNpyFloat64(g))
    const food = join(dir, 'food.json')
    writeFileSync(
      food,
      JSON.stringify([
        [820, 600],
        [1000, 1000]
      ])
    )
    const r = lab(['rollout', '--genome', npy, '--food', food, '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.l0).toBe(1)
    expect(out.l2).toBe(3)
    expect(out.foodEaten).toBeGreaterThanOrEqual(1)
    expect(out.task).toBe('food')
  })
  it.each([
    [['rollout', '--task', 'nonagon'], /unknown task 'nonagon'/],
    [['rollout', '--genome', '/nonexistent/g.json'], /cannot read genome file/],
    [['rollout', '--genome', 'WRONG_LEN'], /genome has 2 weights/],
    [['rollout', '--genome', 'HASH'], /pairsHash mismatch/],
    [['rollout', '--bogus'], /unknown option '--bogus'/]
  ])('fails clearly on bad input: %j', (args, message) => {
    writeFileSync(join(dir, 'short.npy'), encodeNpyFloat64([1, 2]))
    writeFileSync(join(dir, 'hash.json'), JSON.stringify({ ...genomeToJson(c, c.w0), pairsHash: 'ffff' }))
    const real = args.map((a) =>
      a === 'WRONG_LEN' ? join(dir, 'short.npy') : a === 'HASH' ? join(dir, 'hash.json') : a
    )
    const r = lab(real)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })
  it('leaves no trace file behind when the rollout fails', () => {
    const trace = join(dir, 'never.json')
    const r = lab(['rollout', '--task', 'nope', '--trace', trace])
    expect(r.code).not.toBe(0)
    expect(existsSync(trace)).toBe(false)
  })
})

describe('lab connectome', () => {
  it('prints the genome order as pre,post,w0', () => {
    const r = lab(['connectome', '--csv'])
    expect(r.code).toBe(0)
    const rows = r.stdout.trim().split('\n')
    expect(rows[0]).toBe('pre,post,w0')
    expect(rows.length).toBe(3690)
    expect(rows[1]).toBe(`${c.pre[0]},${c.post[0]},${c.w0[0]}`)
    expect(rows[3689]).toBe(`${c.pre[3688]},${c.post[3688]},${c.w0[3688]}`)
  })
})
