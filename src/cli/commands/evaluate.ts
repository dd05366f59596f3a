import type { Command } from 'commander'
import { evaluateOnTasks, parseTaskList } from '../../engine/analysis/heldout'
import { checkIdSyntax } from '../../engine/store/errors'
import { openStore } from '../context'

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description("evaluate runs' best genomes on other food layouts (held-out tasks), without training")
    .argument('<runs...>', 'run ids (or unique prefixes)')
    .option('--tasks <list>', 'layouts, comma-separated; random:A-B is a range', 'random:1-10')
    .option('--json', 'print the result as JSON')
    .option('--db <path>', 'workspace database')
    .action((runs: string[], opts: { tasks: string; json?: boolean; db?: string }) => {
      for (const id of runs) checkIdSyntax(id)
      const tasks = parseTaskList(opts.tasks)
      const store = openStore(opts, 'read')
      try {
        const r = evaluateOnTasks(store, runs, tasks)
        if (opts.json) {
          process.stdout.write(JSON.stringify(r, null, 2) + '\n')
          return
        }
        process.stdout.write(`${r.metric} on ${tasks.length} task(s): ${tasks.join(', ')}\n`)
        for (const row of r.rows)
          process.stdout.write(
            `${row.run}  ${row.algorithm.padEnd(12)} ${row.environment.padEnd(13)} trained on ${row.trainedOn.padEnd(10)} ` +
              `${row.mean.toFixed(2)} ± ${row.std.toFixed(2)}  [${row.values.join(' ')}]\n`
          )
      } finally {
        store.close()
      }
    })
}
