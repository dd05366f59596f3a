/** Which bridge a page may use (src/shared/client.ts bridgeRefusal): its own server's only. */
import { describe, expect, it } from 'vitest'
import { bridgeRefusal, bridgeUrlFrom } from '../../src/shared/client'

const page = { protocol: 'http:', host: '127.0.0.1:4100' }

describe('bridgeRefusal', () => {
  it("allows the bridge of the page's own server, with or without the token", () => {
    expect(bridgeRefusal('ws://127.0.0.1:4100/bridge', page)).toBeNull()
    expect(bridgeRefusal('ws://127.0.0.1:4100/bridge?token=abc', page)).toBeNull()
    expect(
      bridgeRefusal('wss://lab.example:443/bridge', { protocol: 'https:', host: 'lab.example' })
    ).toBeNull()
  })

  it('refuses another port, another host, or the wrong scheme, naming the bridge and never the token', () => {
    for (const url of [
      'ws://127.0.0.1:4101/bridge?token=secret-token',
      'ws://localhost:4100/bridge?token=secret-token',
      'ws://evil.example/bridge?token=secret-token',
      'wss://127.0.0.1:4100/bridge?token=secret-token'
    ]) {
      const why = bridgeRefusal(url, page)
      expect(why, url).toContain(`refused the bridge ${url.replace('?token=secret-token', '')}`)
      expect(why).toContain('ws://127.0.0.1:4100/bridge')
      expect(why).toMatch(/Open the URL that `lab serve` or `npm start` printed/)
      expect(why).not.toContain('secret-token')
    }
  })

  it('refuses any bridge on a page that no server served (file://)', () => {
    expect(bridgeRefusal('ws://127.0.0.1:4100/bridge', { protocol: 'file:', host: '' })).toMatch(
      /this page \(file:\)/
    )
  })

  it('goes with bridgeUrlFrom: the page token is carried to the bridge URL it checks', () => {
    const url = bridgeUrlFrom('?bridge=ws%3A%2F%2F127.0.0.1%3A4100%2Fbridge&token=t0k')!
    expect(url).toBe('ws://127.0.0.1:4100/bridge?token=t0k')
    expect(bridgeRefusal(url, page)).toBeNull()
  })
})
