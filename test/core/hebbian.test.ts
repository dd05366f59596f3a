import { describe, expect, it } from 'vitest'
import { PlasticMlp, type Controller } from '../../src/core/hebbian/network'
import { HEBBIAN_RULES, RULE_COEFFICIENTS, ruleDelta, type HebbianRule } from '../../src/core/hebbian/rules'
import { Rng } from '../../src/core/util/rng'

// A 2-3-1 network: layer 1 is W1 (3×2, weights 0…5), layer 2 is W2 (1×3, weights 6…8); 9 synapses.
const SIZES = [2, 3, 1]
// Activations written by hand (update() reads the activations of the last forward; setting them directly
// isolates the rule from the forward pass).
const O0 = [1, 0.5]
const O1 = [0.5, -1, 0.25]
const O2 = [-0.5]

function net(controller: Controller, normalise = false, sizes = SIZES): PlasticMlp {
  return new PlasticMlp({ sizes, controller, outputTanh: true, normalise })
}
const hebb = (rule: HebbianRule): Controller => ({ kind: 'hebbian', rule, init: 'uniform' })

function setActivations(m: PlasticMlp): void {
  m.activations[0].set(O0)
  m.activations[1].set(O1)
  m.activations[2].set(O2)
}

/** The rule written out from the spec (hebbian-environments.md §1), row v in the authors' order. */
function specDelta(rule: HebbianRule, v: number[], i: number, j: number): number {
  switch (rule) {
    case 'A': {
      const [A] = v
      return A * i * j
    }
    case 'AD': {
      const [A, D] = v
      return A * i * j + D
    }
    case 'AD_lr': {
      const [A, D, eta] = v
      return eta * (A * i * j + D)
    }
    case 'ABC': {
      const [A, B, C] = v
      return A * i * j + B * i + C * j
    }
    case 'ABC_lr': {
      const [A, B, C, eta] = v
      return eta * (A * i * j + B * i + C * j)
    }
    case 'ABCD': {
      const [A, B, C, D] = v
      return A * i * j + B * i + C * j + D
    }
    case 'ABCD_lr': {
      const [A, B, C, eta, D] = v
      return eta * (A * i * j + B * i + C * j + D)
    }
  }
}

describe('Hebbian rules', () => {
  it('counts the coefficients of every variant, and the genome length follows', () => {
    expect(HEBBIAN_RULES.map((r) => RULE_COEFFICIENTS[r])).toEqual([1, 2, 3, 3, 4, 4, 5])
    for (const r of HEBBIAN_RULES) expect(net(hebb(r)).genomeLength).toBe(9 * RULE_COEFFICIENTS[r])
    const quad = net(hebb('ABCD_lr'), false, [28, 128, 64, 8])
    expect(quad.synapses).toBe(12288)
    expect(quad.genomeLength).toBe(61440)
    expect(net({ kind: 'static' }).genomeLength).toBe(9)
  })

  // Row [1, 2, 3, 0.5, 4] (truncated to k) on a synapse with pre i = 1, post j = −1, worked by hand:
  // A·i·j = −1, B·i = 2, C·j = −3.
  const HAND: Record<HebbianRule, number> = {
    A: -1, //                    A=1:            1·1·(−1)
    AD: 1, //                    A=1, D=2:       −1 + 2
    AD_lr: 3, //                 A=1, D=2, η=3:  3·(−1 + 2)
    ABC: -2, //                  A,B,C=1,2,3:    −1 + 2 − 3
    ABC_lr: -1, //               η=0.5:          0.5·(−2)
    ABCD: -1.5, //               D=0.5:          −2 + 0.5
    ABCD_lr: 1 //                η=0.5, D=4:     0.5·(−2 + 4)
  }
  for (const rule of HEBBIAN_RULES) {
    it(`${rule}: a hand-computed synapse, in the authors' coefficient order`, () => {
      const k = RULE_COEFFICIENTS[rule]
      const row = [1, 2, 3, 0.5, 4].slice(0, k)
      expect(ruleDelta(rule, row, 0, 1, -1)).toBeCloseTo(HAND[rule], 12)
      // The same in the network: every row = `row`; synapse W1[j=1][i=0] has pre O0[0] = 1, post O1[1] = −1.
      const m = net(hebb(rule))
      const genome = new Float64Array(m.genomeLength)
      for (let r = 0; r < m.synapses; r++) genome.set(row, r * k)
      m.setGenome(genome)
      m.weights.fill(0.01)
      setActivations(m)
      m.update()
      expect(m.weights[1 * 2 + 0] - 0.01).toBeCloseTo(HAND[rule], 12)
    })

    it(`${rule}: the whole 2-3-1 update against the spec's formula`, () => {
      const k = RULE_COEFFICIENTS[rule]
      const m = net(hebb(rule))
      // Row r, coefficient t: a distinct small number per (r, t).
      const coef = (r: number, t: number) => 0.1 * (t + 1) - 0.03 * r
      const genome = new Float64Array(m.genomeLength)
      for (let r = 0; r < m.synapses; r++) for (let t = 0; t < k; t++) genome[r * k + t] = coef(r, t)
      m.setGenome(genome)
      const w0 = [0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.5, -0.3, 0.2]
      m.weights.set(w0)
      setActivations(m)
      m.update()
      const rowOf = (r: number) => Array.from({ length: k }, (_, t) => coef(r, t))
      // Layer 1: W1[j][i] at j·2 + i, row i·3 + j; pre O0[i], post O1[j].
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          expect(m.weights[j * 2 + i]).toBeCloseTo(
            w0[j * 2 + i] + specDelta(rule, rowOf(i * 3 + j), O0[i], O1[j]),
            12
          )
      // Layer 2: W2[0][i] at 6 + i, row 6 + i·1 + 0; pre O1[i], post O2[0].
      for (let i = 0; i < 3; i++)
        expect(m.weights[6 + i]).toBeCloseTo(w0[6 + i] + specDelta(rule, rowOf(6 + i), O1[i], O2[0]), 12)
    })
  }

  it('uses coefficient row offset + i·n_out + j for synapse W[j][i] (not j·n_in + i)', () => {
    const m = net(hebb('A'))
    m.setGenome(Float64Array.from({ length: 9 }, (_, r) => r + 1)) // A of row r = r + 1
    m.weights.fill(0)
    for (const a of m.activations) a.fill(1) // Δw = A
    m.update()
    // Layer 1 weight W1[j][i] (index j·2 + i) takes row i·3 + j: index 1 = W1[0][1] → row 3 → A = 4.
    expect(Array.from(m.weights.subarray(0, 6))).toEqual([1, 4, 2, 5, 3, 6])
    expect(Array.from(m.weights.subarray(6))).toEqual([7, 8, 9])
  })
})

describe('PlasticMlp', () => {
  const W = [0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.5, -0.3, 0.2]
  const X = [1, -0.5]
  // By hand: W1·x = [0.1 + 0.1, 0.3 − 0.025, −0.4 − 0.1] = [0.2, 0.275, −0.5].
  const h1 = [Math.tanh(0.2), Math.tanh(0.275), Math.tanh(-0.5)]
  const z2 = 0.5 * h1[0] - 0.3 * h1[1] + 0.2 * h1[2]

  it('forward: tanh hidden layers, the last layer tanh only with outputTanh', () => {
    for (const outputTanh of [true, false]) {
      const m = new PlasticMlp({ sizes: SIZES, controller: { kind: 'static' }, outputTanh, normalise: false })
      m.setGenome(W)
      const out = m.forward(X)
      expect(Array.from(m.activations[0])).toEqual(X)
      for (let j = 0; j < 3; j++) expect(m.activations[1][j]).toBeCloseTo(h1[j], 14)
      expect(out[0]).toBeCloseTo(outputTanh ? Math.tanh(z2) : z2, 14)
      expect(out).toBe(m.activations[2])
    }
  })

  it('update after a forward uses that forward as pre and post', () => {
    const m = net(hebb('ABCD_lr'))
    const g = Float64Array.from({ length: m.genomeLength }, (_, s) => 0.05 * ((s % 7) - 3))
    m.setGenome(g)
    m.weights.set(W)
    m.forward(X)
    const o1 = Array.from(m.activations[1])
    const o2 = m.activations[2][0]
    m.update()
    const row = (r: number) => Array.from(g.subarray(r * 5, r * 5 + 5))
    expect(m.weights[2 * 2 + 1]).toBeCloseTo(W[5] + specDelta('ABCD_lr', row(1 * 3 + 2), X[1], o1[2]), 12)
    expect(m.weights[6 + 2]).toBeCloseTo(W[8] + specDelta('ABCD_lr', row(6 + 2), o1[2], o2), 12)
  })

  it('normalise: each layer divided by its own max|w| after the update', () => {
    const plain = net(hebb('ABCD'))
    const norm = net(hebb('ABCD'), true)
    const g = Float64Array.from({ length: plain.genomeLength }, (_, s) => 0.1 * Math.sin(s + 1))
    for (const m of [plain, norm]) {
      m.setGenome(g)
      m.weights.set(W)
      setActivations(m)
      m.update()
    }
    for (const [a, b] of [
      [0, 6],
      [6, 9]
    ]) {
      const layer = Array.from(plain.weights.subarray(a, b))
      const max = Math.max(...layer.map(Math.abs))
      expect(max).not.toBeCloseTo(1, 3) // the test would be vacuous otherwise
      for (let s = a; s < b; s++) expect(norm.weights[s]).toBeCloseTo(plain.weights[s] / max, 14)
      expect(Math.max(...Array.from(norm.weights.subarray(a, b)).map(Math.abs))).toBeCloseTo(1, 14)
    }
  })

  it('static: the genome is the weights, update is a no-op, reset restores the genome', () => {
    const m = net({ kind: 'static' }, true)
    m.setGenome(W)
    expect(Array.from(m.weights)).toEqual(W)
    m.forward(X)
    m.update()
    expect(Array.from(m.weights)).toEqual(W)
    m.weights[3] = 7
    m.resetWeights(new Rng(1))
    expect(Array.from(m.weights)).toEqual(W)
  })

  it('hebbian: weights redrawn every reset from the rng, reproducible from the seed', () => {
    for (const init of ['uniform', 'normal'] as const) {
      const m = new PlasticMlp({
        sizes: [28, 128, 64, 8],
        controller: { kind: 'hebbian', rule: 'ABCD_lr', init },
        outputTanh: true,
        normalise: false
      })
      m.setGenome(new Float64Array(m.genomeLength).fill(0.1))
      const rng = new Rng(42)
      m.resetWeights(rng)
      const first = Float64Array.from(m.weights)
      m.forward(new Float64Array(28).fill(0.5))
      m.update()
      expect(m.weights).not.toEqual(first)
      m.resetWeights(rng) // the next lifetime: a fresh draw, not the previous lifetime's end
      const second = Float64Array.from(m.weights)
      expect(second).not.toEqual(first)
      m.resetWeights(new Rng(42))
      expect(m.weights).toEqual(first)
      const w = Array.from(first)
      const mean = w.reduce((s, x) => s + x, 0) / w.length
      const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length)
      if (init === 'uniform') {
        expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.1)
        expect(sd).toBeCloseTo(0.2 / Math.sqrt(12), 2)
      } else {
        expect(sd).toBeCloseTo(0.1, 2)
        expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.2)
      }
      expect(Math.abs(mean)).toBeLessThan(0.005)
    }
  })

  it('rejects genomes and inputs of the wrong length', () => {
    const m = net(hebb('AD'))
    expect(() => m.setGenome(new Float64Array(9))).toThrow(/expected 18/)
    expect(() => m.forward([1, 2, 3])).toThrow(/expected 2/)
  })
})
