/** The application menu's template and the About text. */
import { describe, expect, it } from 'vitest'
import { aboutText, menuTemplate, sendMenuCommand } from '../../src/main/menu'
import type { MenuCommand } from '../../src/shared/shell'

type Item = {
  id?: string
  label?: string
  role?: string
  accelerator?: string
  click?: () => void
  submenu?: Item[]
}

function build(isDev: boolean, platform: NodeJS.Platform = 'linux') {
  const commands: MenuCommand[] = []
  let about = 0
  const t = menuTemplate({
    isDev,
    platform,
    appName: 'Connectome Lab',
    command: (c) => commands.push(c),
    about: () => void about++
  }) as Item[]
  const menu = (label: string): Item[] => t.find((m) => m.label === label || m.role === label)!.submenu!
  return { t, menu, commands, about: () => about }
}
const roles = (items: Item[]) => items.map((i) => i.role).filter(Boolean)

describe('menuTemplate', () => {
  it('File: New run, Export genome…, Quit; the commands go to the renderer', () => {
    const m = build(false)
    const file = m.menu('File')
    expect(file.map((i) => i.label ?? i.role ?? i.id)).toEqual([
      'New run',
      'Export genome…',
      undefined,
      'quit'
    ])
    file[0].click!()
    file[1].click!()
    expect(m.commands).toEqual(['new-run', 'export-genome'])
    expect(file[0].accelerator).toBe('CmdOrCtrl+N')
  })

  it('View: zoom and full screen always; reload and devtools in development only', () => {
    expect(roles(build(false).menu('View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'])
    expect(roles(build(true).menu('View'))).toEqual([
      'reload',
      'forceReload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen'
    ])
  })

  it('Help: About', () => {
    const m = build(false)
    const help = m.menu('help')
    expect(help[0].label).toBe('About Connectome Lab')
    help[0].click!()
    expect(m.about()).toBe(1)
  })

  it('on macOS: an app menu first, and File closes the window instead of quitting', () => {
    const m = build(false, 'darwin')
    expect(m.t[0].label).toBe('Connectome Lab')
    expect(roles(m.t[0].submenu!)).toContain('quit')
    expect(roles(m.menu('File'))).toEqual(['close'])
  })
})

describe('aboutText', () => {
  it('names the app version and the runtime versions', () => {
    const a = aboutText('Connectome Lab', '0.1.0', {
      electron: '45.5.0',
      chrome: '142.0',
      node: '22.20.0',
      v8: '14.2'
    })
    expect(a.message).toBe('Connectome Lab 0.1.0')
    expect(a.detail).toBe('Electron 45.5.0\nChromium 142.0\nNode.js 22.20.0\nV8 14.2')
  })
})

describe('sendMenuCommand', () => {
  const target = (url: string, destroyed = false) => {
    const sent: unknown[] = []
    return {
      sent,
      isDestroyed: () => destroyed,
      getURL: () => url,
      send: (ch: string, c: unknown) => void sent.push([ch, c])
    }
  }
  const isApp = (u: string) => u === 'file:///app/index.html'
  it('sends to a window showing the app only', () => {
    const ok = target('file:///app/index.html')
    expect(sendMenuCommand(ok, 'new-run', isApp)).toBe(true)
    expect(ok.sent).toEqual([['menu:command', 'new-run']])
    const away = target('https://example.com/')
    expect(sendMenuCommand(away, 'new-run', isApp)).toBe(false)
    expect(away.sent).toEqual([])
    expect(sendMenuCommand(target('file:///app/index.html', true), 'new-run', isApp)).toBe(false)
    expect(sendMenuCommand(null, 'new-run', isApp)).toBe(false)
  })
})
