import { describe, expect, it } from 'vitest'
import { Rng } from '../../src/core/util/rng'

/** The dense partial Fisher–Yates that Rng.sample must reproduce draw for draw. */
function denseSample(rng: Rng, n: number, k: number): number[] {
  const pool = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i)
    ;[pool[i], pool[j]] = [pool[j], pool[i]]
  }
  return Array.from(pool.slice(0, k))
}

describe('Rng', () => {
  it('samples k distinct values exactly as the dense partial Fisher–Yates, in O(k) memory', () => {
    for (let seed = 0; seed < 100; seed++) {
      const n = 1 + ((seed * 37) % 4000)
      const k = Math.min(n, (seed * 7) % 60)
      const got = Array.from(new Rng(seed).sample(n, k))
      expect(got).toEqual(denseSample(new Rng(seed), n, k))
      expect(new Set(got).size).toBe(k)
      expect(got.every((v) => v >= 0 && v < n)).toBe(true)
    }
    expect(() => new Rng(1).sample(3, 4)).toThrow(/cannot draw 4 distinct values from 3/)
  })
  it('continues bit-identically from a saved state', () => {
    const a = new Rng(9)
    a.normal()
    const b = Rng.fromState(a.getState())
    expect([a.normal(), a.next(), a.nextUint32()]).toEqual([b.normal(), b.next(), b.nextUint32()])
  })
})
