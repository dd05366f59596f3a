import { pairsHash } from './hash'
import { connectomeFileSchema, type ConnectomeFile } from './schema'

export interface NeuronInfo {
  name: string
  types: string[]
  neurotransmitters: string[]
}
export type MuscleInfo = ConnectomeFile['muscles'][number]

/** A validated connectome: cells, and the genome order of its weighted connections. */
export interface Connectome {
  id: string
  name: string
  sources: string[]
  neurons: NeuronInfo[]
  muscles: MuscleInfo[]
  sensory: { touch: string[]; food: string[] }
  /** Presynaptic / postsynaptic cell names, one entry per genome coordinate. */
  pre: string[]
  post: string[]
  /** The biological prior: signed contact counts, in genome order. */
  w0: Float64Array
  /** Hash of the ordered pair list (see hash.ts). */
  pairsHash: string
}

export class ConnectomeError extends Error {
  override name = 'ConnectomeError'
}

/** Validates a parsed connectome resource. Every problem is reported by name. */
export function parseConnectome(data: unknown): Connectome {
  const parsed = connectomeFileSchema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConnectomeError(
      `invalid connectome file at ${issue.path.join('.') || '<root>'}: ${issue.message}`
    )
  }
  const file = parsed.data
  const cells = new Set<string>()
  const addCell = (name: string, kind: string): void => {
    if (cells.has(name)) throw new ConnectomeError(`duplicate ${kind} '${name}'`)
    cells.add(name)
  }
  file.neurons.forEach((n) => addCell(n.name, 'neuron'))
  file.muscles.forEach((m) => addCell(m.name, 'cell (muscle)'))
  const neuronNames = new Set(file.neurons.map((n) => n.name))

  const seen = new Set<string>()
  const pre: string[] = []
  const post: string[] = []
  const w0 = new Float64Array(file.connections.length)
  file.connections.forEach(([a, b, w], k) => {
    if (!neuronNames.has(a)) {
      throw new ConnectomeError(
        `connection ${k} (${a} -> ${b}): unknown presynaptic neuron '${a}'` +
          (cells.has(a) ? ' (muscles cannot be presynaptic)' : '')
      )
    }
    if (!cells.has(b))
      throw new ConnectomeError(`connection ${k} (${a} -> ${b}): unknown postsynaptic cell '${b}'`)
    if (!Number.isFinite(w))
      throw new ConnectomeError(`connection ${k} (${a} -> ${b}): non-finite weight ${w}`)
    const key = `${a}>${b}`
    if (seen.has(key)) throw new ConnectomeError(`connection ${k}: duplicate pair ${a} -> ${b}`)
    seen.add(key)
    pre.push(a)
    post.push(b)
    w0[k] = w
  })
  for (const [set, names] of Object.entries(file.sensory)) {
    for (const n of names) {
      if (!neuronNames.has(n)) throw new ConnectomeError(`sensory set '${set}': unknown neuron '${n}'`)
    }
  }
  const hash = pairsHash(pre.map((a, k) => [a, post[k]]))
  if (hash !== file.pairsHash) {
    throw new ConnectomeError(`pairsHash mismatch: file says ${file.pairsHash}, pair list hashes to ${hash}`)
  }
  return {
    id: file.id,
    name: file.name,
    sources: file.sources,
    neurons: file.neurons,
    muscles: file.muscles,
    sensory: file.sensory,
    pre,
    post,
    w0,
    pairsHash: hash
  }
}

/** Number of genome coordinates. */
export const genomeLength = (c: Connectome): number => c.w0.length
