/**
 * A run's best genome on other food layouts than the one it trained on (held-out tasks such as
 * random:SEED): the generalisation test of issue 11's connectome comparison. Works for every
 * environment whose spec has a `task` (the worm and the plastic worm); the layout must not change with
 * the task (a custom layout's hash holds its food, so those runs are refused).
 */
import { mean, sampleStandardDeviation } from 'simple-statistics'
import { parseEnvironmentSpec } from '../../core/env/registry'
import { LabError } from '../../shared/errors'
import { loadEnvironment } from '../environments'
import type { Store } from '../store/store'

export interface HeldOutRow {
  run: string
  algorithm: string
  environment: string
  trainedOn: string
  /** The environment's headline metric on each task, in task order. */
  values: number[]
  mean: number
  std: number
}

export interface HeldOut {
  tasks: string[]
  metric: string
  rows: HeldOutRow[]
}

/** Task lists as `lab evaluate --tasks` takes them: names separated by commas, `random:A-B` a range. */
export function parseTaskList(text: string): string[] {
  const out: string[] = []
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue
    const range = /^random:(\d+)-(\d+)$/.exec(part)
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])]
      if (b < a || b - a >= 1000) throw new LabError('invalid-config', `--tasks: bad range '${part}'`)
      for (let s = a; s <= b; s++) out.push(`random:${s}`)
    } else out.push(part)
  }
  if (out.length === 0) throw new LabError('invalid-config', '--tasks: no task given')
  return out
}

export function evaluateOnTasks(store: Store, runIds: string[], tasks: string[]): HeldOut {
  let metric: string | null = null
  const rows = runIds.map((id): HeldOutRow => {
    const run = store.getRun(id)
    const spec = run.envSpec as Record<string, unknown>
    if (typeof spec.task !== 'string' || spec.food !== undefined)
      throw new LabError(
        'unsupported',
        `run ${run.id} trains the ${run.environment} environment on ${run.task}, which has no other food layouts`
      )
    const own = loadEnvironment(run.envSpec)
    if (own.layout.hash !== run.layoutHash)
      throw new LabError('not-allowed', `run ${run.id} was trained on another genome layout`)
    if (metric !== null && metric !== own.headline)
      throw new LabError('invalid-config', `runs measure different metrics (${metric}, ${own.headline})`)
    metric = own.headline
    const genome = store.bestGenome(run.id, own.prior).weights
    const values = tasks.map((task) => {
      const env = loadEnvironment(parseEnvironmentSpec({ ...spec, task }))
      if (env.layout.hash !== own.layout.hash)
        throw new LabError('not-allowed', `task ${task} changes the genome layout of run ${run.id}`)
      return env.evaluate(genome).metrics[own.headline]
    })
    return {
      run: run.id,
      algorithm: run.algorithm,
      environment: run.environment,
      trainedOn: run.task,
      values,
      mean: mean(values),
      std: values.length > 1 ? sampleStandardDeviation(values) : 0
    }
  })
  return { tasks, metric: metric ?? '', rows }
}
