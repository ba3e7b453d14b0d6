import { describe, expect, it } from 'vitest'
import { newNonce, PRERENDERED_NONCE, securityHeaders } from '../../server/utils/security-headers'

describe('security headers', () => {
  it('allow scripts only from this origin or with the response nonce, and forbid framing', () => {
    const h = securityHeaders({ nonce: 'abc', https: false })
    expect(h['Content-Security-Policy']).toContain(`script-src 'self' 'nonce-abc'`)
    expect(h['Content-Security-Policy']).toContain(`frame-ancestors 'none'`)
    expect(h['Content-Security-Policy']).not.toContain('unsafe-eval')
    expect(h['X-Frame-Options']).toBe('DENY')
    expect(h['Strict-Transport-Security']).toBeUndefined()
  })

  it('add HSTS on https', () => {
    expect(securityHeaders({ nonce: 'abc', https: true })['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains')
  })

  it('have a placeholder for prerendered pages exactly as long as a nonce', () => {
    expect(PRERENDERED_NONCE).toHaveLength(newNonce().length)
    expect(newNonce()).not.toBe(newNonce())
  })
})
