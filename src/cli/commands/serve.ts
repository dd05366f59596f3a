import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { closeOnSignal, defaultStaticDir, startServe } from '../../engine/serve'
import { intArg, LIMITS } from '../args'
import { dbPath } from '../context'

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the built app to a browser on 127.0.0.1, with the backend over a local WebSocket bridge; prints the URL with its session token'
    )
    .option('--port <n>', 'port (default: a free one)', intArg(0, LIMITS.port), 0)
    .option('--static <dir>', 'built renderer folder (default: out/renderer; build it with `npm run build`)')
    .option('--db <path>', 'workspace database (default: the per-user file shared with the desktop app)')
    .option(
      '--workers <n>',
      'worker processes for runs started from the page (default: CPU count − 1)',
      intArg(1, LIMITS.workers)
    )
    .option(
      '--backend <url>',
      'where runs started from the page do their rollouts: local (default) or a redis:// URL (docs/cluster.md)'
    )
    .action(
      async (opts: { port: number; static?: string; db?: string; workers?: number; backend?: string }) => {
        const db = opts.db === undefined ? undefined : dbPath(opts) // refuses `--db ''`
        const dir = opts.static ?? defaultStaticDir()
        if (!existsSync(join(dir, 'index.html')))
          throw new Error(`no built renderer in ${dir}: run \`npm run build\` first`)
        const server = await startServe({
          port: opts.port,
          staticDir: dir,
          dbPath: db,
          workers: opts.workers,
          rollouts: opts.backend,
          log: (l) => process.stderr.write(l + '\n')
        })
        // The URL carries the session token the bridge requires.
        process.stdout.write(`Connectome Lab at ${server.url}  (Ctrl-C to stop)\n`)
        await closeOnSignal(server)
      }
    )
}
