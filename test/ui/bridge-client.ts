import WebSocket from 'ws'

export interface BridgeReply {
  id: string | number | null
  ok: boolean
  result?: unknown
  error?: { code: string; message: string; issues?: { path: string; message: string }[] }
}

/** Opens a Node WebSocket to the bridge (optionally with a browser-like Origin header). */
export function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
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
