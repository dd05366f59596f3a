/**
 * The strata layout of the shipped connectome (the paper's Fig. 2a), as the graph and the replay's
 * activity panel place it: sensory neurons in two columns on the left, the recurrent neurons between,
 * the 34 left and 34 right locomotion muscles in the two rightmost columns.
 */
import { describe, expect, it } from 'vitest'
import { connectomeSummary } from '../../src/engine/api/handlers'
import { readConnectome } from '../../src/engine/resources'
import { strataLayout, type StrataNode } from '../../src/renderer/src/lib/strata'

const summary = connectomeSummary(readConnectome())
const t0 = performance.now()
const layout = strataLayout(summary.nodes, summary.edges)
console.log(`strataLayout: ${layout.nodes.length} nodes in ${(performance.now() - t0).toFixed(1)} ms`)

/** The columns left to right: x and the nodes at it. */
const byX = new Map<number, StrataNode[]>()
for (const n of layout.nodes) byX.set(n.x, [...(byX.get(n.x) ?? []), n])
const columns = [...byX.entries()].sort((a, b) => a[0] - b[0])
const kind = new Map(summary.nodes.map((n) => [n.id, n]))

describe('strataLayout of the shipped connectome', () => {
  it('places every node exactly once, in the unit square', () => {
    expect(layout.nodes).toHaveLength(summary.nodes.length)
    expect(new Set(layout.nodes.map((n) => n.id))).toEqual(new Set(summary.nodes.map((n) => n.id)))
    expect(layout.byId.size).toBe(summary.nodes.length)
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0)
      expect(n.x).toBeLessThanOrEqual(1)
      expect(n.y).toBeGreaterThanOrEqual(0)
      expect(n.y).toBeLessThanOrEqual(1)
    }
    // No two nodes on the same spot.
    expect(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(layout.nodes.length)
  })

  it('puts the 18 stimulated sensory neurons in the two leftmost columns', () => {
    const sensory = summary.nodes.filter((n) => n.sensory !== null).map((n) => n.id)
    expect(sensory).toHaveLength(18)
    const left = [...columns[0][1], ...columns[1][1]]
    expect(new Set(left.map((n) => n.id))).toEqual(new Set(sensory))
    expect(left.every((n) => n.stratum === 'sensory' && n.depth === 0)).toBe(true)
    expect(columns[0][1]).toHaveLength(9)
    expect(columns[1][1]).toHaveLength(9)
  })

  it('puts the 34 left and 34 right locomotion muscles in the two rightmost columns', () => {
    const [left, right] = columns.slice(-2).map(([, c]) => c)
    const side = (c: StrataNode[]): Set<string | null> => new Set(c.map((n) => kind.get(n.id)!.side))
    expect(left).toHaveLength(34)
    expect(right).toHaveLength(34)
    expect(side(left)).toEqual(new Set(['L']))
    expect(side(right)).toEqual(new Set(['R']))
    for (const n of [...left, ...right]) expect(kind.get(n.id)!.locomotion).toBe(true)
    expect(columns.at(-1)![0]).toBe(1)
  })

  it('puts the recurrent neurons between, deeper to the right, and every muscle right of every neuron', () => {
    const neurons = layout.nodes.filter((n) => kind.get(n.id)!.kind === 'neuron')
    const muscles = layout.nodes.filter((n) => kind.get(n.id)!.kind === 'muscle')
    const sensoryX = Math.max(...neurons.filter((n) => n.stratum === 'sensory').map((n) => n.x))
    const recurrent = neurons.filter((n) => n.stratum === 'recurrent')
    expect(recurrent.length).toBe(neurons.length - 18)
    expect(Math.min(...recurrent.map((n) => n.x))).toBeGreaterThan(sensoryX)
    expect(Math.min(...muscles.map((n) => n.x))).toBeGreaterThan(Math.max(...neurons.map((n) => n.x)))
    // Depth never decreases left to right.
    const sorted = [...recurrent].sort((a, b) => a.x - b.x)
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i].depth).toBeGreaterThanOrEqual(sorted[i - 1].depth)
    // A recurrent neuron at depth d has a presynaptic neuron at depth d − 1 (breadth-first).
    const depth = new Map(layout.nodes.map((n) => [n.id, n.depth]))
    const maxReached = Math.max(...recurrent.map((n) => n.depth)) - 1
    for (const n of recurrent.filter((r) => r.depth <= maxReached)) {
      const pres = summary.edges.filter((e) => e.target === n.id).map((e) => depth.get(e.source)!)
      expect(pres).toContain(n.depth - 1)
    }
  })

  it('labels the columns left to right, within [0, 1]', () => {
    const xs = layout.columns.map((c) => c.x)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    expect(layout.columns[0].label).toBe('sensory')
    expect(layout.columns.slice(-2).map((c) => c.label)).toEqual(['left', 'right'])
  })
})
