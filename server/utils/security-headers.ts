import { randomUUID } from 'node:crypto'

/**
 * Security headers for every response (AUTH.md "Web security"). Scripts run only from this
 * origin or with the per-response nonce the renderer puts on Nuxt's inline scripts; styles
 * may be inline (Vue style bindings, icon CSS); nothing may frame the app; HSTS on https.
 */
export function securityHeaders(opts: { nonce: string, https: boolean }): Record<string, string> {
  const csp = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${opts.nonce}'`,
    `style-src 'self' 'unsafe-inline'`,
    // Avatars come from the identity provider.
    `img-src 'self' data: https:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(opts.https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  }
}

/**
 * 122 random bits from the CSPRNG, as a CSP nonce (hyphens are allowed there). randomUUID
 * draws from a buffered pool; randomBytes(16) asked OpenSSL on every request, ~30 µs each.
 */
export const newNonce = () => randomUUID()

/** What prerendered pages carry where a nonce goes: as long as a nonce, so swapping keeps sizes. */
export const PRERENDERED_NONCE = 'mctl-prerendered-page-nonce'.padEnd(36, '0')
