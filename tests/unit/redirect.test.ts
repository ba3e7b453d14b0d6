import { describe, expect, it } from 'vitest'
import { safeRedirect } from '../../shared/utils/redirect'

describe('where sign-in leads', () => {
  it.each([
    [undefined, '/console'],
    ['', '/console'],
    ['/console/tokens', '/console/tokens'],
    ['/oauth/authorize/abc?x=1', '/oauth/authorize/abc?x=1'],
    ['https://evil.example', '/console'],
    ['//evil.example/path', '/console'],
    ['/\\evil.example', '/console'],
    [['/a', '/b'], '/console'],
  ])('%j → %s', (raw, expected) => {
    expect(safeRedirect(raw)).toBe(expected)
  })
})
