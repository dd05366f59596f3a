#!/usr/bin/env node
/** The `lab` command line: a thin shell over src/engine and src/core. */
import { Command, CommanderError } from 'commander'
import { registerAnalyseCommand } from './commands/analyse'
import { registerCompareCommand } from './commands/compare'
import { registerAnnotateCommands } from './commands/annotate'
import { registerConnectomeCommands } from './commands/connectome'
import { registerEvaluateCommand } from './commands/evaluate'
import { registerExportCommand } from './commands/export'
import { registerRolloutCommand } from './commands/rollout'
import { registerRunCommands } from './commands/runs'
import { registerServeCommand } from './commands/serve'
import { registerReportCommand } from './commands/report'
import { registerSweepCommand } from './commands/sweep'
import { registerTrainCommand } from './commands/train'
import { registerWorkerCommand } from './commands/worker'

export function buildProgram(): Command {
  const program = new Command()
    .name('lab')
    .description('Connectome Lab: train and analyse the C. elegans connectome from the command line')
    // Every error is one line, `lab: error: …` (commander's own included); `lab help CMD` shows usage.
    .configureOutput({
      outputError: (text, write) => write(`lab: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`)
    })
  registerRolloutCommand(program)
  registerConnectomeCommands(program)
  registerTrainCommand(program)
  registerSweepCommand(program)
  registerRunCommands(program)
  registerExportCommand(program)
  registerServeCommand(program)
  registerCompareCommand(program)
  registerAnnotateCommands(program)
  registerReportCommand(program)
  registerEvaluateCommand(program)
  registerAnalyseCommand(program)
  registerWorkerCommand(program)
  return program
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode
    process.stderr.write(`lab: error: ${(e as Error).message}\n`)
    return 1
  }
}

main(process.argv).then((code) => {
  process.exitCode = code
})
