import { describe, expect, it } from 'vitest'
import { representatives, togglePick } from '../../src/renderer/src/lib/compareRepresentatives'

const groups = [
  {
    key: 'ea',
    finals: [
      { runId: 'a1', value: 3 },
      { runId: 'a2', value: 9 },
      { runId: 'a3', value: 5 }
    ]
  },
  {
    key: 'es',
    finals: [
      { runId: 'b1', value: 7 },
      { runId: 'b2', value: 1 }
    ]
  },
  { key: 'renomad', finals: [{ runId: 'c1', value: 4 }] }
]

describe('the side-by-side picks of the Compare view', () => {
  it("takes each group's best run, in group order, up to max", () => {
    expect(representatives(groups, 2)).toEqual(['a2', 'b1'])
    expect(representatives(groups, 3)).toEqual(['a2', 'b1', 'c1'])
  })

  it('fills the places the groups leave with the other runs, best first', () => {
    expect(representatives(groups, 5)).toEqual(['a2', 'b1', 'c1', 'a3', 'a1'])
    expect(representatives([groups[0]], 2)).toEqual(['a2', 'a3'])
    expect(representatives([], 2)).toEqual([])
  })

  it('holds at most max picks: a new one pushes out the oldest; a picked one is dropped', () => {
    expect(togglePick(['a', 'b'], 'c', 2)).toEqual(['b', 'c'])
    expect(togglePick(['a', 'b'], 'a', 2)).toEqual(['b'])
    expect(togglePick([], 'a', 2)).toEqual(['a'])
  })
})
