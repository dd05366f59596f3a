/**
 * The machine-readable error kinds of the lab, shared by the engine, the CLI and the app API (errors cross
 * the API as these codes, never by matching message text). Dependency-free: the preload imports it.
 */
export const LAB_ERROR_CODES = [
  /** No run has that id (or prefix). */
  'unknown-run',
  /** A run id prefix matches several runs. */
  'ambiguous-id',
  /** An empty, blank or malformed run id, or a prefix shorter than 3 characters. */
  'invalid-id',
  /** A run request, config or environment failed validation; the message names the key. */
  'invalid-config',
  /** Another live process holds the run (trains it), so the action must wait or be forced. */
  'busy',
  /** The run's state does not allow the action (e.g. resuming a completed run). */
  'not-allowed',
  /** The run has no stored genome (for that generation). */
  'no-genome',
  /** A run's checkpoint is damaged (the message names the run and generation, and any intact one). */
  'corrupt-checkpoint',
  /** The run's environment does not support the request (e.g. a worm replay of a quadratic run). */
  'unsupported',
  /** The backend is shutting down. */
  'closed'
] as const

export type LabErrorCode = (typeof LAB_ERROR_CODES)[number]

/** An expected failure with its code; anything else is an internal error. */
export class LabError extends Error {
  override name = 'LabError'
  constructor(
    readonly code: LabErrorCode,
    message: string
  ) {
    super(message)
  }
}
