/**
 * Regenerates resources/connectomes/gopigo2014.json from the raw data files in ../shared/data/connectome.
 * The product never reads ../shared: this script is only how the shipped resource was made.
 *
 *   npm run resources:connectome [-- <path to data/connectome>]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pairsHash } from '../src/core/connectome/hash'
import { FOOD_SENSORS, TOUCH_SENSORS } from '../src/core/connectome/sensory'
import type { ConnectomeFile } from '../src/core/connectome/schema'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'data', 'connectome'))

function csvRows(file: string): string[][] {
  const text = readFileSync(join(dataDir, file), 'utf8').trim()
  return text
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',').map((c) => c.trim()))
}

const split = (s: string): string[] => (s ? s.split('|') : [])

const neurons = csvRows('neurons.csv').map(([name, types, nts]) => ({
  name,
  types: split(types),
  neurotransmitters: split(nts)
}))
const muscles: ConnectomeFile['muscles'] = csvRows('muscles.csv').map(
  ([name, quadrant, side, index, loco]) => ({
    name,
    quadrant: quadrant as 'D' | 'V',
    side: side as 'L' | 'R',
    index: Number(index),
    locomotion: loco === '1'
  })
)
// muscles.csv lists the 95 body-wall cells; GoPiGo also targets the vulval muscle, which drives nothing.
muscles.push({ name: 'MVULVA', quadrant: 'V', side: null, index: null, locomotion: false })

// Distinct (pre, post) pairs in order of first appearance; duplicate statements add up.
const index = new Map<string, number>()
const connections: [string, string, number][] = []
for (const [pre, post, w] of csvRows('gopigo_edges.csv')) {
  const key = `${pre}>${post}`
  const at = index.get(key)
  if (at === undefined) {
    index.set(key, connections.length)
    connections.push([pre, post, Number(w)])
  } else connections[at][2] += Number(w)
}

const file: ConnectomeFile = {
  schema: 'connectome-lab/connectome@1',
  id: 'gopigo2014',
  name: 'C. elegans hermaphrodite connectome (GoPiGo, Busbice, Garrett & Churchill 2014)',
  sources: [
    'connections: GoPiGo connectome.py (Busbice, Garrett & Churchill 2014), 3,733 statements summed into distinct pairs',
    'neurons: OpenWorm owmeta export shipped with c302 (c302/data/owmeta_cache.json)',
    'muscles: derived from cell names (MxL left, MxR right; locomotion = body muscles 07..23)'
  ],
  neurons,
  muscles,
  sensory: { touch: [...TOUCH_SENSORS], food: [...FOOD_SENSORS] },
  connections,
  pairsHash: pairsHash(connections.map(([a, b]) => [a, b]))
}

const out = join(root, 'resources', 'connectomes', 'gopigo2014.json')
// One cell or connection per line keeps the file small and diffable.
const lines = (items: unknown[]): string =>
  `[\n${items.map((c) => '    ' + JSON.stringify(c)).join(',\n')}\n  ]`
const body = JSON.stringify({ ...file, neurons: 0, muscles: 1, connections: 2 }, null, 2)
  .replace('"neurons": 0', `"neurons": ${lines(neurons)}`)
  .replace('"muscles": 1', `"muscles": ${lines(muscles)}`)
  .replace('"connections": 2', `"connections": ${lines(connections)}`)
writeFileSync(out, body + '\n')
console.log(
  `wrote ${out}: ${neurons.length} neurons, ${muscles.length} muscles, ${connections.length} connections`
)
