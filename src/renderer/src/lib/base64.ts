/** Binary payloads of the contract, carried as base64 (genome files, the quadruped's poses). */

/** base64 → bytes. */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const text = atob(b64)
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

/** base64 of little-endian float32s → a Float32Array (every platform the app runs on is little-endian). */
export function decodeFloat32(b64: string): Float32Array<ArrayBuffer> {
  const bytes = decodeBase64(b64)
  if (bytes.byteLength % 4 !== 0) throw new Error(`expected float32s, got ${bytes.byteLength} bytes`)
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4)
}
