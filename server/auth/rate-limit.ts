import { AppError } from '../utils/errors'

const WINDOW_MS = 60_000
const SWEEP_AT = 10_000

/**
 * Fixed one-minute windows per key, in memory (one process; a restart forgives everyone).
 * Simple and cheap on the hot path: one map lookup per call. A burst across a window edge may
 * reach twice the limit for a moment, which is acceptable for abuse protection.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number, count: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one hit for `key`; throws 429 with Retry-After once `perMinute` is exceeded. */
  take(key: string, perMinute: number, what: string): void {
    const now = this.now()
    const start = now - (now % WINDOW_MS)
    let w = this.windows.get(key)
    if (!w || w.start !== start) {
      if (this.windows.size >= SWEEP_AT) this.sweep(start)
      w = { start, count: 0 }
      this.windows.set(key, w)
    }
    w.count++
    if (w.count > perMinute) {
      const retryAfter = Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000))
      throw new AppError(429, `Too many ${what}: the limit is ${perMinute} per minute; retry in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) })
    }
  }

  private sweep(current: number) {
    for (const [key, w] of this.windows) {
      if (w.start !== current) this.windows.delete(key)
    }
  }
}
