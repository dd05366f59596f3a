const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

export const formatInt = (n: number): string => integer.format(n)
export const formatNum = (n: number): string => decimal.format(n)
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** Running sum. */
export function cumulative(values: readonly number[]): number[] {
  let acc = 0
  return values.map((v) => (acc += v))
}

const compact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/** A duration in seconds as `0.8 s`, `42 s`, `3m 05s`, `2h 07m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  if (seconds < 10) return `${compact.format(seconds)} s`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (h === 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${h}h ${String(m).padStart(2, '0')}m`
}

/** Milliseconds, compactly: `820 ms`, `12.4 s`, `3m 05s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms / 1000)
}

/** A signed number with a fixed number of decimals (`+1.25`, `−0.50`). */
export function formatSigned(n: number, digits = 2): string {
  const abs = Math.abs(n).toFixed(digits)
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : abs
}

/** A weight or fitness: fixed decimals, a proper minus sign. */
export function formatFixed(n: number, digits = 2): string {
  return n < 0 ? `−${Math.abs(n).toFixed(digits)}` : n.toFixed(digits)
}

/** An ISO date as `2026-11-22 21:04` (local time). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** How long ago an ISO date was: `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(iso: string, now = Date.now()): string {
  const s = (now - new Date(iso).getTime()) / 1000
  if (!Number.isFinite(s)) return iso
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86400) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86400)} d ago`
}

const compactInt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

/** A count compactly: `950`, `12k`, `1.5M`. */
export const formatCompact = (n: number): string => compactInt.format(n).toLowerCase()
