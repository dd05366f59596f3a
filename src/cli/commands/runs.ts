import type { Command } from 'commander'
import { compileNetwork } from '../../core/model/network'
import { modelParams } from '../../core/model/params'
import { WormSimulator } from '../../core/model/rollout'
import { writeFileAtomic } from '../../engine/fs-util'
import { readConnectome } from '../../engine/resources'
import { resolveTask } from '../../engine/task-file'
import { timeProfile } from '../../engine/runs/profile'
import { traceToJson } from '../../engine/trace-file'
import type { RunRow, RunStatus } from '../../engine/store/store'
import { openStore, withEngine } from '../context'
import { driveRun, intArg } from './train'

/** The JSON shape of a run in listings (`lab runs --json`, `lab show --json`). */
export const runJson = (r: RunRow) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  algorithm: r.algorithm,
  task: r.task,
  seed: r.seed,
  generation: r.generation,
  evaluations: r.evaluations,
  bestFoodEaten: r.bestFoodEaten,
  bestFitness: r.bestFitness,
  wallSeconds: r.wallSeconds,
  sweepId: r.sweepId,
  budget: r.budget,
  createdAt: r.createdAt,
  codeVersion: r.codeVersion
})

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()
      )
      .join('\n') + '\n'
  )
}

export function registerRunCommands(program: Command): void {
  program
    .command('runs')
    .description('list the runs of the workspace')
    .option('--sweep <id>', 'only the runs of one sweep')
    .option('--status <status>', 'only runs with this status')
    .option('--json', 'print a JSON array')
    .option('--db <path>', 'workspace database')
    .action((opts: { sweep?: string; status?: RunStatus; json?: boolean; db?: string }) => {
      const store = openStore(opts)
      try {
        const runs = store.listRuns({ sweepId: opts.sweep, status: opts.status })
        if (opts.json) {
          process.stdout.write(JSON.stringify(runs.map(runJson)) + '\n')
          return
        }
        if (runs.length === 0) {
          process.stdout.write(`no runs in ${store.path}\n`)
          return
        }
        const header = [
          'ID',
          'NAME',
          'ALGO',
          'TASK',
          'SEED',
          'STATUS',
          'GEN',
          'EVALS',
          'FOOD',
          'FITNESS',
          'TIME'
        ]
        const rows = runs.map((r) => [
          r.id,
          r.name.length > 28 ? r.name.slice(0, 27) + '…' : r.name,
          r.algorithm,
          r.task,
          String(r.seed),
          r.status,
          String(r.generation),
          String(r.evaluations),
          r.bestFoodEaten === null ? '-' : String(r.bestFoodEaten),
          r.bestFitness === null ? '-' : r.bestFitness.toFixed(1),
          `${r.wallSeconds.toFixed(0)}s`
        ])
        process.stdout.write(table([header, ...rows]))
      } finally {
        store.close()
      }
    })

  program
    .command('show')
    .description('show one run: settings, status and its per-generation metrics')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print JSON')
    .option('--db <path>', 'workspace database')
    .action((runId: string, opts: { json?: boolean; db?: string }) => {
      const store = openStore(opts)
      try {
        const run = store.getRun(runId)
        const metrics = store.metrics(run.id)
        if (opts.json) {
          const profile = timeProfile(metrics)
          process.stdout.write(
            JSON.stringify({
              ...runJson(run),
              config: run.config,
              tags: run.tags,
              notes: run.notes,
              error: run.error,
              profile,
              metrics
            }) + '\n'
          )
          return
        }
        const lines = [
          `run        ${run.id}  ${run.name}`,
          `status     ${run.status}${run.error ? ` (${run.error})` : ''}`,
          `algorithm  ${run.algorithm} on ${run.task}, seed ${run.seed}`,
          `budget     ${JSON.stringify(run.budget)}`,
          `config     ${JSON.stringify(run.config)}`,
          `connectome ${run.connectome} (${run.pairsHash}), code ${run.codeVersion}`,
          `created    ${run.createdAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
          ''
        ]
        const rows = [['GEN', 'EVALS', 'TIME', 'BEST', 'MEAN', 'WORST', 'FOOD', 'L0', 'L2']]
        for (const m of metrics) {
          rows.push([
            String(m.generation),
            String(m.evaluations),
            `${m.wallSeconds.toFixed(1)}s`,
            m.bestFitness.toFixed(2),
            m.meanFitness.toFixed(2),
            m.worstFitness.toFixed(2),
            String(m.bestFood),
            String(m.bestL0),
            m.bestL2.toFixed(2)
          ])
        }
        const prof = timeProfile(metrics)
        const pct = (x: number) => `${(100 * x).toFixed(1)} %`
        const profile = prof
          ? `\ntime: ${prof.wallSeconds.toFixed(1)} s; worker time: rollouts ${pct(prof.rollouts)}, MADS ${pct(prof.mads)}, ` +
            `transport ${pct(prof.transport)}, idle ${pct(prof.idle)}; algorithm ${pct(prof.algorithm)} of wall clock\n`
          : ''
        process.stdout.write(
          lines.join('\n') + '\n' + (metrics.length ? table(rows) : 'no generations yet\n') + profile
        )
      } finally {
        store.close()
      }
    })

  program
    .command('resume')
    .description('continue a paused or interrupted run from its last checkpoint')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print one JSON report per generation')
    .option('--db <path>', 'workspace database')
    .option('--workers <n>', 'worker processes (default: CPU count − 1)', intArg(1))
    .action(async (runId: string, opts: { json?: boolean; db?: string; workers?: number }) => {
      await withEngine(opts, async ({ store, manager }) => {
        const run = store.getRun(runId)
        if (!opts.json) process.stdout.write(`resuming ${run.id} at generation ${run.generation}\n`)
        const done = await driveRun(manager, run, Boolean(opts.json))
        if (!opts.json)
          process.stdout.write(
            `run ${done.id} ${done.status}: ${done.generation} generations, best food ${done.bestFoodEaten}\n`
          )
      })
    })

  for (const [name, status, verb] of [
    ['cancel', 'cancelled', 'cancel a run (it cannot be resumed afterwards)'],
    ['delete', 'deleted', 'delete a run and everything stored for it']
  ] as const) {
    program
      .command(name)
      .description(verb)
      .argument('<run>', 'run id (or a unique prefix)')
      .option('--db <path>', 'workspace database')
      .action((runId: string, opts: { db?: string }) => {
        const store = openStore(opts)
        try {
          const run = store.getRun(runId)
          if (name === 'delete') store.deleteRun(run.id)
          else if (run.status !== 'completed' && run.status !== 'cancelled')
            store.setStatus(run.id, 'cancelled')
          process.stdout.write(`run ${run.id} ${status}\n`)
        } finally {
          store.close()
        }
      })
  }

  program
    .command('replay')
    .description("re-run a run's best genome and write the full trace (for replays and videos)")
    .argument('<run>', 'run id (or a unique prefix)')
    .requiredOption('--trace <file>', 'trace JSON to write')
    .option('--generation <n>', 'the best genome of this generation (default: the latest)', intArg(1))
    .option('--task <name>', "food layout (default: the run's task)")
    .option('--food <file>', 'custom food layout file')
    .option('--json', 'print the result as JSON')
    .option('--db <path>', 'workspace database')
    .action(
      (
        runId: string,
        opts: {
          trace: string
          generation?: number
          task?: string
          food?: string
          json?: boolean
          db?: string
        }
      ) => {
        const store = openStore(opts)
        try {
          const run = store.getRun(runId)
          const g = store.bestGenome(run.id, opts.generation)
          const c = readConnectome(run.connectome)
          const task = resolveTask(opts.task ?? run.task, opts.food)
          const params = modelParams((run.config.model ?? {}) as object)
          const result = new WormSimulator(compileNetwork(c), params).run(g.weights, task, { trace: true })
          writeFileAtomic(
            opts.trace,
            traceToJson(
              {
                connectome: c.id,
                pairsHash: c.pairsHash,
                task: task.name,
                run: run.id,
                generation: g.generation
              },
              result
            )
          )
          const { foodEaten, reward, fitness, l0, l2 } = result
          process.stdout.write(
            opts.json
              ? JSON.stringify({
                  run: run.id,
                  generation: g.generation,
                  task: task.name,
                  foodEaten,
                  reward,
                  fitness,
                  l0,
                  l2
                }) + '\n'
              : `run ${run.id} generation ${g.generation} on ${task.name}: ${foodEaten} eaten, fitness ${fitness.toFixed(3)}; trace written to ${opts.trace}\n`
          )
        } finally {
          store.close()
        }
      }
    )
}
