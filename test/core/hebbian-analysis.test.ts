/**
 * The paper's analyses (src/core/analysis/hebbian) on a short quadruped lifetime (60 steps), against what
 * each intervention must mean: freezing at 0 is the initial weights throughout, freezing at the lifetime
 * changes nothing, a perturbation leaves the steps before it untouched, pruning zeroes exactly round(n/3)
 * weights, the dual-form PCA agrees with ml-pca's SVD, and the damage table's solved rule.
 */
import { PCA } from 'ml-pca'
import { Matrix } from 'ml-matrix'
import { beforeAll, describe, expect, it } from 'vitest'
import { analysisChartOption } from '../../src/core/analysis/analysis-chart'
import { analysisSeriesCsv, analysisTableCsv } from '../../src/core/analysis/analysis-csv'
import {
  AnalysisParamError,
  composeHooks,
  damageTableOutput,
  freezeAnalysis,
  movingMean,
  parseAnalysisParams,
  pcaAnalysis,
  pruneAnalysis,
  pruneHooks,
  pruneIndices,
  recoveryOf,
  runAnalysis,
  saturateAnalysis,
  saturateHooks,
  weightPca,
  type AnalysisSubject
} from '../../src/core/analysis/hebbian'
import { QuadrupedEnvironment } from '../../src/core/env/quadruped/env'
import { Rng } from '../../src/core/util/rng'
import { loadMujoco } from '../../src/engine/mujoco'

const STEPS = 60
let env: QuadrupedEnvironment
let statics: QuadrupedEnvironment
let run: AnalysisSubject
let genome: Float64Array

beforeAll(async () => {
  const mj = await loadMujoco()
  env = new QuadrupedEnvironment({ id: 'quadruped', steps: STEPS }, () => mj)
  statics = new QuadrupedEnvironment(
    { id: 'quadruped', steps: STEPS, controller: { kind: 'static' } },
    () => mj
  )
  // Coefficients of the ES's scale (N(0, 1) × 0.1): weights that move within 60 steps but stay finite.
  const rng = new Rng(7)
  genome = Float64Array.from({ length: env.layout.length }, () => 0.1 * rng.normal())
  run = { env, genome, label: 'Hebbian' }
})

describe('freeze', () => {
  it('at t = 0 is the initial random weights throughout (zero coefficients), at t = lifetime the plain episode', () => {
    const r = freezeAnalysis(run, { episodes: 3, freezeAt: [0, 20, STEPS + 100] })
    const s = r.series[0]
    expect(s.x).toEqual([0, 20, STEPS]) // clipped to the lifetime, which is always the last point
    const mean = (f: (e: number) => number) => [1, 2, 3].map(f).reduce((a, b) => a + b) / 3
    const zeros = new Float64Array(genome.length) // η = 0: no update ever changes a weight
    const frozen = mean((e) => env.episode(zeros, 'intact', e).fitness)
    const plain = mean((e) => env.episode(genome, 'intact', e).fitness)
    expect(s.y[0]).toBeCloseTo(frozen, 12)
    expect(s.y[2]).toBeCloseTo(plain, 12)
    expect(plain).not.toBeCloseTo(frozen, 3) // the updates matter, so the two ends are distinct
    expect(s.band!.lo[0]).toBeLessThanOrEqual(s.y[0])
    expect(r.params.freezeAt).toEqual([0, 20, STEPS])
  })

  it('refuses a static run', () => {
    const g = new Float64Array(statics.layout.length)
    expect(() => freezeAnalysis({ env: statics, genome: g, label: 'static' })).toThrow(AnalysisParamError)
  })
})

describe('perturbations', () => {
  it('saturate: every output is the value during the window, and nothing changes before it', () => {
    const seen: number[][] = []
    const spy = composeHooks({ action: (t, a) => void (t >= 20 && t < 30 && seen.push([...a])) })
    const r = saturateAnalysis(run, { episodes: 2, start: 20, duration: 10, window: 5 })
    expect(r.series.map((s) => s.name)).toEqual(['Hebbian, unperturbed', 'Hebbian, saturated'])
    const [base, sat] = r.series
    expect(base.x).toHaveLength(STEPS)
    for (let t = 0; t < 20; t++) expect(sat.y[t]).toBe(base.y[t])
    expect(sat.y.slice(20).some((v, i) => v !== base.y[20 + i])).toBe(true)
    // The hook order: the saturation is applied before later hooks see the action.
    env.episode(genome, 'intact', 1, composeHooks(saturateHooks(20, 10, 1), spy))
    expect(seen).toHaveLength(10)
    for (const a of seen) expect(a).toEqual(new Array(8).fill(1))
    expect(r.table!.rows).toHaveLength(1)
  })

  it('saturate refuses a window past the lifetime', () => {
    expect(() => saturateAnalysis(run, { start: 300 })).toThrow(/must end within the run's 60 steps/)
  })

  it('prune zeroes exactly round(n/3) weights at that step', () => {
    const n = env.net.synapses
    const idx = pruneIndices(n, 1 / 3, 5)
    expect(idx.length).toBe(Math.round(n / 3))
    expect(new Set(idx).size).toBe(idx.length)
    expect(Array.from(pruneIndices(n, 1 / 3, 5))).toEqual(Array.from(idx))
    const zeros: Record<number, number> = {}
    const count = {
      action: (t: number, _a: Float64Array, net: { weights: Float64Array }) => {
        if (t === 9 || t === 10) zeros[t] = net.weights.filter((w) => w === 0).length
      }
    }
    env.episode(genome, 'intact', 1, composeHooks(pruneHooks(10, idx), count))
    expect(zeros[9]).toBe(0)
    expect(zeros[10]).toBe(Math.round(n / 3))
  })

  it('prune compares the Hebbian and the static network, each unchanged before the step', () => {
    const rng = new Rng(3)
    const weights = Float64Array.from({ length: statics.layout.length }, () => 0.3 * rng.normal())
    const r = pruneAnalysis(
      run,
      { episodes: 2, at: 30, window: 5 },
      { env: statics, genome: weights, label: 'static' }
    )
    expect(r.series.map((s) => s.name)).toEqual([
      'Hebbian, unperturbed',
      'Hebbian, pruned',
      'static, unperturbed',
      'static, pruned'
    ])
    for (const [a, b] of [
      [0, 1],
      [2, 3]
    ]) {
      expect(r.series[b].y.slice(0, 30)).toEqual(r.series[a].y.slice(0, 30))
      expect(r.series[b].y.slice(30)).not.toEqual(r.series[a].y.slice(30))
    }
    expect(r.table!.rows.map((row) => row[0])).toEqual(['Hebbian', 'static'])
  })

  it('recovery: the first step whose next-window mean is back to the threshold', () => {
    const base = new Array(40).fill(1)
    const pert = [...new Array(10).fill(1), ...new Array(10).fill(0), ...new Array(20).fill(1)]
    // From step 10, the mean over the next 4 steps reaches 0.9 only once all 4 are back (step 20).
    expect(recoveryOf(base, pert, 10, 4, 0.9)).toEqual({ steps: 10, reference: 1 })
    expect(recoveryOf(base, pert, 10, 4, 0.5).steps).toBe(8) // 2 of 4 back at step 18
    expect(recoveryOf(base, new Array(40).fill(0), 10, 4, 0.9).steps).toBeNull()
    expect(recoveryOf(new Array(40).fill(-1), pert, 10, 4, 0.9)).toEqual({ steps: null, reference: -1 })
    expect(movingMean([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5])
  })
})

describe('pca', () => {
  it('agrees with ml-pca on the data itself (scores up to sign, explained variance)', () => {
    const rng = new Rng(11)
    const rows = Array.from({ length: 30 }, (_, t) =>
      Float64Array.from(
        { length: 50 },
        (_, j) => Math.sin(t / 5 + j) + 0.3 * Math.cos(t / 2 - j) + 0.05 * rng.normal()
      )
    )
    const mine = weightPca(rows)
    const ref = new PCA(
      rows.map((r) => Array.from(r)),
      { method: 'SVD' }
    )
    const refScores = ref.predict(new Matrix(rows.map((r) => Array.from(r))), { nComponents: 3 })
    const refExplained = ref.getExplainedVariance().slice(0, 3)
    for (let k = 0; k < 3; k++) {
      expect(mine.explained[k]).toBeCloseTo(refExplained[k], 9)
      const col = refScores.getColumn(k)
      const sign = Math.sign(col[0] * mine.scores[k][0]) || 1
      for (let i = 0; i < rows.length; i++) expect(mine.scores[k][i]).toBeCloseTo(sign * col[i], 6)
    }
  })

  it('returns 3 components of a lifetime, evolved and random, with decreasing variance summing to ≤ 1', () => {
    const r = pcaAnalysis(run, { episode: 2 })
    expect(r.series).toHaveLength(2)
    expect(r.zLabel).toBe('PC3')
    for (const s of r.series) {
      expect(s.x).toHaveLength(STEPS)
      expect(s.y).toHaveLength(STEPS)
      expect(s.z).toHaveLength(STEPS)
    }
    expect(r.series[0].x).not.toEqual(r.series[1].x)
    const pct = (c: string) => Number(c.replace('%', '')) / 100
    for (const row of r.table!.rows) {
      const ex = row.slice(1, 4).map(pct)
      expect(ex[0]).toBeGreaterThan(0)
      expect(ex[0]).toBeGreaterThanOrEqual(ex[1])
      expect(ex[1]).toBeGreaterThanOrEqual(ex[2])
      expect(ex[0] + ex[1] + ex[2]).toBeLessThanOrEqual(1.001)
    }
  })

  it('explained variance of the raw function: decreasing, in [0, 1], summing to ≤ 1', () => {
    const rows: Float64Array[] = []
    const rng = new Rng(1)
    const w = new Float64Array(40)
    for (let t = 0; t < 25; t++) {
      for (let j = 0; j < w.length; j++) w[j] += rng.normal()
      rows.push(Float64Array.from(w))
    }
    const { explained } = weightPca(rows)
    expect(explained).toHaveLength(3)
    expect(explained[0]).toBeGreaterThanOrEqual(explained[1])
    expect(explained[1]).toBeGreaterThanOrEqual(explained[2])
    expect(explained[2]).toBeGreaterThan(0)
    expect(explained.reduce((a, b) => a + b)).toBeLessThanOrEqual(1 + 1e-12)
  })
})

describe('damage table', () => {
  const params = parseAnalysisParams('damage-table', { episodes: 4 })
  const arm = (label: string, controller: 'hebbian' | 'static', left: number[]) => ({
    label,
    controller,
    seen: ['intact', 'right'] as const,
    rollouts: {
      intact: { fitness: [200, 300, 400, 500], distance: [3, 5, 7, 9] },
      right: { fitness: [100, 100, 100, 100], distance: [1.7, 1.7, 1.7, 1.7] },
      left: { fitness: left, distance: left.map((f) => f / 57.9) }
    }
  })

  it('one row per morphology and network, solved = mean Σ progress ≥ 100, seen from the run', () => {
    const r = damageTableOutput(params, [
      arm('Hebbian', 'hebbian', [150, 50, 120, 80]),
      arm('static', 'static', [160, 40, 120, 79.2])
    ])
    const rows = r.table!.rows
    expect(rows.map((x) => [x[0], x[1], x[2]])).toEqual([
      ['no damage', 'seen', 'Hebbian'],
      ['no damage', 'seen', 'static'],
      ['right front leg', 'seen', 'Hebbian'],
      ['right front leg', 'seen', 'static'],
      ['left front leg', 'unseen', 'Hebbian'],
      ['left front leg', 'unseen', 'static']
    ])
    expect(rows[0][3]).toBe('350 ± 129') // mean 350, sample std 129.1
    expect(rows.map((x) => x[5])).toEqual(['True', 'True', 'True', 'True', 'True', 'False'])
    expect(rows[4][6]).toBe('2/4') // 150 and 120 reach 100
    expect(rows[5][6]).toBe('2/4')
    expect(rows[5][7]).toBe('68 ± 56') // the paper's static, unseen
    expect(r.series.map((s) => s.y)).toEqual([
      [350, 100, 100],
      [350, 100, 99.8]
    ])
    expect(analysisTableCsv(r.table!).split('\n')[0]).toBe(
      'damage,seen / unseen,network,distance (Σ progress),distance (m),solved,rollouts ≥ 100,paper'
    )
    expect(analysisChartOption({ ...r }).series).toHaveLength(2)
  })

  it('refuses a second run where the analysis takes none, and unknown parameters', () => {
    expect(() => runAnalysis('freeze', {}, run, run)).toThrow(/freeze: takes no second run/)
    expect(() => parseAnalysisParams('freeze', { episode: 3 })).toThrow(/freeze: .*episode/)
    expect(() => parseAnalysisParams('damage-table', { morphologies: ['left', 'left'] })).toThrow(
      /at most once/
    )
  })
})

describe('csv and chart', () => {
  it('long-form series with the band, and an option per kind', () => {
    const r = freezeAnalysis(run, { episodes: 2, freezeAt: [0, 30] })
    const csv = analysisSeriesCsv(r).trim().split('\n')
    expect(csv[0]).toBe('series,x,y,lo,hi')
    expect(csv).toHaveLength(1 + 3)
    expect(csv[1].startsWith('Hebbian,0,')).toBe(true)
    const opt = analysisChartOption(r)
    // the band (2 series) and the line
    expect(opt.series).toHaveLength(3)
  })
})
