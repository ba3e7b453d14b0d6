import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../server/auth/rate-limit'

function limiter() {
  let now = 1_000_000
  const limits = new RateLimiter(() => now)
  return { limits, advance: (ms: number) => { now += ms } }
}

const refused = (fn: () => void) => {
  try {
    fn()
    return null
  }
  catch (err) {
    return err as { status: number, headers: Record<string, string>, message: string }
  }
}

describe('rate limiter', () => {
  it('lets a full minute’s worth through at once, then refuses with Retry-After', () => {
    const { limits } = limiter()
    for (let i = 0; i < 30; i++) expect(refused(() => limits.take('w:ann', 30, 'write calls'))).toBeNull()
    const err = refused(() => limits.take('w:ann', 30, 'write calls'))
    expect(err).toMatchObject({ status: 429, headers: { 'Retry-After': '2' } })
    expect(err!.message).toMatch(/Too many write calls: the limit is 30 per minute; retry in 2 s/)
  })

  it('refills one call every 60/limit seconds', () => {
    const { limits, advance } = limiter()
    for (let i = 0; i < 3; i++) limits.take('k', 3, 'calls')
    expect(refused(() => limits.take('k', 3, 'calls'))?.headers['Retry-After']).toBe('20')
    advance(19_999)
    expect(refused(() => limits.take('k', 3, 'calls'))).not.toBeNull()
    advance(1)
    expect(refused(() => limits.take('k', 3, 'calls'))).toBeNull()
    expect(refused(() => limits.take('k', 3, 'calls'))).not.toBeNull()
  })

  it('keeps keys apart', () => {
    const { limits } = limiter()
    limits.take('a', 1, 'calls')
    expect(refused(() => limits.take('a', 1, 'calls'))).not.toBeNull()
    expect(refused(() => limits.take('b', 1, 'calls'))).toBeNull()
  })

  it('never holds more than a minute’s worth', () => {
    const { limits, advance } = limiter()
    limits.take('k', 2, 'calls')
    advance(10 * 60_000)
    limits.take('k', 2, 'calls')
    limits.take('k', 2, 'calls')
    expect(refused(() => limits.take('k', 2, 'calls'))).not.toBeNull()
  })

  it('peeks without counting: refuses only once the bucket is empty', () => {
    const { limits } = limiter()
    for (let i = 0; i < 5; i++) limits.peek('k', 2, 'calls')
    limits.take('k', 2, 'calls')
    limits.take('k', 2, 'calls')
    expect(refused(() => limits.peek('k', 2, 'calls'))).toMatchObject({ status: 429, headers: { 'Retry-After': '30' } })
  })
})
