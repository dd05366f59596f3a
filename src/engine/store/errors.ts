/** Store failures; kept apart from store.ts so that error mapping does not load the native SQLite module. */
export class StoreError extends Error {
  override name = 'StoreError'
  constructor(
    message: string,
    /** Machine-readable kind, for the API's error codes ('unusable': the workspace file itself). */
    readonly code:
      | 'unknown-run'
      | 'ambiguous-id'
      | 'invalid-id'
      | 'no-genome'
      | 'corrupt-checkpoint'
      | 'not-allowed'
      | 'unusable' = 'unusable'
  ) {
    super(message)
  }
}

/** The characters of a run or sweep id (ids are made by the store: `r` or `s`, base-36 time, hex). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/

/** The shortest prefix that may stand for a run id (an exact id of any length is always accepted). */
export const MIN_ID_PREFIX = 3

/**
 * Refuses an empty, blank or malformed run or sweep reference, naming it (`what`: "run id", "sweep id").
 * Pure: the CLI checks its arguments with it before it opens anything.
 */
export function checkIdSyntax(value: unknown, what = 'run id'): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new StoreError(`a ${what} is needed, got an empty one`, 'invalid-id')
  if (!ID_PATTERN.test(value))
    throw new StoreError(
      `${JSON.stringify(value)} is not a ${what}: ids hold only letters, digits, '-' and '_'`,
      'invalid-id'
    )
  return value
}
