import { describe, expect, it } from 'vitest'
import { redactor } from '../../server/agent/redact'

describe('redaction of text that leaves MCTL', () => {
  const clean = redactor(['STRIPE_KEY'])
  it.each([
    ['connecting with password=hunter2 to db', 'connecting with password=[redacted] to db'],
    ['{"apiToken": "abc123def"}', '{"apiToken": "[redacted]"}'],
    ['STRIPE_KEY=sk_live_51Habc', 'STRIPE_KEY=[redacted]'],
    ['Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', 'Authorization: Bearer [redacted]'],
    ['fetch https://bob:s3cret@git.example.com/x failed', 'fetch https://***@git.example.com/x failed'],
    ['token ghp_0123456789abcdefghijABCDEFGHIJ leaked', 'token [redacted] leaked'],
    ['GET /healthz 200', 'GET /healthz 200'],
    ['java.lang.OutOfMemoryError: Java heap space', 'java.lang.OutOfMemoryError: Java heap space'],
  ])('%s', (input, output) => {
    expect(clean(input)).toBe(output)
  })
})
