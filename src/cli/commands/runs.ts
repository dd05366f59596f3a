import type { Command } from 'commander'
import { WormEnvironment } from '../../core/env/worm'
import { WormSimulator } from '../../core/model/rollout'
import { checkOutputPath, writeFileAtomic } from '../../engine/fs-util'
import { defaultDbPath } from '../../engine/paths'
import { foodLayoutTask, readFoodLayout } from '../../engine/task-file'
import { taskByName } from '../../core/tasks/tasks'
import { allowedActions, liveness } from '../../engine/runs/lifecycle'
import { timeProfile } from '../../engine/runs/profile'
import { traceToJson } from '../../engine/trace-file'
import { checkIdSyntax } from '../../engine/store/errors'
import type { RunRow, RunStatus } from '../../engine/store/store'
import { intArg, LIMITS } from '../args'
import { openStore, withEngine, withManager } from '../context'
import { driveRun } from '../drive'
import { formatMetrics, headlineLabel, headlineValue, table } from '../format'
import { runEnvironment } from './export'

/** The JSON shape of a run in listings (`lab runs --json`, `lab show --json`). */
export const runJson = (r: RunRow) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  live: liveness(r, false),
  actions: allowedActions(r.status, liveness(r, false), r.status === 'running' ? r.stopRequest : null),
  algorithm: r.algorithm,
  environment: r.environment,
  task: r.task,
  seed: r.seed,
  generation: r.generation,
  evaluations: r.evaluations,
  bestFitness: r.bestFitness,
  bestMetrics: r.bestMetrics,
  wallSeconds: r.wallSeconds,
  sweepId: r.sweepId,
  budget: r.budget,
  createdAt: r.createdAt,
  codeVersion: r.codeVersion
})

export function registerRunCommands(program: Command): void {
  program
    .command('runs')
    .description('list the runs of the workspace')
    .option('--sweep <id>', 'only the runs of one sweep')
    .option('--status <status>', 'only runs with this status')
    .option('--json', 'print a JSON array')
    .option('--db <path>', 'workspace database')
    .action((opts: { sweep?: string; status?: RunStatus; json?: boolean; db?: string }) => {
      if (opts.sweep !== undefined) checkIdSyntax(opts.sweep, 'sweep id')
      const store = openStore(opts, 'read')
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
          'BEST',
          'FITNESS',
          'TIME'
        ]
        const rows = runs.map((r) => [
          r.id,
          r.name.length > 28 ? r.name.slice(0, 27) + '…' : r.name,
          r.algorithm,
          r.task,
          String(r.seed),
          r.status === 'running' && liveness(r, false) === 'interrupted' ? 'interrupted' : r.status,
          String(r.generation),
          String(r.evaluations),
          r.bestMetrics
            ? `${headlineLabel(r.environment)} ${headlineValue(r.environment, r.bestMetrics)}`
            : '-',
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
      checkIdSyntax(runId)
      const store = openStore(opts, 'read')
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
          `env        ${JSON.stringify(run.envSpec)}: ${run.genomeLength} values, layout ${run.layoutHash}; code ${run.codeVersion}`,
          `created    ${run.createdAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
          ...(run.tags.length ? [`tags       ${run.tags.join(', ')}`] : []),
          ...(run.notes ? [`notes      ${run.notes.replace(/\n/g, '\n           ')}`] : []),
          ''
        ]
        const rows = [['GEN', 'EVALS', 'TIME', 'BEST', 'MEAN', 'WORST', 'METRICS']]
        for (const m of metrics) {
          rows.push([
            String(m.generation),
            String(m.evaluations),
            `${m.wallSeconds.toFixed(1)}s`,
            m.bestFitness.toFixed(2),
            m.meanFitness.toFixed(2),
            m.worstFitness.toFixed(2),
            formatMetrics(run.environment, m.metrics)
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
    .option(
      '--from-previous-checkpoint',
      'when the newest checkpoint is damaged: delete it and the generations after the previous checkpoint, then resume from that one'
    )
    .option('--json', 'print one JSON report per generation')
    .option('--db <path>', 'workspace database')
    .option('--workers <n>', 'worker processes (default: CPU count − 1)', intArg(1, LIMITS.workers))
    .option('--backend <url>', 'local (default) or a redis:// URL: the cluster of `lab worker` processes')
    .action(
      async (
        runId: string,
        opts: { json?: boolean; db?: string; workers?: number; fromPreviousCheckpoint?: boolean }
      ) => {
        checkIdSyntax(runId)
        await withEngine(opts, 'read', async ({ store, manager }) => {
          const run = store.getRun(runId)
          const fromPrevious = Boolean(opts.fromPreviousCheckpoint)
          if (!opts.json)
            process.stdout.write(
              fromPrevious
                ? `resuming ${run.id} from its previous checkpoint\n`
                : `resuming ${run.id} at generation ${run.generation}\n`
            )
          const done = await driveRun(manager, run, Boolean(opts.json), {
            fromPreviousCheckpoint: fromPrevious
          })
          if (!opts.json)
            process.stdout.write(
              `run ${done.id} ${done.status}: ${done.generation} generations, best ${formatMetrics(done.environment, done.bestMetrics)}\n`
            )
        })
      }
    )

  program
    .command('pause')
    .description(
      'pause a run another process (the app, another `lab train`) is training; it stops after its current generation'
    )
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--db <path>', 'workspace database')
    .action(async (runId: string, opts: { db?: string }) => {
      checkIdSyntax(runId)
      await withManager(opts, async (manager) => {
        const row = await manager.pause(runId)
        process.stdout.write(
          `run ${row.id}: pause requested; process ${row.ownerPid} stops it after its current generation\n`
        )
      })
    })

  program
    .command('cancel')
    .description(
      'cancel a run (it cannot be resumed afterwards); one trained by another process stops there within a generation'
    )
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--db <path>', 'workspace database')
    .action(async (runId: string, opts: { db?: string }) => {
      checkIdSyntax(runId)
      await withManager(opts, async (manager) => {
        const row = await manager.cancel(runId)
        process.stdout.write(
          row.status === 'running'
            ? `run ${row.id}: cancel requested; process ${row.ownerPid} stops it after its current generation\n`
            : `run ${row.id} cancelled\n`
        )
      })
    })

  program
    .command('delete')
    .description(
      'delete a run and everything stored for it (refused while another process trains it, unless --force)'
    )
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--force', 'delete a run another process is training: cancel it there first, then delete')
    .option('--db <path>', 'workspace database')
    .action(async (runId: string, opts: { db?: string; force?: boolean }) => {
      checkIdSyntax(runId)
      await withManager(opts, async (manager) => {
        const row = manager.get(runId)
        await manager.delete(row.id, { force: opts.force })
        // The full id and name: a prefix never removes a run the user did not see named.
        process.stdout.write(`run ${row.id} deleted (${JSON.stringify(row.name)})\n`)
      })
    })

  program
    .command('replay')
    .description("re-run a run's best genome and write the full trace (for replays and videos)")
    .argument('<run>', 'run id (or a unique prefix)')
    .requiredOption('--trace <file>', 'trace JSON to write')
    .option(
      '--generation <n>',
      'the best genome of this generation (default: the latest)',
      intArg(1, LIMITS.generations)
    )
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
        checkIdSyntax(runId)
        // Inputs and the output are checked before the workspace is opened or anything is simulated.
        checkOutputPath(opts.trace, '--trace', { avoid: [opts.db ?? defaultDbPath()] })
        const layout = opts.food !== undefined ? readFoodLayout(opts.food) : undefined
        const named = !layout && opts.task !== undefined ? taskByName(opts.task) : undefined
        const store = openStore(opts, 'read')
        try {
          const run = store.getRun(runId)
          const env = runEnvironment(run)
          if (!(env instanceof WormEnvironment))
            throw new Error(
              `run ${run.id} trains the ${run.environment} environment, which has no trace to replay`
            )
          const g = store.bestGenome(run.id, env.prior, opts.generation)
          const c = env.connectome
          const p = env.sim.params
          const task = layout
            ? foodLayoutTask(layout, { width: p.arenaWidth, height: p.arenaHeight })
            : (named ?? taskByName(run.task))
          const result = new WormSimulator(env.sim.net, env.sim.params).run(g.weights, task, { trace: true })
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
