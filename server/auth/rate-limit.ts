import { AppError } from '../utils/errors'

const MINUTE_MS = 60_000
const SWEEP_AT = 10_000

interface Bucket { tokens: number, at: number }

/**
 * Token buckets per key, in memory (one process; a restart forgives everyone): `perMinute`
 * calls may come at once, then one more every 60/perMinute seconds. Unlike fixed windows
 * there is no double burst at a window edge, and Retry-After is exact.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one call for `key`; throws 429 with Retry-After when its bucket is empty. */
  take(key: string, perMinute: number, what: string): void {
    const now = this.now()
    const tokens = this.check(key, perMinute, what, now)
    if (!this.buckets.has(key) && this.buckets.size >= SWEEP_AT) this.sweep(now)
    this.buckets.set(key, { tokens: tokens - 1, at: now })
  }

  /** Throws the same 429 as `take` when `key`'s bucket is empty, without counting a call. */
  peek(key: string, perMinute: number, what: string): void {
    this.check(key, perMinute, what, this.now())
  }

  /** The tokens in `key`'s bucket now; 429 with Retry-After when not even one is left. */
  private check(key: string, perMinute: number, what: string, now: number): number {
    const rate = perMinute / MINUTE_MS
    const b = this.buckets.get(key) ?? { tokens: perMinute, at: now }
    const tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate)
    if (tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - tokens) / rate / 1000))
      throw new AppError(429, `Too many ${what}: the limit is ${perMinute} per minute; retry in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) })
    }
    return tokens
  }

  /** Forgets buckets idle for a minute: they would be full again anyway. */
  private sweep(now: number) {
    for (const [key, b] of this.buckets) {
      if (now - b.at >= MINUTE_MS) this.buckets.delete(key)
    }
  }
}
