/**
 * The replay's pure helpers without a browser: the scene computed from a real traced rollout, the
 * layouts, the viridis ramp and the video's timing.
 */
import { describe, expect, it } from 'vitest'
import { compileNetwork } from '../../src/core/model/network'
import { WormSimulator } from '../../src/core/model/rollout'
import { taskByName } from '../../src/core/tasks/tasks'
import { connectomeSummary } from '../../src/engine/api/handlers'
import { readConnectome } from '../../src/engine/resources'
import { arenaGeometry } from '../../src/renderer/src/lib/arena'
import { STEPS_PER_SECOND } from '../../src/renderer/src/lib/replay-clock'
import {
  createScene,
  replayAspect,
  replayLayout,
  replayNetwork,
  stepAt,
  viridis
} from '../../src/renderer/src/lib/replay-draw'
import { videoTiming } from '../../src/renderer/src/lib/replay-video'
import type { RolloutTraceData } from '../../src/shared/api'

const c = readConnectome()
const r = new WormSimulator(compileNetwork(c)).run(c.w0, taskByName('pentagon'), { trace: true })
const t = r.trace!
const trace: RolloutTraceData = {
  steps: t.steps,
  x: Array.from(t.x),
  y: Array.from(t.y),
  heading: Array.from(t.heading),
  speed: Array.from(t.speed),
  aLeft: Array.from(t.aLeft),
  aRight: Array.from(t.aRight),
  sensed: Array.from(t.sensed),
  reward: Array.from(t.reward),
  firedOffsets: Array.from(t.firedOffsets),
  firedNeurons: Array.from(t.firedNeurons),
  eatenAt: Array.from(t.eatenAt),
  food: Array.from(t.food)
}
const geometry = arenaGeometry(undefined, undefined)
const summary = connectomeSummary(c)

describe('replay scene', () => {
  it('places every neuron of the trace in the activity panel, in the connectome neuron order', () => {
    const net = replayNetwork(summary)
    expect(net.neuronIds).toEqual(c.neurons.map((n) => n.name))
    expect(replayNetwork(summary)).toBe(net) // computed once per summary
    const s = createScene(trace, geometry, net, 1280, 720)
    expect(s.nx.length).toBe(c.neurons.length)
    for (let i = 0; i < s.nx.length; i++) {
      expect(s.nx[i]).toBeGreaterThanOrEqual(s.net!.x)
      expect(s.nx[i]).toBeLessThanOrEqual(s.net!.x + s.net!.w)
      expect(s.ny[i]).toBeGreaterThanOrEqual(s.net!.y)
      expect(s.ny[i]).toBeLessThanOrEqual(s.net!.y + s.net!.h)
    }
    // Every fired index is a neuron of the layout.
    expect(Math.max(...trace.firedNeurons)).toBeLessThan(c.neurons.length)
  })

  it('maps the path into the arena rect, and sums the reward', () => {
    const s = createScene(trace, geometry, null, 800, 600)
    for (let i = 0; i <= trace.steps; i++) {
      expect(s.px[i]).toBeGreaterThanOrEqual(s.arena.x)
      expect(s.px[i]).toBeLessThanOrEqual(s.arena.x + s.arena.w)
    }
    expect(s.cumReward[trace.steps]).toBeCloseTo(r.reward, 9)
    expect(stepAt(s, 0)).toBe(0)
    expect(stepAt(s, 10.7)).toBe(10)
    expect(stepAt(s, trace.steps)).toBe(trace.steps - 1)
  })

  it('lays the network beside a wide arena and below a narrow one', () => {
    const wide = replayLayout(1280, 720, geometry, true)
    expect(wide.net!.x).toBeGreaterThanOrEqual(wide.arena.x + wide.arena.w)
    const w = 506
    const narrow = replayLayout(w, w / replayAspect(w, geometry, true), geometry, true)
    expect(narrow.net!.y).toBeGreaterThanOrEqual(narrow.arena.y + narrow.arena.h)
    expect(replayLayout(640, 480, geometry, false).net).toBeNull()
  })

  it('ramps viridis from dark blue-violet to yellow', () => {
    expect(viridis(0)).toBe('rgb(68,1,84)')
    expect(viridis(1)).toBe('rgb(253,231,37)')
    expect(viridis(-1)).toBe(viridis(0))
  })

  it('times a video as steps / (steps per second × speed) at a fixed fps', () => {
    expect(STEPS_PER_SECOND).toBe(25)
    expect(videoTiming(250, 1, 30)).toEqual({ seconds: 10, frames: 300 })
    expect(videoTiming(250, 4, 30)).toEqual({ seconds: 2.5, frames: 75 })
    expect(videoTiming(250, 0.25, 30).seconds).toBe(40)
  })
})
