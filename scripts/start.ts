/**
 * `npm start`: Connectome Lab in its Electron window when the Electron binary is installed
 * (`electron-vite preview`, as before), otherwise in browser mode: the same backend and the same built
 * renderer (out/renderer, built by `electron-vite build` when it is missing or older than the sources),
 * served on 127.0.0.1 by startServe (src/engine/serve.ts) with a fresh session token.
 *
 * Browser mode prints one line on stdout, the page URL with its token, and opens the system browser
 * ($BROWSER, else xdg-open with a display / open / explorer; BROWSER=none opens nothing, and no browser
 * is no error). Build logs and notes go to stderr. Ctrl-C or SIGTERM closes the server, its backend and
 * its worker pool, then exits 0 (1 if closing fails). Under `npm start`, npm itself then re-raises the
 * SIGINT, so the shell sees 130 after Ctrl-C.
 *
 * Environment: CONNECTOME_LAB_DB (the workspace database, default: the per-user one shared with the CLI),
 * ELECTRON_EXEC_PATH (the Electron binary, as for electron-vite), ELECTRON_OVERRIDE_DIST_PATH (as for the
 * electron package: the folder holding it), BROWSER.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ELECTRON_VITE = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
/** What the build reads: a build older than any of these is rebuilt. */
const BUILD_INPUTS = [
  'src',
  'electron.vite.config.ts',
  'package.json',
  'tsconfig.base.json',
  'tsconfig.web.json',
  'tsconfig.node.json'
]

const note = (line: string): void => void process.stderr.write(`npm start: ${line}\n`)

/**
 * The Electron executable, if installed: $ELECTRON_EXEC_PATH (electron-vite's override), else the file
 * node_modules/electron/path.txt names under node_modules/electron/dist (or under
 * $ELECTRON_OVERRIDE_DIST_PATH), as the electron package resolves it.
 */
export function electronBinary(root = ROOT, env: NodeJS.ProcessEnv = process.env): string | null {
  const isFile = (file: string): boolean => existsSync(file) && statSync(file).isFile()
  if (env.ELECTRON_EXEC_PATH) return isFile(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  const file = override ? join(override, name || 'electron') : name ? join(pkg, 'dist', name) : null
  return file !== null && isFile(file) ? file : null
}

/** Why out/ must be (re)built, or null when out/renderer is newer than every build input. */
export function buildNeeded(root = ROOT): string | null {
  const stamp = join(root, 'out', 'renderer', 'index.html')
  if (!existsSync(stamp)) return 'no build in out/ yet'
  const built = statSync(stamp).mtimeMs
  const newer = (path: string): string | null => {
    if (!existsSync(path)) return null
    const st = statSync(path)
    if (!st.isDirectory()) return st.mtimeMs > built ? path : null
    for (const entry of readdirSync(path)) {
      const found = newer(join(path, entry))
      if (found) return found
    }
    return null
  }
  for (const input of BUILD_INPUTS) {
    const changed = newer(join(root, input))
    if (changed) return `${changed.slice(root.length + 1)} changed since the last build`
  }
  return null
}

/** The command that opens `url` in the system browser, or null if there is none. */
export function browserCommand(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): [string, string[]] | null {
  const configured = env.BROWSER?.split(delimiter)[0]?.trim()
  if (configured) {
    if (configured === 'none') return null
    const [cmd, ...rest] = configured.split(/\s+/)
    const args = rest.some((a) => a.includes('%s'))
      ? rest.map((a) => a.replaceAll('%s', url))
      : [...rest, url]
    return [cmd, args]
  }
  if (platform === 'darwin') return ['open', [url]]
  if (platform === 'win32') return ['explorer.exe', [url]]
  // Without a display, xdg-open would fall back to a text-mode browser with no terminal.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  const onPath = (env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'xdg-open')))
  return onPath ? ['xdg-open', [url]] : null
}

/** Starts the browser on its own (detached, so Ctrl-C here leaves it open); never fails. */
function openBrowser(url: string): void {
  const command = browserCommand(url)
  if (!command) return
  try {
    const child = spawn(command[0], command[1], { detached: true, stdio: 'ignore' })
    child.on('error', (e) =>
      note(`could not open a browser (${command[0]}: ${e.message}); open the URL above`)
    )
    child.unref()
  } catch (e) {
    note(`could not open a browser (${e instanceof Error ? e.message : String(e)}); open the URL above`)
  }
}

/**
 * Runs a child to its end, passing SIGINT and SIGTERM on (a signal sent to this process alone must not
 * orphan it). Resolves with its exit code, 128 + signal number if a signal ended it.
 */
function runChild(args: string[], stdio: StdioOptions, env = process.env): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio, env })
    const pass = (signal: NodeJS.Signals): void => void child.kill(signal)
    process.on('SIGINT', pass)
    process.on('SIGTERM', pass)
    const done = (): void => {
      process.removeListener('SIGINT', pass)
      process.removeListener('SIGTERM', pass)
    }
    child.on('error', (e) => {
      done()
      reject(e)
    })
    child.on('exit', (code, signal) => {
      done()
      resolvePromise(code ?? (signal ? 128 + constants.signals[signal] : 1))
    })
  })
}

/** `electron-vite preview` (builds, then opens the window) on the binary found. */
async function electronMode(binary: string, args: string[]): Promise<number> {
  return runChild([ELECTRON_VITE, 'preview', ...args], 'inherit', {
    ...process.env,
    ELECTRON_EXEC_PATH: binary
  })
}

async function browserMode(args: string[]): Promise<number> {
  if (args.length) note(`browser mode takes no arguments; ignoring ${args.join(' ')}`)
  const reason = buildNeeded()
  if (reason) {
    note(`building the app into out/ (${reason}) …`)
    // Quiet build; whatever it prints goes to stderr, so the one line on stdout stays the URL.
    const code = await runChild([ELECTRON_VITE, 'build', '--logLevel', 'warn'], ['ignore', 2, 2])
    if (code !== 0) {
      note(`the build did not finish (electron-vite build exited with ${code})`)
      return code
    }
  }
  // Loaded only now: the Electron mode needs none of the backend.
  const { closeOnSignal, startServe } = await import('../src/engine/serve')
  const server = await startServe({ staticDir: join(ROOT, 'out', 'renderer') })
  process.stdout.write(
    `Connectome Lab in browser mode (no Electron binary found): ${server.url}  (Ctrl-C to stop)\n`
  )
  const stopped = closeOnSignal(server)
  openBrowser(server.url)
  const signal = await stopped
  note(`stopped (${signal})`)
  return 0
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const binary = electronBinary()
  return binary ? electronMode(binary, args) : browserMode(args)
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      note(`error: ${e instanceof Error ? e.message : String(e)}`)
      process.exit(1)
    }
  )
}
