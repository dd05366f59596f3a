/**
 * The connectome laid out in strata, as in the ENOMAD paper's Fig. 2(a): the stimulated sensory neurons
 * in two columns on the left, the recurrent neurons in the middle ordered by how many synapses they sit
 * downstream of the sensory set (breadth-first depth, a column per depth, long columns split), and the
 * muscles on the right: the unpaired / non-locomotion muscles, then the 34 left and the 34 right
 * locomotion muscles in a column each. Shared by the Cytoscape graph and the replay's activity panel, so
 * a neuron sits at the same place in both.
 *
 * Coordinates are unit: x and y in [0, 1], to be scaled by the consumer.
 */
import type { ConnectomeEdge, ConnectomeNode } from '../../../shared/api'

export type Stratum = 'sensory' | 'recurrent' | 'muscle' | 'muscle-left' | 'muscle-right'

export interface StrataNode {
  id: string
  x: number
  y: number
  stratum: Stratum
  /** Synapses from the stimulated sensory set (0 for it; recurrent neurons it cannot reach get the deepest column). */
  depth: number
}

export interface StrataLayout {
  nodes: StrataNode[]
  byId: Map<string, StrataNode>
  /** Columns, left to right (for axis labels). */
  columns: { x: number; label: string }[]
}

/** Most nodes a column holds before it is split in two. */
const MAX_COLUMN = 64
const RECURRENT_SPAN: [number, number] = [0.14, 0.8]

export function strataLayout(nodes: ConnectomeNode[], edges: ConnectomeEdge[]): StrataLayout {
  const index = new Map(nodes.map((n, i) => [n.id, i]))
  const adjacency: number[][] = nodes.map(() => [])
  for (const e of edges) {
    const s = index.get(e.source)
    const t = index.get(e.target)
    if (s !== undefined && t !== undefined) adjacency[s].push(t)
  }
  // Breadth-first depth from the sensory set, over neurons only.
  const depth = new Int32Array(nodes.length).fill(-1)
  const queue: number[] = []
  nodes.forEach((n, i) => {
    if (n.kind === 'neuron' && n.sensory !== null) {
      depth[i] = 0
      queue.push(i)
    }
  })
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]
    for (const j of adjacency[i]) {
      if (depth[j] === -1 && nodes[j].kind === 'neuron') {
        depth[j] = depth[i] + 1
        queue.push(j)
      }
    }
  }
  const maxDepth = Math.max(1, ...Array.from(depth))

  const groups = new Map<string, number[]>()
  const put = (key: string, i: number): void => {
    const g = groups.get(key)
    if (g) g.push(i)
    else groups.set(key, [i])
  }
  nodes.forEach((n, i) => {
    if (n.kind === 'muscle') put(n.locomotion && n.side ? `muscle-${n.side}` : 'muscle', i)
    else if (n.sensory !== null) put('sensory', i)
    else put(`recurrent-${depth[i] === -1 ? maxDepth + 1 : depth[i]}`, i)
  })
  const byName = (a: number, b: number): number => nodes[a].id.localeCompare(nodes[b].id)

  // Columns: [stratum, label, members], left to right; long recurrent columns are split.
  const columns: { stratum: Stratum; label: string; members: number[] }[] = []
  const sensory = (groups.get('sensory') ?? []).sort(byName)
  const half = Math.ceil(sensory.length / 2)
  columns.push({ stratum: 'sensory', label: 'sensory', members: sensory.slice(0, half) })
  columns.push({ stratum: 'sensory', label: '', members: sensory.slice(half) })
  for (let d = 1; d <= maxDepth + 1; d++) {
    const members = (groups.get(`recurrent-${d}`) ?? []).sort(byName)
    if (members.length === 0) continue
    const parts = Math.ceil(members.length / MAX_COLUMN)
    const size = Math.ceil(members.length / parts)
    for (let p = 0; p < parts; p++) {
      columns.push({
        stratum: 'recurrent',
        label: p === 0 ? (d > maxDepth ? 'unreached' : `depth ${d}`) : '',
        members: members.slice(p * size, (p + 1) * size)
      })
    }
  }
  const muscleColumn = (key: string, stratum: Stratum, label: string): void => {
    const members = (groups.get(key) ?? []).sort(byName)
    if (members.length > 0) columns.push({ stratum, label, members })
  }
  muscleColumn('muscle', 'muscle', 'other muscles')
  muscleColumn('muscle-L', 'muscle-left', 'left')
  muscleColumn('muscle-R', 'muscle-right', 'right')

  // x: sensory at 0 and 0.05, recurrent spread over RECURRENT_SPAN, muscles from 0.88 to 1.
  const recurrent = columns.filter((c) => c.stratum === 'recurrent')
  const muscles = columns.filter((c) => c.stratum.startsWith('muscle'))
  const xs = new Map<(typeof columns)[number], number>()
  xs.set(columns[0], 0)
  xs.set(columns[1], 0.05)
  recurrent.forEach((c, k) => {
    const [a, b] = RECURRENT_SPAN
    xs.set(c, recurrent.length === 1 ? (a + b) / 2 : a + ((b - a) * k) / (recurrent.length - 1))
  })
  muscles.forEach((c, k) => xs.set(c, muscles.length === 1 ? 1 : 0.9 + (0.1 * k) / (muscles.length - 1)))

  const placed: StrataNode[] = []
  for (const c of columns) {
    const x = xs.get(c) ?? 0
    c.members.forEach((i, k) => {
      const y = c.members.length === 1 ? 0.5 : k / (c.members.length - 1)
      const d = depth[i] === -1 ? (nodes[i].kind === 'muscle' ? maxDepth + 2 : maxDepth + 1) : depth[i]
      placed.push({ id: nodes[i].id, x, y, stratum: c.stratum, depth: d })
    })
  }
  return {
    nodes: placed,
    byId: new Map(placed.map((p) => [p.id, p])),
    columns: columns.filter((c) => c.label !== '').map((c) => ({ x: xs.get(c) ?? 0, label: c.label }))
  }
}
