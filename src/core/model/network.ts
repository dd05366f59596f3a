import type { Connectome } from '../connectome/connectome'

/**
 * The connectome compiled for simulation. Neurons are nodes 0..nNeurons−1 (resource order).
 *
 * Muscles carry no state in the simulator: they are reset after every read-out, so a locomotion
 * muscle's potential at read-out is exactly the input it received in that step. Their input is
 * therefore folded into per-neuron left/right read-out contributions (leftGain/rightGain), and only
 * neuron→neuron synapses are stored in CSR form. Head muscles and MVULVA drive nothing and are dropped.
 */
export interface CompiledNetwork {
  connectome: Connectome
  nNeurons: number
  neuronIndex: Map<string, number>
  /** CSR rows of neuron→neuron synapses. */
  rowPtr: Int32Array
  col: Int32Array
  /** Genome coordinate that feeds each CSR slot. */
  csrGene: Int32Array
  /** Genome coordinates ending on a left / right locomotion muscle, and their presynaptic neuron. */
  leftGene: Int32Array
  leftPre: Int32Array
  rightGene: Int32Array
  rightPre: Int32Array
  /** Node ids of the stimulated sensory sets. */
  touch: Int32Array
  food: Int32Array
}

export function compileNetwork(c: Connectome): CompiledNetwork {
  const neuronIndex = new Map(c.neurons.map((n, i) => [n.name, i]))
  const muscles = new Map(c.muscles.map((m) => [m.name, m]))
  const nNeurons = c.neurons.length
  const counts = new Int32Array(nNeurons + 1)
  const left: number[] = []
  const right: number[] = []
  for (let k = 0; k < c.pre.length; k++) {
    const pre = neuronIndex.get(c.pre[k])!
    const post = neuronIndex.get(c.post[k])
    if (post !== undefined) counts[pre + 1]++
    else {
      const m = muscles.get(c.post[k])!
      if (m.locomotion && m.side === 'L') left.push(k)
      else if (m.locomotion && m.side === 'R') right.push(k)
    }
  }
  const rowPtr = new Int32Array(nNeurons + 1)
  for (let i = 0; i < nNeurons; i++) rowPtr[i + 1] = rowPtr[i] + counts[i + 1]
  const fill = rowPtr.slice(0, nNeurons)
  const col = new Int32Array(rowPtr[nNeurons])
  const csrGene = new Int32Array(rowPtr[nNeurons])
  for (let k = 0; k < c.pre.length; k++) {
    const post = neuronIndex.get(c.post[k])
    if (post === undefined) continue
    const slot = fill[neuronIndex.get(c.pre[k])!]++
    col[slot] = post
    csrGene[slot] = k
  }
  const preOf = (ks: number[]): Int32Array => Int32Array.from(ks, (k) => neuronIndex.get(c.pre[k])!)
  const ids = (names: string[]): Int32Array => Int32Array.from(names, (n) => neuronIndex.get(n)!)
  return {
    connectome: c,
    nNeurons,
    neuronIndex,
    rowPtr,
    col,
    csrGene,
    leftGene: Int32Array.from(left),
    leftPre: preOf(left),
    rightGene: Int32Array.from(right),
    rightPre: preOf(right),
    touch: ids(c.sensory.touch),
    food: ids(c.sensory.food)
  }
}
