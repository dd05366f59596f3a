import type { Command } from 'commander'
import { genomeToCsv } from '../../core/connectome/genome'
import { readConnectome } from '../../engine/resources'

export function registerConnectomeCommands(program: Command): void {
  program
    .command('connectome')
    .description('describe the connectome and its genome order')
    .option('--csv', 'print the genome order as pre,post,w0 (one row per weight)')
    .option('--json', 'print the summary as JSON')
    .action((opts: { csv?: boolean; json?: boolean }) => {
      const c = readConnectome()
      if (opts.csv) {
        process.stdout.write(genomeToCsv(c))
        return
      }
      let min = Infinity
      let max = -Infinity
      for (const w of c.w0) {
        min = Math.min(min, w)
        max = Math.max(max, w)
      }
      const summary = {
        id: c.id,
        name: c.name,
        neurons: c.neurons.length,
        muscles: c.muscles.length,
        locomotionMuscles: c.muscles.filter((m) => m.locomotion).length,
        weights: c.w0.length,
        weightRange: [min, max],
        pairsHash: c.pairsHash,
        sensory: c.sensory
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary) + '\n')
        return
      }
      process.stdout.write(
        [
          `${summary.name} [${summary.id}]`,
          `neurons            ${summary.neurons}`,
          `muscles            ${summary.muscles} (${summary.locomotionMuscles} locomotion)`,
          `weights (genome)   ${summary.weights}, W0 in ${min}…${max}`,
          `pairs hash         ${summary.pairsHash}`,
          `touch sensors      ${c.sensory.touch.join(' ')}`,
          `food sensors       ${c.sensory.food.join(' ')}`,
          ...c.sources.map((s) => `source             ${s}`)
        ].join('\n') + '\n'
      )
    })
}
