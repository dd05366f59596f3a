/**
 * Transport of large genomes (issue 7): OpenAI-ES with population 200 on the 500,000-coordinate quadratic
 * toy, through a real pool of 2 workers. Workers receive the centre θ and a seed and return fitnesses only
 * (PerturbationRequest); this prints where each generation's wall clock goes, the transport share against
 * the < 3 % target, and, for contrast, what sending every candidate densely would cost.
 *
 *   npx tsx bench/transport.ts [generations] [--chunks N] [--no-dense]
 *
 * `--chunks` sets PoolEvaluator's requests per worker per generation (default 2); the centre crosses to
 * each worker once per generation whatever it is (pool.centresSent counts the crossings).
 *
 * Transport is PoolEvaluator.transportMs: round trip − worker compute, summed over the requests of a
 * generation. The requests travel concurrently, so the sum is an upper bound of the transport on the
 * critical path.
 */
import { createAlgorithm } from '../src/core/training/registry'
import { perturbation } from '../src/core/training/noise'
import { loadEnvironment } from '../src/engine/environments'
import { WorkerPool } from '../src/engine/pool/pool'
import { PoolEvaluator } from '../src/engine/pool/pool-evaluator'
import type { WorkResponse } from '../src/engine/pool/protocol'
import { fmt, isMain, median } from './util'

const DIM = 500_000
const POPULATION = 200
const WORKERS = 2
const SIGMA = 0.05
const TARGET = 3 // % of the wall clock

interface Row {
  sent: number
  wall: number
  es: number
  wait: number
  compute: number
  transport: number
}

/** Median ms to regenerate one ε_j of DIM normals in this process (the ES does it once per pair). */
function timeEpsilon(rounds = 9): number {
  const eps = new Float64Array(DIM)
  const ms: number[] = []
  for (let i = 0; i <= rounds; i++) {
    const t0 = performance.now()
    perturbation(7, i, eps)
    if (i > 0) ms.push(performance.now() - t0)
  }
  return median(ms)
}

const pct = (x: number, of: number): string => `${fmt((100 * x) / of, 2)} %`
const spread = (xs: number[], digits = 1): string =>
  `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`

export async function benchTransport({
  generations = 5,
  warmup = 1,
  chunks = 2,
  dense = true
} = {}): Promise<{
  share: number
}> {
  console.log(
    `\n== Large-genome transport: OpenAI-ES, population ${POPULATION}, quadratic dim ${DIM.toLocaleString('en')}, ` +
      `${WORKERS} workers, ${chunks} requests per worker per generation ==`
  )
  const env = loadEnvironment({ id: 'quadratic', dim: DIM })
  const pool = new WorkerPool({ size: WORKERS })
  try {
    await pool.ready()
    const ev = new PoolEvaluator(pool, env, 'bench-transport', { perturbationChunks: chunks })
    const algo = createAlgorithm('es', { populationSize: POPULATION, sigma: SIGMA }, env.prior, 1)
    for (let i = 0; i < warmup; i++) await algo.step(ev) // JIT, and the workers build the environment
    const rows: Row[] = []
    console.log('gen   wall ms   ES main ms   waiting ms   compute (all workers) ms   transport ms   share')
    for (let g = 0; g < generations; g++) {
      ev.transportMs = 0
      ev.computeMs = 0
      const sent = pool.centresSent
      const r = await algo.step(ev)
      const row = {
        sent: pool.centresSent - sent,
        wall: r.wallMs,
        es: r.algorithmMs,
        wait: r.wallMs - r.algorithmMs,
        compute: ev.computeMs,
        transport: ev.transportMs
      }
      rows.push(row)
      console.log(
        `${String(r.generation).padStart(3)} ${fmt(row.wall).padStart(9)} ${fmt(row.es).padStart(12)} ` +
          `${fmt(row.wait).padStart(12)} ${fmt(row.compute).padStart(26)} ${fmt(row.transport, 2).padStart(14)}` +
          `   ${pct(row.transport, row.wall)}`
      )
    }
    const sum = (k: keyof Row) => rows.reduce((a, x) => a + x[k], 0)
    const wall = sum('wall')
    const shares = rows.map((x) => (100 * x.transport) / x.wall)
    const share = (100 * sum('transport')) / wall
    const perWorker = sum('compute') / WORKERS
    const epsMs = timeEpsilon()
    const pairs = (generations * POPULATION) / 2
    console.log(
      `total over ${generations} generations: wall ${fmt(wall)} ms; ES main process ${fmt(sum('es'))} ms (${pct(sum('es'), wall)}: ` +
        `${fmt(sum('es') / pairs, 2)} ms per pair to regenerate ε and add w·ε to the gradient; one ε alone takes ${fmt(epsMs, 2)} ms); ` +
        `waiting on workers ${fmt(sum('wait'))} ms (${pct(sum('wait'), wall)})`
    )
    console.log(
      `worker compute ${fmt(sum('compute'))} worker-ms (${fmt(perWorker)} ms per worker = ${pct(perWorker, wall)} of wall; ` +
        `${fmt(sum('compute') / pairs, 2)} ms per mirrored pair: one ε, two evaluations)`
    )
    console.log(
      `transport ${fmt(sum('transport'), 2)} ms = ${fmt(share, 2)} % of wall clock (per generation: median ${fmt(median(shares), 2)} %, ` +
        `range ${spread(shares, 2)} %)  (target < ${TARGET} %: ${share < TARGET ? 'met' : 'NOT met'})`
    )
    console.log(
      `bytes per generation: the ${fmt((DIM * 8) / 2 ** 20, 2)} MiB centre sent ${fmt(sum('sent') / generations, 1)} times ` +
        `to ${WORKERS} workers, seeds and keys in ${WORKERS * chunks} requests; fitnesses back`
    )
    if (dense) await benchDense(pool, env.spec, wall / generations, sum('transport') / generations, epsMs)
    return { share }
  } finally {
    await pool.close()
  }
}

/**
 * The alternative the seeds avoid: every candidate sent as a dense vector. Sends a dense batch of
 * `count` genomes as one evaluate request per worker (as PoolEvaluator would), measures the transport per
 * byte, and extrapolates to a whole population.
 */
async function benchDense(
  pool: WorkerPool,
  spec: ReturnType<typeof loadEnvironment>['spec'],
  seededWall: number,
  seededTransport: number,
  epsMs: number,
  count = 20,
  rounds = 3
): Promise<void> {
  const per = count / WORKERS
  const data = Array.from({ length: WORKERS }, (_, w) => {
    const d = new Float64Array(per * DIM)
    for (let k = 0; k < d.length; k++) d[k] = Math.sin(k + w) // any values: only the bytes matter
    return d
  })
  const transport: number[] = []
  for (let r = 0; r <= rounds; r++) {
    const done = await Promise.all(
      data.map((d) =>
        pool.run<Extract<WorkResponse, { kind: 'evaluate' }>>(
          { kind: 'evaluate', env: spec, genomes: { kind: 'dense', count: per, data: d } },
          'bench-dense'
        )
      )
    )
    if (r > 0) transport.push(done.reduce((a, d) => a + d.roundTripMs - d.computeMs, 0)) // round 0: warm-up
  }
  const bytes = count * DIM * 8
  const msPerMiB = median(transport) / (bytes / 2 ** 20)
  const popBytes = POPULATION * DIM * 8
  const popMs = msPerMiB * (popBytes / 2 ** 20)
  // The main process would also have to build every candidate: one ε per mirrored pair.
  const buildMs = (POPULATION / 2) * epsMs
  console.log(
    `dense contrast: ${count} × ${DIM.toLocaleString('en')} floats (${fmt(bytes / 2 ** 20, 0)} MiB) in ${WORKERS} evaluate requests: ` +
      `transport median ${fmt(median(transport))} ms (range ${spread(transport)}) = ${fmt(msPerMiB, 3)} ms/MiB`
  )
  console.log(
    `  → a dense population of ${POPULATION} (${fmt(popBytes / 2 ** 20, 0)} MiB per generation) would spend ≈ ${fmt(popMs)} ms in transport ` +
      `plus ≈ ${fmt(buildMs)} ms building the vectors, against ${fmt(seededTransport)} ms of transport ` +
      `(${fmt(popMs / seededTransport, 0)}× less) and ${fmt(seededWall)} ms of wall clock per seeded generation`
  )
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2)
  const at = args.indexOf('--chunks')
  const chunks = at >= 0 ? Number(args.splice(at, 2)[1]) : 2
  const dense = !args.includes('--no-dense')
  await benchTransport({
    generations: Number(args.filter((a) => !a.startsWith('--'))[0] ?? 5),
    chunks,
    dense
  })
}
