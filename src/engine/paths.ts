import { homedir } from 'node:os'
import { join } from 'node:path'

/** The app's folder name under the per-user data directory (Electron's userData uses the package name). */
export const APP_DIR = 'connectome-lab'

/**
 * The default workspace database, shared by the CLI and the desktop app: Electron's userData folder
 * (Linux $XDG_CONFIG_HOME or ~/.config, macOS ~/Library/Application Support, Windows %APPDATA%).
 * CONNECTOME_LAB_DB overrides it.
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONNECTOME_LAB_DB) return env.CONNECTOME_LAB_DB
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(homedir(), '.config'))
  return join(base, APP_DIR, 'workspace.db')
}
