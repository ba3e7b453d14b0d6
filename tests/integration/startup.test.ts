import { describe, expect, it } from 'vitest'
import { startServer } from '../helpers/server'

describe('start-up settings', () => {
  it('refuses a short bootstrap admin token with a clear message', async () => {
    const server = await startServer({ env: { NUXT_BOOTSTRAP_ADMIN_TOKEN: 'too-short' }, waitReady: false })
    expect(await server.exited).not.toBe(0)
    expect(server.output()).toMatch(/NUXT_BOOTSTRAP_ADMIN_TOKEN must be at least 24 characters long \(it has 9\)/)
    expect(server.output()).not.toContain('too-short')
  })

  it('refuses a remote it cannot reach, naming the problem', async () => {
    const server = await startServer({ env: { NUXT_GITOPS_REMOTE_URL: '/nonexistent/repo.git' }, waitReady: false })
    expect(await server.exited).not.toBe(0)
    expect(server.output()).toMatch(/MCTL cannot start: git ls-remote failed/)
  })
})
