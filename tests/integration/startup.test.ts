import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

const whoami = (server: TestServer, token: string) => fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })

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

  it('keeps the bootstrap admin token only while NUXT_BOOTSTRAP_ADMIN_TOKEN names it', async () => {
    const server = await startServer()
    try {
      const me = await whoami(server, ADMIN_TOKEN)
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ userId: 'admin', isAdmin: true })

      // Same data directory, the setting taken out: the stored token is gone.
      await server.stop()
      delete server.env.NUXT_BOOTSTRAP_ADMIN_TOKEN
      await server.start()
      expect((await whoami(server, ADMIN_TOKEN)).status).toBe(401)

      // Put back with another value: only the new one works.
      await server.stop()
      const replacement = 'mctl-test-bootstrap-token-replacement-0123'
      server.env.NUXT_BOOTSTRAP_ADMIN_TOKEN = replacement
      await server.start()
      expect((await whoami(server, ADMIN_TOKEN)).status).toBe(401)
      expect((await whoami(server, replacement)).status).toBe(200)
    }
    finally {
      await server.stop()
    }
  })
})
