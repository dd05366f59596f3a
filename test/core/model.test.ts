import { describe, expect, it } from 'vitest'
import { pointsTask } from '../../src/core/tasks/tasks'
import { firedAt, tinySim } from '../helpers/tiny'

const FAR = pointsTask([[5000, 5000]]) // never sensed, never reached
const ALWAYS_TOUCH = { touchDistance: 1e9 }

describe('sensing', () => {
  const net: [string, string, number][] = [
    ['T', 'MDL10', 100],
    ['F', 'MDR10', 50]
  ]
  it('stimulates the nose-touch set when the closest wall is nearer than touchDistance', () => {
    const { sim } = tinySim(net, { startX: 50 })
    const r = sim.run(new Float64Array([100, 50]), FAR, { trace: true })
    expect(r.trace!.sensed[0]).toBe(1)
    expect(r.trace!.aLeft[0]).toBe(100)
    expect(r.trace!.aRight[0]).toBe(0)
  })
  it('does not stimulate touch at exactly touchDistance', () => {
    const { sim } = tinySim(net, { startX: 100 })
    const r = sim.run(new Float64Array([100, 50]), FAR, { trace: true })
    expect(r.trace!.sensed[0]).toBe(0)
    expect(r.trace!.aLeft[0]).toBe(0)
  })
  it('stimulates the chemosensory set when uneaten food is within the detection range', () => {
    const { sim } = tinySim(net)
    const near = sim.run(new Float64Array([100, 50]), pointsTask([[940, 600]]), { trace: true })
    expect(near.trace!.sensed[0]).toBe(2)
    expect(near.trace!.aRight[0]).toBe(50)
    const edge = sim.run(new Float64Array([100, 50]), pointsTask([[800, 750]]), { trace: true })
    expect(edge.trace!.sensed[0]).toBe(0) // d = 150 is not < D
  })
  it('stimulates both sets in the same step, leaving the sensors’ own potentials untouched', () => {
    const { c, sim } = tinySim(
      [
        ['T', 'MDL10', 100],
        ['F', 'MDR10', 50],
        ['T', 'F', 20]
      ],
      { startX: 50 }
    )
    const r = sim.run(c.w0, pointsTask([[190, 600]]), { trace: true })
    expect(r.trace!.sensed[0]).toBe(3)
    expect(r.trace!.aLeft[0]).toBe(100)
    expect(r.trace!.aRight[0]).toBe(50)
    // T and F are stimulated, never fired: F's potential grows by 20 per touch step but it is not T's.
    expect(firedAt(c, r.trace!, 0)).toEqual([])
  })
})

describe('synchronous firing with reset', () => {
  // T is stimulated every step. By hand:
  // step 0: nothing fires; V[A] = 31.
  // step 1: A fires (reset, V[B] = 40, aL = 10); T again: V[A] = 31. B does not fire in the same step.
  // step 2: A and B fire (both > 30 at the start); V[B] = 40, V[A] = 0 − 5 + 31 = 26; aL = 10, aR = 7.
  // step 3: only B fires; V[A] = 26 − 5 + 31 = 52; aL = 0 (muscles reset), aR = 7.
  // step 4: A fires again.
  const net: [string, string, number][] = [
    ['T', 'A', 31],
    ['A', 'B', 40],
    ['B', 'A', -5],
    ['A', 'MDL10', 10],
    ['B', 'MDR10', 7],
    ['A', 'MDL01', 1000] // head muscle: receives input, drives nothing
  ]
  it('follows the hand-worked sequence', () => {
    const { c, sim } = tinySim(net, ALWAYS_TOUCH)
    const tr = sim.run(c.w0, FAR, { trace: true }).trace!
    expect([0, 1, 2, 3, 4].map((t) => firedAt(c, tr, t))).toEqual([[], ['A'], ['A', 'B'], ['B'], ['A']])
    expect(Array.from(tr.aLeft.subarray(0, 5))).toEqual([0, 10, 10, 0, 10])
    expect(Array.from(tr.aRight.subarray(0, 5))).toEqual([0, 0, 7, 7, 0])
  })
  it('fires on |V| strictly above the threshold, for negative potentials too', () => {
    const { c, sim } = tinySim(
      [
        ['T', 'A', 30],
        ['T', 'B', -31]
      ],
      ALWAYS_TOUCH
    )
    const tr = sim.run(c.w0, FAR, { trace: true }).trace!
    expect(firedAt(c, tr, 1)).toEqual(['B']) // V[A] = 30 is not > 30; V[B] = −31 is
    expect(firedAt(c, tr, 2)).toEqual(['A', 'B']) // V[A] = 60
  })
})

describe('kinematics', () => {
  const drive = (wl: number, wr: number, params = {}) => {
    const { sim } = tinySim(
      [
        ['T', 'MDL10', wl],
        ['T', 'MDR10', wr]
      ],
      { ...ALWAYS_TOUCH, ...params }
    )
    return sim.run(new Float64Array([wl, wr]), FAR, { trace: true }).trace!
  }
  it('limits |v| to [10.7, 21.4] keeping its sign; v = 0 moves forward', () => {
    expect(drive(0, 0).speed[0]).toBe(10.7)
    expect(drive(10, 10).speed[0]).toBe(10.7) // v = 0.14·20 = 2.8
    expect(drive(50, 50).speed[0]).toBeCloseTo(14, 12) // v = 0.14·100 inside the limits
    expect(drive(100, 100).speed[0]).toBe(21.4)
    expect(drive(-10, -10).speed[0]).toBe(-10.7)
    expect(drive(-100, -100).speed[0]).toBe(-21.4)
    const back = drive(-10, -10)
    expect(back.x[1]).toBeCloseTo(800 - 10.7, 12)
  })
  it('turns by ω = k_a (a_left − a_right), heading kept in [0, 2π)', () => {
    const left = drive(10, 0)
    expect(left.heading[1]).toBeCloseTo(1, 12)
    expect(left.x[1]).toBeCloseTo(800 + 10.7 * Math.cos(1), 12)
    expect(left.y[1]).toBeCloseTo(600 + 10.7 * Math.sin(1), 12)
    const right = drive(0, 10)
    expect(right.heading[1]).toBeCloseTo(2 * Math.PI - 1, 12)
  })
  it('clamps the position into the arena', () => {
    const west = drive(0, 0, { startX: 5, startHeading: Math.PI, touchDistance: 0 })
    expect(west.x[1]).toBe(0)
    const east = drive(0, 0, { startX: 1595, touchDistance: 0 })
    expect(east.x[1]).toBe(1600)
    expect(east.x[2]).toBe(1600)
  })
})

describe('eating and reward', () => {
  it('eats food within C, pays partial reward within D, once per food', () => {
    // No activity: the worm moves +10.7 in x every step from (800, 600).
    const { c, sim } = tinySim([['A', 'B', 1]])
    const r = sim.run(
      c.w0,
      pointsTask([
        [820, 600],
        [900, 600]
      ]),
      { trace: true }
    )
    const partial = (d: number) => ((1 / 30) * (150 - d)) / 150
    // Food 0 is 9.3 away after step 0: eaten. Food 1 is eaten when x > 880, i.e. after step 7 (x = 885.6).
    expect(Array.from(r.trace!.eatenAt)).toEqual([0, 7])
    expect(r.foodEaten).toBe(2)
    let expected = 60
    for (let k = 0; k < 7; k++) expected += partial(100 - 10.7 * (k + 1))
    expect(r.reward).toBeCloseTo(expected, 10)
    expect(r.trace!.reward[0]).toBeCloseTo(30 + partial(89.3), 12)
    expect(r.trace!.reward[8]).toBe(0)
  })
})

describe('regularizer and genome distance', () => {
  it('reports L0, L2 and f = ΣR − λ·L0^1.3', () => {
    const { c, sim } = tinySim([
      ['A', 'B', 1],
      ['B', 'C', 2],
      ['C', 'A', 3]
    ])
    const g = c.w0.slice()
    g[0] += 3
    g[2] -= 4
    const r = sim.run(g, FAR)
    expect(r.l0).toBe(2)
    expect(r.l2).toBeCloseTo(5, 12)
    expect(r.fitness).toBeCloseTo(r.reward - 0.1 * Math.pow(2, 1.3), 12)
    const lam = tinySim([['A', 'B', 1]], { lambda: 0.5, cardinalityExponent: 1 })
    expect(lam.sim.run(new Float64Array([2]), FAR).fitness).toBeCloseTo(
      lam.sim.run(new Float64Array([2]), FAR).reward - 0.5,
      12
    )
  })
  it('rejects a genome of the wrong length', () => {
    const { sim } = tinySim([['A', 'B', 1]])
    expect(() => sim.run(new Float64Array(2), FAR)).toThrow(/2 weights.*has 1/)
  })
})
