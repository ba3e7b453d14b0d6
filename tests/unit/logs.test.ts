import { describe, expect, it } from 'vitest'
import { durationSeconds } from '../../server/domain/services/logs'

describe('log durations', () => {
  it.each([['30s', 30], ['15m', 900], ['1h', 3600], ['7d', 604800], ['1w', null], ['h', null], ['-1h', null], ['1.5h', null]])('%s is %s seconds', (value, seconds) => {
    expect(durationSeconds(value)).toBe(seconds)
  })
})
