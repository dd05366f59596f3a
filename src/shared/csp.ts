/**
 * Content-Security-Policy of the renderer. The same base policy is in the <meta> tag of
 * src/renderer/index.html (keep them in sync; test/ui checks it); HTTP-served copies add the
 * header-only directives and, for the WebSocket bridge, its exact origin.
 */
export const CSP_BASE: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:"
]

/** Directives that only work as a header (ignored in a meta tag) plus hardening. */
const CSP_HEADER_ONLY: readonly string[] = [
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
]

export function contentSecurityPolicy(opts: { connect?: string[] } = {}): string {
  const connect = opts.connect?.length ? [`connect-src 'self' ${opts.connect.join(' ')}`] : []
  return [...CSP_BASE, ...connect, ...CSP_HEADER_ONLY].join('; ')
}
