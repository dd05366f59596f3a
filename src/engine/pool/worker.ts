/**
 * A pool worker: a forked Node process that builds each environment once and runs coarse work units (a
 * batch of evaluations, whole MADS local searches, or a centre genome's seeded perturbations) sent by the
 * pool. It keeps the last few perturbation centres by key, so that a centre crosses once (protocol.ts).
 * Every job is validated first (validate.ts). It exits when its parent goes away (the IPC channel
 * closes), so a crashed parent leaves no orphans.
 */
import { runAnalysisUnit } from '../../core/analysis/hebbian/units'
import type { QuadrupedEnvironment } from '../../core/env/quadruped/env'
import { runEvaluations, runLocalSearch, runPerturbations } from '../../core/training/jobs'
import type { PerturbationRequest } from '../../core/training/types'
import { prepareEnvironment } from '../environments'
import { readConnectome } from '../resources'
import { FifoCache } from './fifo'
import { unpackGenomes } from './pack'
import {
  CENTRE_CACHE_SIZE,
  type FromWorker,
  type PerturbationJob,
  type ToWorker,
  type WorkResponse
} from './protocol'
import { checkAgainst, JobError, parseRequest } from './validate'

/** Centres of perturbation jobs by key, kept after a job on them succeeded (the pool mirrors this). */
const centres = new FifoCache<Float64Array>(CENTRE_CACHE_SIZE)

/** The job with its centre: the one it carries, or the one cached under its key. */
function withCentre(job: PerturbationJob): PerturbationRequest {
  const center = job.center ?? (job.centerKey === undefined ? undefined : centres.get(job.centerKey))
  if (!center)
    throw new JobError(`invalid job: centre ${job.centerKey ?? '(no key)'} is neither sent nor cached here`)
  return { ...job, center }
}

async function handle(msg: ToWorker): Promise<WorkResponse> {
  const r = parseRequest(msg.request)
  switch (r.kind) {
    case 'ping':
      return { kind: 'ping', pid: process.pid }
    case 'sleep': {
      const end = performance.now() + r.ms
      while (performance.now() < end) {
        /* busy */
      }
      return { kind: 'sleep' }
    }
  }
  // Loads the MuJoCo module the first time a quadruped job arrives (once per worker).
  const env = await prepareEnvironment(r.env)
  if (r.kind === 'perturbations') {
    const req = withCentre(r.req)
    checkAgainst(env, { ...r, req })
    const done = runPerturbations(env, req)
    if (r.req.center && r.req.centerKey !== undefined) centres.set(r.req.centerKey, r.req.center)
    return { kind: 'perturbations', ...done }
  }
  checkAgainst(env, r)
  switch (r.kind) {
    case 'analysis':
      // runAnalysisUnit refuses an environment that is not the quadruped.
      return { kind: 'analysis', output: runAnalysisUnit(env as QuadrupedEnvironment, r.genome, r.unit) }
    case 'evaluate':
      return { kind: 'evaluate', ...runEvaluations(env, unpackGenomes(r.genomes, env.prior)) }
    case 'localSearch': {
      const outcomes = r.jobs.map((j) => runLocalSearch(env, j))
      return {
        kind: 'localSearch',
        outcomes,
        timing: {
          rolloutMs: outcomes.reduce((a, o) => a + o.rolloutMs, 0),
          madsMs: outcomes.reduce((a, o) => a + o.madsMs, 0)
        }
      }
    }
  }
}

const send = (m: FromWorker): void => {
  process.send?.(m)
}

process.on('message', (msg: ToWorker) => {
  const t0 = performance.now()
  const id = typeof msg === 'object' && msg !== null && typeof msg.id === 'number' ? msg.id : -1
  handle(msg).then(
    (response) => send({ id, ok: true, response, computeMs: performance.now() - t0 }),
    (e: unknown) => send({ id, ok: false, error: (e as Error).message })
  )
})
process.on('disconnect', () => process.exit(0))
// Ctrl-C in a terminal reaches the whole process group: the parent decides (it closes the pool), so a
// worker ignores SIGINT instead of dying and being respawned during the shutdown.
process.on('SIGINT', () => {})
readConnectome() // load the default connectome once, up front
send({ ready: true })
