/**
 * The runs table's pure helpers: filtering by text and by facet, grouping by sweep, Shift-click ranges,
 * and the remembered settings read back from localStorage (a corrupt value falls back to its default).
 */
import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../../src/shared/api'
import {
  facetOptions,
  filterRuns,
  groupBySweep,
  isFiltered,
  NO_FILTERS,
  NO_SWEEP,
  rangeOf,
  type RunFilters
} from '../../src/renderer/src/lib/filterRuns'
import { DEFAULT_PREFS, parsePrefs, serializePrefs } from '../../src/renderer/src/lib/runsViewPrefs'
import { sortRuns } from '../../src/renderer/src/lib/sortRuns'

let n = 0
function run(over: Partial<RunSummary>): RunSummary {
  n++
  return {
    id: `r${String(n).padStart(4, '0')}abcd`,
    name: `run ${n}`,
    algorithm: 'ea',
    task: 'pentagon',
    environment: 'worm',
    genomeLength: 10,
    layoutHash: 'h',
    seed: n,
    status: 'completed',
    budget: { generations: 3 },
    generation: 3,
    evaluations: 30,
    bestFitness: n,
    bestMetrics: null,
    wallSeconds: 1,
    fraction: 1,
    live: null,
    ownerPid: null,
    stopping: null,
    actions: ['delete', 'rename'],
    sweepId: null,
    tags: [],
    notes: '',
    error: null,
    codeVersion: 'test',
    createdAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`,
    updatedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    ...over
  }
}

const runs = [
  run({ name: 'baseline ea', tags: ['baseline'], sweepId: 's1' }),
  run({ algorithm: 'renomad', sweepId: 's1', notes: 'Promising seed, try more MADS' }),
  run({ algorithm: 'renomad', task: 'square', status: 'failed', sweepId: 's2' }),
  run({ environment: 'quadratic', task: 'sphere-50', tags: ['toy', 'lr:0.1'] }),
  run({ status: 'running', name: 'long one' })
]
const ids = (rs: RunSummary[]): number[] => rs.map((r) => runs.indexOf(r))
const f = (over: Partial<RunFilters>): RunFilters => ({ ...NO_FILTERS, ...over })

describe('filterRuns', () => {
  it('keeps everything, in order, without filters', () => {
    expect(ids(filterRuns(runs, NO_FILTERS))).toEqual([0, 1, 2, 3, 4])
    expect(isFiltered(NO_FILTERS)).toBe(false)
    expect(isFiltered(f({ text: '  ' }))).toBe(false)
    expect(isFiltered(f({ task: 'square' }))).toBe(true)
  })

  it('finds text in the name, id, tags and notes, case-insensitively, every word', () => {
    expect(ids(filterRuns(runs, f({ text: 'BASELINE' })))).toEqual([0])
    expect(ids(filterRuns(runs, f({ text: 'mads' })))).toEqual([1])
    expect(ids(filterRuns(runs, f({ text: 'lr:0.1' })))).toEqual([3])
    expect(ids(filterRuns(runs, f({ text: runs[2].id.slice(0, 5) })))).toEqual([2])
    expect(ids(filterRuns(runs, f({ text: 'promising try' })))).toEqual([1])
    expect(ids(filterRuns(runs, f({ text: 'promising nothing' })))).toEqual([])
  })

  it('filters by status, algorithm, task, environment and sweep, together', () => {
    expect(ids(filterRuns(runs, f({ status: 'failed' })))).toEqual([2])
    expect(ids(filterRuns(runs, f({ algorithm: 'renomad' })))).toEqual([1, 2])
    expect(ids(filterRuns(runs, f({ task: 'pentagon' })))).toEqual([0, 1, 4])
    expect(ids(filterRuns(runs, f({ environment: 'quadratic' })))).toEqual([3])
    expect(ids(filterRuns(runs, f({ sweep: 's1' })))).toEqual([0, 1])
    expect(ids(filterRuns(runs, f({ sweep: NO_SWEEP })))).toEqual([3, 4])
    expect(ids(filterRuns(runs, f({ sweep: 's1', algorithm: 'renomad' })))).toEqual([1])
    expect(ids(filterRuns(runs, f({ sweep: 's2', algorithm: 'ea' })))).toEqual([])
  })

  it('lists each facet value with its count', () => {
    expect(facetOptions(runs, 'algorithm')).toEqual([
      { value: 'ea', count: 3 },
      { value: 'renomad', count: 2 }
    ])
    expect(facetOptions(runs, 'sweep')).toEqual([
      { value: NO_SWEEP, count: 2 },
      { value: 's1', count: 2 },
      { value: 's2', count: 1 }
    ])
  })
})

describe('groupBySweep', () => {
  const sweeps = [
    { id: 's1', name: 'first sweep', createdAt: '2026-01-01T00:00:00Z' },
    { id: 's2', name: 'second sweep', createdAt: '2026-01-02T00:00:00Z' }
  ]

  it('puts the newest sweep first and runs of no sweep last, keeping the sort inside each group', () => {
    const sorted = sortRuns(runs, 'fitness', true)
    const groups = groupBySweep(sorted, sweeps)
    expect(groups.map((g) => [g.key, g.name, ids(g.runs)])).toEqual([
      ['s2', 'second sweep', [2]],
      ['s1', 'first sweep', [1, 0]],
      [NO_SWEEP, 'Not in a sweep', [4, 3]]
    ])
  })

  it('names an unknown sweep by its id, and makes no empty groups', () => {
    const groups = groupBySweep([run({ sweepId: 'sX' })], [])
    expect(groups.map((g) => [g.key, g.name, g.runs.length])).toEqual([['sX', 'sX', 1]])
    expect(groupBySweep([], sweeps)).toEqual([])
  })
})

describe('rangeOf', () => {
  const order = ['a', 'b', 'c', 'd', 'e']
  it('spans the anchor to the row, either way, both included', () => {
    expect(rangeOf(order, 'b', 'd')).toEqual(['b', 'c', 'd'])
    expect(rangeOf(order, 'e', 'c')).toEqual(['c', 'd', 'e'])
    expect(rangeOf(order, 'c', 'c')).toEqual(['c'])
  })
  it('is the row alone without an anchor on screen, and nothing for a row off screen', () => {
    expect(rangeOf(order, null, 'b')).toEqual(['b'])
    expect(rangeOf(order, 'zz', 'b')).toEqual(['b'])
    expect(rangeOf(order, 'a', 'zz')).toEqual([])
  })
})

describe('remembered settings', () => {
  it('round-trips', () => {
    const p = {
      filters: f({ text: 'baseline', algorithm: 'ea', sweep: NO_SWEEP }),
      sort: { key: 'fitness' as const, desc: false },
      groupBySweep: true,
      collapsed: ['s1']
    }
    expect(parsePrefs(serializePrefs(p))).toEqual(p)
  })

  it('falls back to the defaults for nothing stored, bad JSON, or a value of the wrong shape', () => {
    for (const raw of [null, '', '{not json', '[1,2]', '42', 'null', '"text"'])
      expect(parsePrefs(raw), String(raw)).toEqual(DEFAULT_PREFS)
  })

  it('replaces only the corrupt fields', () => {
    const raw = JSON.stringify({
      filters: { text: 'kept', status: 7, algorithm: 'renomad' },
      sort: { key: 'nonsense', desc: false },
      groupBySweep: 'yes',
      collapsed: ['s1', 3]
    })
    const p = parsePrefs(raw)
    expect(p.filters).toEqual(f({ text: 'kept', algorithm: 'renomad' }))
    expect(p.sort).toEqual(DEFAULT_PREFS.sort)
    expect(p.groupBySweep).toBe(false)
    expect(p.collapsed).toEqual([])
    expect(parsePrefs(JSON.stringify({ sort: { key: 'seed', desc: false } })).sort).toEqual({
      key: 'seed',
      desc: false
    })
  })
})
