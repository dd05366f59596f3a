import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { genomeToCsv, genomeToJson } from '../../src/core/connectome/genome'
import { readGenomeFile } from '../../src/engine/genome-file'
import { decodeNpy, encodeNpyFloat64 } from '../../src/engine/formats/npy'
import { readConnectome } from '../../src/engine/resources'
import { tempDir } from '../helpers/cli'

const c = readConnectome()
const dir = tempDir()
const trained = c.w0.map((w, k) => (k % 97 === 0 ? w + 0.5 * (k % 7) - 1.25 : w))

describe('genome files', () => {
  it('round-trips JSON, CSV and .npy exactly', () => {
    writeFileSync(join(dir, 'g.json'), JSON.stringify(genomeToJson(c, trained)))
    writeFileSync(join(dir, 'g.npy'), encodeNpyFloat64(trained))
    // CSV with shuffled rows and an extra column: matched by name, in any order.
    const rows = genomeToCsv(c, trained).trim().split('\n')
    const shuffled = [rows[0], ...rows.slice(1).reverse()]
      .map((r) => r.split(','))
      .map(([pre, post, , w]) => `${post === 'post' ? 'weight' : w},${pre},${post}`)
    writeFileSync(join(dir, 'g.csv'), shuffled.join('\n').replace(/^weight,pre,post/, 'weight,pre,post'))
    for (const f of ['g.json', 'g.npy', 'g.csv'])
      expect(Array.from(readGenomeFile(join(dir, f), c))).toEqual(Array.from(trained))
  })
  it('writes .npy following the format specification', () => {
    const buf = encodeNpyFloat64([1.5, -2, Math.PI])
    expect(Array.from(buf.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
    const hlen = buf.readUInt16LE(8)
    expect((10 + hlen) % 64).toBe(0)
    const header = buf.toString('latin1', 10, 10 + hlen)
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(3,\), \} *\n$/)
    expect(buf.readDoubleLE(10 + hlen + 16)).toBe(Math.PI)
    expect(Array.from(decodeNpy(buf))).toEqual([1.5, -2, Math.PI])
  })
  it('is read back exactly by numpy.load when Python with NumPy is present', () => {
    const path = join(dir, 'np.npy')
    writeFileSync(path, encodeNpyFloat64(trained))
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import numpy,sys; a=numpy.load(sys.argv[1]); print(a.dtype, a.shape, repr(float(a.sum())))`,
        path
      ],
      {
        encoding: 'utf8'
      }
    )
    if (py.status !== 0) return // no python/numpy: the spec test above covers the format
    const sum = trained.reduce((a, b) => a + b, 0)
    expect(py.stdout.trim()).toBe(`float64 (3689,) ${String(sum)}`)
  })
})

describe('bad genome files give a clear error', () => {
  const write = (name: string, data: string | Buffer) => {
    const p = join(dir, name)
    writeFileSync(p, data)
    return p
  }
  const json = (weights: unknown[], extra = {}) =>
    JSON.stringify({ ...genomeToJson(c, c.w0), weights, ...extra })
  it.each([
    [
      'wrong length (json)',
      () => write('short.json', json([1, 2, 3])),
      /genome has 3 weights, connectome 'gopigo2014' has 3689/
    ],
    ['wrong length (npy)', () => write('short.npy', encodeNpyFloat64([1, 2])), /genome has 2 weights/],
    [
      'NaN (npy)',
      () => write('nan.npy', encodeNpyFloat64(Array.from(c.w0, (w, k) => (k === 5 ? NaN : w)))),
      /weight 5 .* not a finite number: NaN/
    ],
    [
      'Infinity (npy)',
      () => write('inf.npy', encodeNpyFloat64(Array.from(c.w0, (w, k) => (k === 9 ? -Infinity : w)))),
      /weight 9 .*-Infinity/
    ],
    [
      'null in JSON (NaN written by Python json)',
      () => write('null.json', json(Array.from(c.w0, (w, k) => (k === 1 ? null : w)))),
      /weight 1 .* not a finite number: null/
    ],
    [
      'hash mismatch',
      () => write('hash.json', json(Array.from(c.w0), { pairsHash: '0000000000000000' })),
      /pairsHash mismatch/
    ],
    ['not JSON', () => write('bad.json', '{weights:'), /not valid JSON/],
    ['not a .npy', () => write('bad.npy', 'hello world, not numpy'), /bad magic/],
    ['unknown extension', () => write('g.txt', '1,2'), /use a \.json, \.npy or \.csv file/],
    ['unreadable file', () => join(dir, 'does-not-exist.json'), /cannot read genome file .*ENOENT/],
    [
      'CSV missing pair',
      () =>
        write(
          'missing.csv',
          genomeToCsv(c).replace('pre,post,w0', 'pre,post,weight').split('\n').slice(0, -2).join('\n')
        ),
      /missing 1 pair\(s\), first/
    ],
    [
      'CSV duplicated pair',
      () => write('dup.csv', 'pre,post,weight\nADAL,ADAR,1\nADAL,ADAR,2\n'),
      /line 3: duplicated pair ADAL -> ADAR/
    ],
    [
      'CSV unknown pair',
      () => write('unk.csv', 'pre,post,weight\nADAL,NOPE,1\n'),
      /line 2: unknown pair ADAL -> NOPE/
    ],
    [
      'CSV NaN',
      () => write('nan.csv', 'pre,post,weight\nADAL,ADAR,NaN\n'),
      /weight of ADAL -> ADAR is not finite: 'NaN'/
    ],
    [
      'CSV Infinity',
      () => write('inf.csv', 'pre,post,weight\nADAL,ADAR,Infinity\n'),
      /not finite: 'Infinity'/
    ],
    ['CSV without weight column', () => write('cols.csv', 'a,b,c\n'), /needs columns pre,post,weight/]
  ])('%s', (_name, make, message) => {
    expect(() => readGenomeFile(make(), c)).toThrow(message)
  })
  it('reports an unreadable (permission-denied) file when not running as root', () => {
    const p = write('locked.json', json(Array.from(c.w0)))
    chmodSync(p, 0o000)
    const isRoot = process.getuid?.() === 0
    if (isRoot) expect(readGenomeFile(p, c).length).toBe(3689)
    else expect(() => readGenomeFile(p, c)).toThrow(/EACCES/)
    chmodSync(p, 0o600)
    expect(readFileSync(p, 'utf8').length).toBeGreaterThan(0)
  })
})
