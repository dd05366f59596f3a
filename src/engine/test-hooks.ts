/**
 * Test hooks: environment variables that widen race windows on purpose, so that the race tests
 * (test/cli/races.test.ts) meet the interleavings they check on every iteration instead of by luck. Unset
 * (the default, and always outside tests) each costs one environment lookup and changes nothing.
 *
 * - `CONNECTOME_LAB_TEST_CLAIM_DELAY_MS`: sleep this long inside the lifecycle transactions that decide
 *   on a row another process may change (Store.claimRun, Store.stopRun), after the row is read and before
 *   it is written. Two racing `lab resume` then both read the row before either writes it, unless the
 *   transaction keeps them apart.
 * - `CONNECTOME_LAB_TEST_FINISH_DELAY_MS`: a trainer sleeps this long after storing its last generation and
 *   before its finishing transaction (Store.finishRun), as if its last generation were that much slower.
 *
 * - `CONNECTOME_LAB_TEST_FLUSH_MS`: the trainer's shortest time between two batched writes (default
 *   1000 ms; 0 writes every generation), so that a test can kill a trainer after a given generation
 *   however fast its generations are.
 *
 * The sleep blocks the thread (Atomics.wait), as it must inside a better-sqlite3 transaction, which is
 * synchronous. Values are capped at 60 s.
 */
export type TestDelay = 'CONNECTOME_LAB_TEST_CLAIM_DELAY_MS' | 'CONNECTOME_LAB_TEST_FINISH_DELAY_MS'

/** The batch-write interval a test asks for, or null. */
export function testFlushMs(): number | null {
  const raw = process.env.CONNECTOME_LAB_TEST_FLUSH_MS
  if (raw === undefined || raw === '') return null
  const ms = Number(raw)
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 60_000) : null
}

export function testDelay(name: TestDelay): void {
  const raw = process.env[name]
  if (!raw) return
  const ms = Number(raw)
  if (!Number.isFinite(ms) || ms <= 0) return
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 60_000))
}
