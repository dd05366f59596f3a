/** `lab worker --redis URL`: serve the cluster's rollouts from this machine (../../engine/cluster/worker-host.ts). */
import type { Command } from 'commander'
import { MAX_WORKERS } from '../../engine/pool/pool'
import { intArg } from '../args'

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'join a cluster: run the rollouts that `lab train|sweep|resume --backend redis://…` send to Redis'
    )
    .requiredOption(
      '--redis <url>',
      'the cluster’s Redis: redis://[:password@]host:port[/db], or rediss:// for TLS'
    )
    .option(
      '--concurrency <n>',
      `jobs at once = local processes, 1 to ${MAX_WORKERS} (default: CPU count − 1)`,
      intArg(1, MAX_WORKERS)
    )
    .option('--queue <name>', 'the queue to serve (default: connectome-lab)')
    .option(
      '--lock-ms <ms>',
      'a job’s lock lifetime; a worker silent this long is presumed dead (default 30000)',
      intArg(1000, 3_600_000)
    )
    .option(
      '--stalled-ms <ms>',
      'how often to look for jobs of dead workers (default 30000)',
      intArg(500, 3_600_000)
    )
    .option('--quiet', 'do not print a line per job')
    .action(
      async (o: {
        redis: string
        concurrency?: number
        queue?: string
        lockMs?: number
        stalledMs?: number
        quiet?: boolean
      }) => {
        const { redisOptions } = await import('../../engine/cluster/connection')
        redisOptions(o.redis) // a bad URL is an error before anything starts
        const { startWorkerHost } = await import('../../engine/cluster/worker-host')
        const line = (s: string) => process.stderr.write(`lab worker: ${s}\n`)
        const host = await startWorkerHost({
          url: o.redis,
          concurrency: o.concurrency,
          queue: o.queue,
          lockMs: o.lockMs,
          stalledMs: o.stalledMs,
          log: (s) => {
            if (!o.quiet || !s.startsWith('job ')) line(s)
          }
        })
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            line(`${signal}: finishing the current jobs, then leaving the cluster`)
            resolve()
          }
          process.once('SIGINT', () => stop('SIGINT'))
          process.once('SIGTERM', () => stop('SIGTERM'))
        })
        await host.close()
        const s = host.stats()
        line(`done: ${s.completed} job(s) completed, ${s.failed} failed`)
      }
    )
}
