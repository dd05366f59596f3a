/**
 * Stable 64-bit FNV-1a hash (hex) of a connectome's ordered pair list.
 * A genome stores this hash so that weights are never applied to a different pair order.
 */
export function fnv1a64(text: string): string {
  // 64-bit FNV-1a on two 32-bit halves (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  let h0 = 0x2325 // bits 0..15
  let h1 = 0x8422 // bits 16..31
  let h2 = 0x9ce4 // bits 32..47
  let h3 = 0xcbf2 // bits 48..63
  const bytes = new TextEncoder().encode(text)
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]
    // multiply by prime 2^40 + 0x1b3, in 16-bit limbs
    const t0 = h0 * 0x1b3
    const t1 = h1 * 0x1b3
    const t2 = h2 * 0x1b3 + (h0 << 8)
    const t3 = h3 * 0x1b3 + (h1 << 8)
    h0 = t0 & 0xffff
    const c1 = t1 + (t0 >>> 16)
    h1 = c1 & 0xffff
    const c2 = t2 + (c1 >>> 16)
    h2 = c2 & 0xffff
    h3 = (t3 + (c2 >>> 16)) & 0xffff
  }
  const hex = (n: number): string => n.toString(16).padStart(4, '0')
  return hex(h3) + hex(h2) + hex(h1) + hex(h0)
}

/** Hash of an ordered (pre, post) pair list, as stored with every genome. */
export function pairsHash(pairs: ReadonlyArray<readonly [string, string]>): string {
  return fnv1a64(pairs.map(([a, b]) => `${a}>${b}`).join('\n'))
}
