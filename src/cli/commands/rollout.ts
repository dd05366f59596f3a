import type { Command } from 'commander'
import { compileNetwork } from '../../core/model/network'
import { WormSimulator } from '../../core/model/rollout'
import { readGenomeFile } from '../../engine/genome-file'
import { checkOutputPath, writeFileAtomic } from '../../engine/fs-util'
import { readConnectome } from '../../engine/resources'
import { resolveTask } from '../../engine/task-file'
import { traceToJson } from '../../engine/trace-file'

export function registerRolloutCommand(program: Command): void {
  program
    .command('rollout')
    .description('run one deterministic foraging rollout and print its result')
    .option('--task <name>', 'food layout: triangle … octagon, or random:SEED', 'pentagon')
    .option(
      '--food <file>',
      'custom food layout: JSON [[x, y], ...] or CSV with x,y columns (overrides --task)'
    )
    .option('--genome <file>', 'genome (.json, .npy or .csv); default: the untrained connectome W0')
    .option('--trace <file>', 'write the full per-step trace as JSON')
    .option('--json', 'print the result as JSON')
    .action((opts: { task: string; food?: string; genome?: string; trace?: string; json?: boolean }) => {
      if (opts.trace !== undefined) checkOutputPath(opts.trace, '--trace')
      const connectome = readConnectome()
      const task = resolveTask(opts.task, opts.food)
      const genome = opts.genome !== undefined ? readGenomeFile(opts.genome, connectome) : connectome.w0
      const sim = new WormSimulator(compileNetwork(connectome))
      const result = sim.run(genome, task, { trace: Boolean(opts.trace) })
      if (opts.trace) {
        writeFileAtomic(
          opts.trace,
          traceToJson({ connectome: connectome.id, pairsHash: connectome.pairsHash, task: task.name }, result)
        )
      }
      const { foodEaten, reward, fitness, l0, l2, spikes } = result
      if (opts.json) {
        process.stdout.write(
          JSON.stringify({ task: task.name, foodEaten, reward, fitness, l0, l2, spikes }) + '\n'
        )
        return
      }
      const nFood = task.food.length / 2
      process.stdout.write(
        [
          `task      ${task.name}`,
          `genome    ${opts.genome ?? 'W0 (untrained)'}`,
          `food      ${foodEaten} of ${nFood} eaten`,
          `reward    ${reward.toFixed(6)}`,
          `fitness   ${fitness.toFixed(6)}`,
          `L0        ${l0} weights changed`,
          `L2        ${l2.toFixed(6)}`,
          `spikes    ${spikes}`,
          ...(opts.trace ? [`trace     ${opts.trace}`] : [])
        ].join('\n') + '\n'
      )
    })
}
