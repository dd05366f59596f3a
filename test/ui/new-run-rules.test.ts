/** The New run form's rules and the curves' smoothing, without a browser (pure renderer helpers). */
import { describe, expect, it } from 'vitest'
import { describeConfig, PARAM_HELP, ALGORITHM_NAMES } from '../../src/core/training/config'
import { FIGS1_METHODS, PAPER_ROLLOUTS, PAPER_SEEDS } from '../../src/core/analysis/fig4-figure'
import {
  buildRequest,
  describeRule,
  paperFig4Preset,
  parseSeeds,
  type NewRunFields
} from '../../src/renderer/src/lib/newRun'
import { ema, runningMean } from '../../src/renderer/src/lib/smoothing'

const base: NewRunFields = {
  mode: 'run',
  algorithm: 'renomad',
  algorithms: ['renomad', 'ea'],
  environment: 'worm',
  dim: '50',
  task: { kind: 'polygon', name: 'pentagon' },
  seed: '1',
  seeds: '1-3',
  budgetKind: 'generations',
  budget: '10',
  params: {},
  name: ''
}

describe('new run rules', () => {
  it('every hyperparameter of every algorithm has a label and a help text', () => {
    for (const a of ALGORITHM_NAMES)
      for (const d of describeConfig(a)) {
        expect(PARAM_HELP[d.key], `${a}.${d.key}`).toBeDefined()
        expect(d.help.length).toBeGreaterThan(10)
      }
  })

  it('says ranges in words, from the schemas', () => {
    const d = (a: 'renomad' | 'es', k: string) => describeConfig(a).find((x) => x.key === k)!
    expect(describeRule(d('renomad', 'populationSize'))).toBe('a whole number from 2 to 10,000')
    expect(describeRule(d('renomad', 'madsEvaluations'))).toBe('a whole number from 1 to 100,000')
    expect(describeRule(d('renomad', 'parentFraction'))).toBe('a number above 0 and below 1')
    expect(describeRule(d('es', 'populationSize'))).toBe('an even whole number from 2 to 10,000')
  })

  it('the Paper Fig. 4 preset is the report’s design as a valid sweep, whatever the form held', () => {
    const typed: NewRunFields = {
      ...base,
      task: { kind: 'random', seed: '4' },
      params: { populationSize: '8' },
      name: 'mine'
    }
    const r = buildRequest(paperFig4Preset(typed))
    if ('errors' in r) throw new Error(JSON.stringify(r.errors))
    expect(r.sweep).toEqual({
      algorithms: FIGS1_METHODS,
      tasks: ['pentagon'],
      seeds: Array.from({ length: PAPER_SEEDS }, (_, i) => i + 1),
      budget: { evaluations: PAPER_ROLLOUTS },
      config: {},
      name: 'mine'
    })
  })

  it('parses seed lists and ranges, and names what is wrong', () => {
    expect(parseSeeds('1-3')).toEqual({ value: [1, 2, 3] })
    expect(parseSeeds('1, 2, 5')).toEqual({ value: [1, 2, 5] })
    expect(parseSeeds('1-3, 7')).toEqual({ value: [1, 2, 3, 7] })
    expect(parseSeeds('')).toMatchObject({ error: expect.stringMatching(/^Seeds: required/) })
    expect(parseSeeds('5-2')).toMatchObject({ error: expect.stringContaining('runs backwards') })
    expect(parseSeeds('1, 1')).toMatchObject({ error: 'Seeds: 1 is listed twice' })
    expect(parseSeeds('a')).toMatchObject({ error: expect.stringContaining("'a' is not a seed") })
    expect(parseSeeds('0-1000')).toMatchObject({ error: 'Seeds: at most 1,000 seeds in a sweep' })
  })

  it('an empty seed is an error, never seed 0', () => {
    const r = buildRequest({ ...base, seed: '' })
    expect(r).toEqual({ errors: { seed: 'Seed: required, a whole number from 0 to 4,294,967,295' } })
    const ok = buildRequest({ ...base, seed: '0' })
    expect('run' in ok && ok.run.seed).toBe(0)
  })

  it('builds a sweep whose hyperparameters go to the algorithms that have them', () => {
    const r = buildRequest({
      ...base,
      mode: 'sweep',
      params: { populationSize: '4', madsEvaluations: '12', mutationCount: '3' }
    })
    if (!('sweep' in r) || !r.sweep) throw new Error(JSON.stringify(r))
    expect(r.sweep).toMatchObject({
      algorithms: ['renomad', 'ea'],
      tasks: ['pentagon'],
      seeds: [1, 2, 3],
      budget: { generations: 10 },
      config: {
        renomad: { populationSize: 4, madsEvaluations: 12 },
        ea: { populationSize: 4, mutationCount: 3 }
      }
    })
  })

  it('offers a choice (selection, crossover) as its options, and passes a picked one through', () => {
    const sel = describeConfig('renomad').find((x) => x.key === 'selection')!
    expect(sel.options).toEqual(['proportional', 'shifted'])
    expect(sel.default).toBe('proportional')
    expect(describeConfig('renomad').find((x) => x.key === 'madsBound')!.options).toBeNull()
    const ok = buildRequest({ ...base, params: { selection: 'shifted', crossover: '' } })
    expect('run' in ok && ok.run.config).toEqual({ selection: 'shifted' })
    const bad = buildRequest({ ...base, params: { crossover: 'one-point' } })
    expect('errors' in bad && bad.errors['param-crossover']).toBe('Crossover: one of fitness, uniform')
  })

  it('a custom layout becomes a worm environment with its food', () => {
    const r = buildRequest({ ...base, task: { kind: 'custom', name: 'mine', food: [[1, 2]] } })
    expect('run' in r && r.run.environment).toEqual({ id: 'worm', task: 'custom:mine', food: [[1, 2]] })
    const empty = buildRequest({ ...base, task: { kind: 'custom', name: 'mine', food: [] } })
    expect(empty).toMatchObject({ errors: { layout: expect.stringContaining('at least one food source') } })
  })
})

describe('smoothing', () => {
  const pts: [number, number][] = [
    [1, 10],
    [2, 0],
    [3, 10],
    [4, 0]
  ]
  it('EMA is debiased (the first point is kept) and keeps x', () => {
    const s = ema(pts, 0.5)
    expect(s.map((p) => p[0])).toEqual([1, 2, 3, 4])
    expect(s[0][1]).toBe(10)
    // (0.5·10 + 0.5·0·…) by hand: acc = 2.5 after two points, norm 0.75.
    expect(s[1][1]).toBeCloseTo(5 / 1.5, 12)
    expect(ema(pts, 0)).toEqual(pts)
  })
  it('running mean over a trailing window', () => {
    expect(runningMean(pts, 2).map((p) => p[1])).toEqual([10, 5, 5, 5])
    expect(runningMean(pts, 1)).toEqual(pts)
    expect(() => runningMean(pts, 0)).toThrow(/whole number of at least 1/)
  })
})
