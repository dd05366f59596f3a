/**
 * The one owner of the run lifecycle: which actions a run allows, given its status and who holds it.
 * Run summaries carry the allowed actions (`actions`); the CLI, the app and the run manager use them and
 * re-derive nothing.
 *
 *   queued ──start──▶ running ──budget──▶ completed
 *                      │  ▲ resume
 *               pause  ▼  │            cancel (any unfinished state) ──▶ cancelled
 *                     paused           a failure ──▶ failed (resumable from its last checkpoint)
 *
 * A run marked `running` whose trainer died (no live owner process, or no heartbeat for HEARTBEAT_STALE_MS)
 * is `interrupted`: it can be resumed, cancelled or deleted.
 */
import { LabError } from '../../shared/errors'
import type { RunRow, RunStatus } from '../store/store'

export const RUN_ACTIONS = ['pause', 'resume', 'cancel', 'delete', 'rename'] as const
export type RunAction = (typeof RUN_ACTIONS)[number]

/** Who trains a running run: this process, another live process, or nobody (its trainer died). */
export type Liveness = 'here' | 'elsewhere' | 'interrupted' | null

/** A trainer writes its heartbeat every HEARTBEAT_MS; one silent for HEARTBEAT_STALE_MS is dead. */
export const HEARTBEAT_MS = 5_000
export const HEARTBEAT_STALE_MS = 60_000

/** True when a process with this id exists (also when it belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function liveness(
  row: Pick<RunRow, 'status' | 'ownerPid' | 'heartbeatAt'>,
  activeHere: boolean,
  now = Date.now()
): Liveness {
  if (row.status !== 'running') return null
  if (activeHere) return 'here'
  if (row.ownerPid === null || row.ownerPid === process.pid || !processAlive(row.ownerPid))
    return 'interrupted'
  const beat = row.heartbeatAt ? Date.parse(row.heartbeatAt) : NaN
  if (Number.isFinite(beat) && now - beat > HEARTBEAT_STALE_MS) return 'interrupted'
  return 'elsewhere'
}

/** The actions a run allows now. A run trained elsewhere is deleted only with force (cancelled first). */
export function allowedActions(
  status: RunRow['status'],
  live: Liveness,
  stopping: 'pause' | 'cancel' | null
): RunAction[] {
  if (status === 'running' && (live === 'here' || live === 'elsewhere')) {
    const out: RunAction[] = []
    if (stopping === null) out.push('pause')
    if (stopping !== 'cancel') out.push('cancel')
    if (live === 'here') out.push('delete')
    out.push('rename')
    return out
  }
  if (status === 'completed' || status === 'cancelled') return ['delete', 'rename']
  // queued, paused, failed, or running with a dead trainer
  return ['resume', 'cancel', 'delete', 'rename']
}

/** Throws a typed error when `action` is not allowed, naming why. */
export function requireAction(
  row: Pick<RunRow, 'id' | 'status' | 'ownerPid'>,
  live: Liveness,
  stopping: 'pause' | 'cancel' | null,
  action: RunAction
): void {
  if (allowedActions(row.status, live, stopping).includes(action)) return
  if (live === 'elsewhere')
    throw new LabError(
      'busy',
      action === 'delete'
        ? `run ${row.id} is being trained by process ${row.ownerPid}; cancel it first, or delete with --force (which cancels it)`
        : `run ${row.id} is being trained by process ${row.ownerPid}; ${action} is not possible from here`
    )
  if (live === 'interrupted')
    throw new LabError(
      'not-allowed',
      `run ${row.id} was interrupted (its trainer${row.ownerPid ? `, process ${row.ownerPid},` : ''} is gone); resume, cancel or delete it`
    )
  if (stopping && row.status === 'running')
    throw new LabError(
      'not-allowed',
      `run ${row.id} is stopping (${stopping}); try again once it has stopped`
    )
  throw new LabError('not-allowed', `run ${row.id} is ${row.status}; it cannot be ${pastTense(action)}`)
}

/** How a trainer's loop ended: its budget used, or stopped by a request it saw, or by an error. */
export type TrainerOutcome = 'completed' | 'paused' | 'cancelled' | 'failed'

/**
 * The status a trainer leaves its run in, given how its loop ended and the stop request pending in the
 * store when it finishes (read in the same transaction as the write, Store.finishRun). A cancel asked for
 * during the last generation wins, so a cancelled run never ends `completed` (nor `paused`); a pause asked
 * for then turns `completed` into `paused`; a failure stays a failure.
 */
export function finalStatus(outcome: TrainerOutcome, pending: 'pause' | 'cancel' | null): RunStatus {
  if (outcome === 'failed') return 'failed'
  if (pending === 'cancel') return 'cancelled'
  if (pending === 'pause' && outcome === 'completed') return 'paused'
  return outcome
}

/**
 * Throws unless process `pid` still holds the run (status running, owner `pid`). A trainer checks this in
 * every write: one that stalled past HEARTBEAT_STALE_MS, whose run another process then claimed, must not
 * write into it again.
 */
export function requireOwner(row: Pick<RunRow, 'id' | 'status' | 'ownerPid'>, pid: number): void {
  if (row.status === 'running' && row.ownerPid === pid) return
  throw new LabError(
    'busy',
    row.status === 'running' && row.ownerPid !== null
      ? `run ${row.id} was taken over by process ${row.ownerPid}; this process (${pid}) stops training it`
      : `run ${row.id} is no longer trained by process ${pid} (it is ${row.status}); this process stops training it`
  )
}

const pastTense = (a: RunAction): string =>
  ({ pause: 'paused', resume: 'resumed', cancel: 'cancelled', delete: 'deleted', rename: 'renamed' })[a]
