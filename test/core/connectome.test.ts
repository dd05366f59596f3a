import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseConnectome } from '../../src/core/connectome/connectome'
import { fnv1a64, pairsHash } from '../../src/core/connectome/hash'
import { readConnectome } from '../../src/engine/resources'
import { tinyFile } from '../helpers/tiny'

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325')
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c')
    expect(fnv1a64('foobar')).toBe('85944171f73967e8')
  })
  it('depends on pair order', () => {
    expect(
      pairsHash([
        ['A', 'B'],
        ['B', 'C']
      ])
    ).not.toBe(
      pairsHash([
        ['B', 'C'],
        ['A', 'B']
      ])
    )
  })
})

describe('shipped GoPiGo connectome', () => {
  const c = readConnectome()
  it('has the documented counts', () => {
    expect(c.w0.length).toBe(3689)
    expect(c.neurons.length).toBe(302)
    expect(c.muscles.length).toBe(96)
    expect(c.muscles.filter((m) => m.locomotion && m.side === 'L').length).toBe(34)
    expect(c.muscles.filter((m) => m.locomotion && m.side === 'R').length).toBe(34)
    expect(new Set(c.pre).size).toBe(300)
    expect(Math.min(...c.w0)).toBe(-18)
    expect(Math.max(...c.w0)).toBe(37)
  })
  it('sums duplicate statements of the raw edge list (3,733 rows → 3,689 pairs)', () => {
    // Cross-check against the raw data when the shared folder is present.
    let raw: string
    try {
      raw = readFileSync(new URL('../../../shared/data/connectome/gopigo_edges.csv', import.meta.url), 'utf8')
    } catch {
      return
    }
    const sums = new Map<string, number>()
    const rows = raw.trim().split('\n').slice(1)
    for (const row of rows) {
      const [a, b, w] = row.split(',')
      sums.set(`${a}>${b}`, (sums.get(`${a}>${b}`) ?? 0) + Number(w))
    }
    expect(rows.length).toBe(3733)
    expect(sums.size).toBe(3689)
    c.pre.forEach((a, k) => expect(c.w0[k]).toBe(sums.get(`${a}>${c.post[k]}`)))
  })
})

describe('connectome loader rejects bad files by name', () => {
  const good: [string, string, number][] = [
    ['A', 'B', 1],
    ['B', 'MDL10', 2]
  ]
  it('accepts a good file', () => {
    expect(parseConnectome(tinyFile(good)).w0.length).toBe(2)
  })
  it('rejects a duplicated pair', () => {
    expect(() => parseConnectome(tinyFile([...good, ['A', 'B', 3]]))).toThrow(/duplicate pair A -> B/)
  })
  it('rejects a duplicated cell', () => {
    const f = tinyFile(good, { neurons: ['T', 'F', 'A', 'B', 'A'] })
    expect(() => parseConnectome(f)).toThrow(/duplicate neuron 'A'/)
  })
  it('rejects unknown names', () => {
    expect(() => parseConnectome(tinyFile([['A', 'ZZZ', 1]]))).toThrow(/unknown postsynaptic cell 'ZZZ'/)
    expect(() => parseConnectome(tinyFile([['QQ', 'A', 1]]))).toThrow(/unknown presynaptic neuron 'QQ'/)
    expect(() => parseConnectome(tinyFile(good, { touch: ['NOPE'] }))).toThrow(
      /sensory set 'touch': unknown neuron 'NOPE'/
    )
  })
  it('rejects non-finite weights', () => {
    expect(() => parseConnectome(tinyFile([['A', 'B', NaN]]))).toThrow(/non-finite weight NaN/)
    expect(() => parseConnectome(tinyFile([['A', 'B', Infinity]]))).toThrow(/non-finite weight Infinity/)
  })
  it('rejects a pair-hash mismatch and a malformed file', () => {
    expect(() => parseConnectome({ ...tinyFile(good), pairsHash: 'deadbeef' })).toThrow(/pairsHash mismatch/)
    expect(() => parseConnectome({ ...tinyFile(good), connections: 'x' })).toThrow(
      /invalid connectome file at connections/
    )
  })
})
