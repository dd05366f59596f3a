/**
 * A pool worker: a forked Node process that builds each environment once and runs coarse work units (a
 * batch of evaluations, whole MADS local searches, or a centre genome's seeded perturbations) sent by the
 * pool. Every job is validated first (validate.ts). It exits when its parent goes away (the IPC channel
 * closes), so a crashed parent leaves no orphans.
 */
import { runEvaluations, runLocalSearch, runPerturbations } from '../../core/training/jobs'
import { loadEnvironment } from '../environments'
import { readConnectome } from '../resources'
import { unpackGenomes } from './pack'
import type { FromWorker, ToWorker, WorkResponse } from './protocol'
import { checkAgainst, parseRequest } from './validate'

function handle(msg: ToWorker): WorkResponse {
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
  const env = loadEnvironment(r.env)
  checkAgainst(env, r)
  switch (r.kind) {
    case 'evaluate':
      return { kind: 'evaluate', ...runEvaluations(env, unpackGenomes(r.genomes, env.prior)) }
    case 'perturbations':
      return { kind: 'perturbations', ...runPerturbations(env, r.req) }
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
  try {
    const response = handle(msg)
    send({ id, ok: true, response, computeMs: performance.now() - t0 })
  } catch (e) {
    send({ id, ok: false, error: (e as Error).message })
  }
})
process.on('disconnect', () => process.exit(0))
// Ctrl-C in a terminal reaches the whole process group: the parent decides (it closes the pool), so a
// worker ignores SIGINT instead of dying and being respawned during the shutdown.
process.on('SIGINT', () => {})
readConnectome() // load the default connectome once, up front
send({ ready: true })
