/**
 * The application menu: File (New run, Export genome…, Quit), View (reload and devtools in development
 * only; zoom; full screen), Help (About, with the versions). File's commands go to the renderer on
 * MENU_COMMAND_CHANNEL, which does the work (it knows the run on screen).
 */
import type { MenuItemConstructorOptions } from 'electron'
import { MENU_COMMAND_CHANNEL, type MenuCommand } from '../shared/shell'

export interface MenuOptions {
  /** Development build: adds reload and the devtools. */
  isDev: boolean
  platform: NodeJS.Platform
  appName: string
  /** Sends a File command to the focused window. */
  command: (command: MenuCommand) => void
  about: () => void
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin'
  const dev: MenuItemConstructorOptions[] = o.isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : []
  return [
    ...(mac
      ? [
          {
            label: o.appName,
            submenu: [
              { label: `About ${o.appName}`, click: o.about },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'quit' }
            ]
          } satisfies MenuItemConstructorOptions
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { id: 'new-run', label: 'New run', accelerator: 'CmdOrCtrl+N', click: () => o.command('new-run') },
        {
          id: 'export-genome',
          label: 'Export genome…',
          accelerator: 'CmdOrCtrl+E',
          click: () => o.command('export-genome')
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    {
      label: 'View',
      submenu: [
        ...dev,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    {
      role: 'help',
      submenu: [{ id: 'about', label: `About ${o.appName}`, click: o.about }]
    }
  ]
}

/** The About box's text: the app's version and the runtime's. */
export function aboutText(
  appName: string,
  version: string,
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>
): { message: string; detail: string } {
  return {
    message: `${appName} ${version}`,
    detail: [
      `Electron ${versions.electron ?? '—'}`,
      `Chromium ${versions.chrome ?? '—'}`,
      `Node.js ${versions.node ?? '—'}`,
      `V8 ${versions.v8 ?? '—'}`
    ].join('\n')
  }
}

/** The bits of a WebContents a menu command is sent to. */
export interface CommandTarget {
  isDestroyed(): boolean
  getURL(): string
  send(channel: string, command: MenuCommand): void
}

/** Sends a File command to the focused window, if it shows the app. */
export function sendMenuCommand(
  target: CommandTarget | null,
  command: MenuCommand,
  isAppUrl: (url: string) => boolean
): boolean {
  if (!target || target.isDestroyed() || !isAppUrl(target.getURL())) return false
  target.send(MENU_COMMAND_CHANNEL, command)
  return true
}
