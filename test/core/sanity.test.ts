import { describe, expect, it } from 'vitest'
import { compileNetwork } from '../../src/core/model/network'
import { WormSimulator } from '../../src/core/model/rollout'
import { polygonTask, randomTask, taskByName, TASK_NAMES } from '../../src/core/tasks/tasks'
import { readConnectome } from '../../src/engine/resources'
import { Rng } from '../../src/core/util/rng'

const c = readConnectome()
const sim = new WormSimulator(compileNetwork(c))

describe("the spec's sanity figures", () => {
  it('untrained connectome on the pentagon: 3 foods, reward 98.148163', () => {
    const r = sim.run(c.w0, taskByName('pentagon'))
    expect(r.foodEaten).toBe(3)
    expect(Math.abs(r.reward - 98.148163)).toBeLessThan(1e-6)
    expect(r.fitness).toBe(r.reward)
    expect(r.l0).toBe(0)
  })
  it('untrained connectome eats between 3 and 8 on every polygon, ~13,700 spikes per rollout', () => {
    for (const name of TASK_NAMES) {
      const r = sim.run(c.w0, taskByName(name))
      expect(r.foodEaten).toBeGreaterThanOrEqual(3)
      expect(r.foodEaten).toBeLessThanOrEqual(8)
      expect(r.spikes).toBeGreaterThan(12_000)
      expect(r.spikes).toBeLessThan(15_500)
    }
  })
  it('is deterministic and independent of earlier rollouts on the same simulator', () => {
    const rng = new Rng(3)
    const g = c.w0.map((w) => (rng.next() < 0.02 ? rng.uniform(-20, 20) : w))
    const a = sim.run(g, taskByName('hexagon'), { trace: true })
    sim.run(c.w0, taskByName('triangle'))
    const b = new WormSimulator(compileNetwork(c)).run(g, taskByName('hexagon'), { trace: true })
    expect(b.reward).toBe(a.reward)
    expect(Array.from(b.trace!.x)).toEqual(Array.from(a.trace!.x))
    expect(Array.from(b.trace!.firedNeurons)).toEqual(Array.from(a.trace!.firedNeurons))
  })
})

describe('rollout trace', () => {
  it('is complete and consistent with the summary', () => {
    const r = sim.run(c.w0, taskByName('triangle'), { trace: true })
    const tr = r.trace!
    expect(tr.x.length).toBe(251)
    expect(tr.firedOffsets[250]).toBe(r.spikes)
    expect(tr.firedNeurons.length).toBe(r.spikes)
    expect(Array.from(tr.eatenAt).filter((t) => t >= 0).length).toBe(r.foodEaten)
    expect(tr.reward.reduce((a, b) => a + b, 0)).toBeCloseTo(r.reward, 9)
    for (let t = 0; t < 250; t++) {
      const x = Math.min(Math.max(tr.x[t] + tr.speed[t] * Math.cos(tr.heading[t + 1]), 0), 1600)
      expect(tr.x[t + 1]).toBeCloseTo(x, 9)
      expect(Math.abs(tr.speed[t])).toBeGreaterThanOrEqual(10.7)
      expect(Math.abs(tr.speed[t])).toBeLessThanOrEqual(21.4)
    }
    // Activity rises once food is sensed (spec: about 55 spikes per step).
    const perStep = (t: number) => tr.firedOffsets[t + 1] - tr.firedOffsets[t]
    const sensedSteps = [...Array(250).keys()].filter((t) => tr.sensed[t] & 2)
    expect(sensedSteps.length).toBeGreaterThan(0)
    const mean = sensedSteps.reduce((a, t) => a + perStep(t), 0) / sensedSteps.length
    expect(mean).toBeGreaterThan(40)
    expect(mean).toBeLessThan(70)
  })
})

describe('tasks', () => {
  it('places 36 sources on the polygon perimeter, the first at the top vertex', () => {
    for (const sides of [3, 4, 5, 6, 7, 8]) {
      const t = polygonTask(sides)
      expect(t.food.length).toBe(72)
      expect(t.food[0]).toBeCloseTo(800, 9)
      expect(t.food[1]).toBeCloseTo(950, 9)
      const r = (k: number) => Math.hypot(t.food[2 * k] - 800, t.food[2 * k + 1] - 600)
      for (let k = 0; k < 36; k++) {
        expect(r(k)).toBeLessThanOrEqual(350 + 1e-9)
        expect(r(k)).toBeGreaterThanOrEqual(350 * Math.cos(Math.PI / sides) - 1e-9)
      }
    }
    // Equal arc-length spacing on the square: every gap is perimeter / 36 along the edges.
    const sq = polygonTask(4)
    const side = 350 * Math.SQRT2
    const gap = (4 * side) / 36
    const d01 = Math.hypot(sq.food[2] - sq.food[0], sq.food[3] - sq.food[1])
    expect(d01).toBeCloseTo(gap, 9)
  })
  it('makes reproducible random layouts from a seed, away from the start', () => {
    const a = randomTask(7)
    expect(Array.from(a.food)).toEqual(Array.from(randomTask(7).food))
    expect(Array.from(a.food)).not.toEqual(Array.from(randomTask(8).food))
    for (let k = 0; k < 36; k++)
      expect(Math.hypot(a.food[2 * k] - 800, a.food[2 * k + 1] - 600)).toBeGreaterThan(150)
    expect(taskByName('random:7').food).toEqual(a.food)
  })
  it('rejects unknown task names', () => {
    expect(() => taskByName('dodecagon')).toThrow(/unknown task 'dodecagon'/)
  })
})
