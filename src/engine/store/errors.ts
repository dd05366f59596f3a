/** Store failures; kept apart from store.ts so that error mapping does not load the native SQLite module. */
export class StoreError extends Error {
  override name = 'StoreError'
  constructor(
    message: string,
    /** Machine-readable kind, for the API's error codes. */
    readonly code: 'unknown-run' | 'ambiguous-id' | 'no-genome' | 'unusable' = 'unusable'
  ) {
    super(message)
  }
}
