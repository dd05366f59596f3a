/**
 * A pool worker: a forked Node process that loads the connectome once and runs coarse work units
 * (a batch of evaluations, or whole MADS local searches) sent by the pool. It exits when its parent
 * goes away (the IPC channel closes), so a crashed parent leaves no orphans.
 */
import { compileNetwork, type CompiledNetwork } from '../../core/model/network'
import { modelParams } from '../../core/model/params'
import { WormSimulator } from '../../core/model/rollout'
import { runEvaluations, runLocalSearch } from '../../core/training/jobs'
import type { Task } from '../../core/tasks/tasks'
import { readConnectome } from '../resources'
import { unpackGenomes } from './pack'
import type { EvalContext, FromWorker, ToWorker, WorkResponse } from './protocol'

const networks = new Map<string, CompiledNetwork>()
const sims = new Map<string, WormSimulator>()

function simulator(ctx: EvalContext): { sim: WormSimulator; task: Task } {
  const key = `${ctx.connectome}|${JSON.stringify(ctx.params)}`
  let sim = sims.get(key)
  if (!sim) {
    let net = networks.get(ctx.connectome)
    if (!net) {
      net = compileNetwork(readConnectome(ctx.connectome))
      networks.set(ctx.connectome, net)
    }
    sim = new WormSimulator(net, modelParams(ctx.params))
    sims.set(key, sim)
  }
  return { sim, task: { name: ctx.taskName, food: ctx.food } }
}

function handle(msg: ToWorker): WorkResponse {
  const r = msg.request
  switch (r.kind) {
    case 'evaluate': {
      const { sim, task } = simulator(r.ctx)
      const genomes = unpackGenomes(r.genomes, readConnectome(r.ctx.connectome).w0)
      return { kind: 'evaluate', ...runEvaluations(sim, task, genomes) }
    }
    case 'localSearch': {
      const { sim, task } = simulator(r.ctx)
      const outcomes = r.jobs.map((j) => runLocalSearch(sim, task, j))
      return {
        kind: 'localSearch',
        outcomes,
        timing: {
          rolloutMs: outcomes.reduce((a, o) => a + o.rolloutMs, 0),
          madsMs: outcomes.reduce((a, o) => a + o.madsMs, 0)
        }
      }
    }
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
}

const send = (m: FromWorker): void => {
  process.send?.(m)
}

process.on('message', (msg: ToWorker) => {
  const t0 = performance.now()
  try {
    const response = handle(msg)
    send({ id: msg.id, ok: true, response, computeMs: performance.now() - t0 })
  } catch (e) {
    send({ id: msg.id, ok: false, error: (e as Error).message })
  }
})
process.on('disconnect', () => process.exit(0))
readConnectome() // load the default connectome once, up front
send({ ready: true })
