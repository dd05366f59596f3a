/**
 * The MuJoCo WASM module of this process (the quadruped environment's physics), loaded once.
 *
 * The package's single-thread root build: its `mt` build needs browser globals (navigator) and fails in
 * Node. Loading compiles ~10 MB of WASM (about a second on a busy core), so it happens only when a
 * quadruped environment is first prepared (environments.ts: prepareEnvironment), not at start-up.
 */
import type { MainModule } from '@mujoco/mujoco'

let module: MainModule | null = null
let loading: Promise<MainModule> | null = null

/** Loads the module (once per process; later calls return the same promise). */
export function loadMujoco(): Promise<MainModule> {
  loading ??= import('@mujoco/mujoco')
    .then((m) => m.default())
    .then((m) => (module = m))
    .catch((e: unknown) => {
      loading = null
      throw new Error(`cannot load the MuJoCo WASM module: ${(e as Error).message}`, { cause: e })
    })
  return loading
}

/** The loaded module; throws if loadMujoco() has not finished. */
export function mujocoModule(): MainModule {
  if (!module)
    throw new Error(
      'the MuJoCo module is not loaded in this process: build quadruped environments with prepareEnvironment()'
    )
  return module
}

/**
 * The size of the module's WASM memory in bytes (it only grows). Taken from a typed-array view of it,
 * since the build does not export HEAP8; 0 before the module is loaded.
 */
export function mujocoHeapBytes(): number {
  if (!module) return 0
  const buf = new module.DoubleBuffer(1)
  try {
    return (buf.GetView() as Float64Array).buffer.byteLength
  } finally {
    buf.delete()
  }
}
