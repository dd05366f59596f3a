import { parseConnectome, type Connectome } from '../../src/core/connectome/connectome'
import { pairsHash } from '../../src/core/connectome/hash'
import type { ConnectomeFile } from '../../src/core/connectome/schema'
import { compileNetwork } from '../../src/core/model/network'
import { modelParams, type ModelParams } from '../../src/core/model/params'
import { WormSimulator } from '../../src/core/model/rollout'

/** Locomotion muscles of a hand-made network: one left and one right, plus a head muscle that drives nothing. */
export const TINY_MUSCLES: ConnectomeFile['muscles'] = [
  { name: 'MDL10', quadrant: 'D', side: 'L', index: 10, locomotion: true },
  { name: 'MDR10', quadrant: 'D', side: 'R', index: 10, locomotion: true },
  { name: 'MDL01', quadrant: 'D', side: 'L', index: 1, locomotion: false }
]

/** A connectome resource object built by hand (neurons T = touch sensor, F = food sensor by default). */
export function tinyFile(
  connections: [string, string, number][],
  opts: { neurons?: string[]; touch?: string[]; food?: string[] } = {}
): ConnectomeFile {
  const neurons = opts.neurons ?? ['T', 'F', 'A', 'B', 'C']
  return {
    schema: 'connectome-lab/connectome@1',
    id: 'tiny',
    name: 'hand-made test network',
    sources: [],
    neurons: neurons.map((name) => ({ name, types: [], neurotransmitters: [] })),
    muscles: TINY_MUSCLES,
    sensory: { touch: opts.touch ?? ['T'], food: opts.food ?? ['F'] },
    connections,
    pairsHash: pairsHash(connections.map(([a, b]) => [a, b]))
  }
}

export function tinyConnectome(connections: [string, string, number][], opts = {}): Connectome {
  return parseConnectome(tinyFile(connections, opts))
}

export function tinySim(
  connections: [string, string, number][],
  params: Partial<ModelParams> = {}
): { c: Connectome; sim: WormSimulator } {
  const c = tinyConnectome(connections)
  return { c, sim: new WormSimulator(compileNetwork(c), modelParams(params)) }
}

/** Names of the neurons fired in step t of a trace. */
export function firedAt(
  c: Connectome,
  trace: { firedOffsets: Int32Array; firedNeurons: Uint16Array },
  t: number
): string[] {
  return Array.from(
    trace.firedNeurons.subarray(trace.firedOffsets[t], trace.firedOffsets[t + 1]),
    (i) => c.neurons[i].name
  )
}
