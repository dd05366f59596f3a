import type { RunManager } from '../engine/runs/manager'
import type { RunRow } from '../engine/store/store'
import { formatGeneration } from './format'
import { Progress } from './progress'

/** Runs one run to its end with a progress bar and a line per generation; returns the final row. */
export async function driveRun(
  manager: RunManager,
  run: RunRow,
  json: boolean,
  start: Parameters<RunManager['start']>[1] = {}
): Promise<RunRow> {
  const progress = new Progress()
  const onProgress = (e: Parameters<Progress['update']>[2]) => {
    if (e.runId !== run.id) return
    progress.log(
      json
        ? JSON.stringify({ runId: e.runId, ...e.report, transportMs: e.transportMs })
        : formatGeneration(run.environment, e.report)
    )
    progress.update(`${run.algorithm} ${run.id}`, run.environment, e)
  }
  manager.on('progress', onProgress)
  try {
    return await manager.start(run.id, start)
  } finally {
    manager.off('progress', onProgress)
    progress.stop()
  }
}
