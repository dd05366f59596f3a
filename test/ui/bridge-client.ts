import WebSocket from 'ws'

export interface BridgeReply {
  id: string | number | null
  ok: boolean
  result?: unknown
  error?: { code: string; message: string; issues?: { path: string; message: string }[] }
}

/** The bridge URL with a session token, as the page passes it on (`?token=`). */
export function withToken(bridgeUrl: string, token: string): string {
  const url = new URL(bridgeUrl)
  url.searchParams.set('token', token)
  return url.href
}

/**
 * Opens a Node WebSocket to the bridge with the session token (none if `token` is null), optionally with
 * a browser-like Origin header and other headers (e.g. the session cookie). Rejects with `HTTP <status>`
 * when the server refuses the upgrade.
 */
export function connect(
  bridgeUrl: string,
  token: string | null,
  opts: { origin?: string; headers?: Record<string, string> } = {}
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const url = token === null ? bridgeUrl : withToken(bridgeUrl, token)
    const ws = new WebSocket(url, {
      ...(opts.origin ? { origin: opts.origin } : {}),
      ...(opts.headers ? { headers: opts.headers } : {})
    })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

/** Sends one raw frame and waits for the next reply. */
export function exchange(ws: WebSocket, frame: string): Promise<BridgeReply> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => {
      try {
        resolve(JSON.parse(String(data)) as BridgeReply)
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)))
      }
    })
    ws.send(frame)
  })
}
