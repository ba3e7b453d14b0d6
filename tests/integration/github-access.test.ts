// Who may come in through GitHub, and at what cost to GitHub: NUXT_OAUTH_GITHUB_ORGS limits
// browser sign-in and GitHub bearer tokens to members of those organisations, and failed token
// checks count per client address against NUXT_RATE_LIMIT_AUTH_PER_MINUTE, so an anonymous
// caller cannot make MCTL call GitHub once per made-up token.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGithub, startFakeGithub } from '../fakes/github'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

const AUTH_PER_MINUTE = 5

let server: TestServer
let github: FakeGithub

beforeAll(async () => {
  github = await startFakeGithub()
  github.addUser({ login: 'Mona', name: 'Mona Member', orgs: ['acme-org'] })
  github.addUser({ login: 'bea', name: 'Bea Beta', teams: ['beta-org/devs'] })
  github.addUser({ login: 'otto', name: 'Otto Outside', orgs: ['other-org'] })
  server = await startServer({
    env: {
      NUXT_GITHUB_URL: github.url,
      NUXT_GITHUB_API_URL: github.apiUrl,
      NUXT_OAUTH_GITHUB_CLIENT_ID: github.clientId,
      NUXT_OAUTH_GITHUB_CLIENT_SECRET: github.clientSecret,
      NUXT_OAUTH_GITHUB_ORGS: 'acme-org, Beta-Org',
      NUXT_RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH_PER_MINUTE),
      // Each test below speaks from its own client address.
      NUXT_TRUST_PROXY: 'true',
    },
  })
})
afterAll(async () => {
  await server?.stop()
  await github?.close()
})

const whoami = (token: string, ip: string) => fetch(`${server.url}/api/v1/whoami`, { headers: { 'authorization': `Bearer ${token}`, 'x-forwarded-for': ip } })
const userCalls = () => github.calls.filter(c => c === 'GET /user').length
/** A token GitHub never issued, in the shape of a classic personal access token. */
const madeUp = () => `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x')}`
const cookiesOf = (res: Response) => res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')

/** The GitHub sign-in round trip as a browser makes it, from `ip`, signed in to GitHub as `login`. */
async function signInWithGithub(login: string, ip: string) {
  github.signIn(login)
  const start = await fetch(`${server.url}/auth/github?redirect=/console/tokens`, { redirect: 'manual', headers: { 'x-forwarded-for': ip } })
  expect(start.status).toBe(302)
  const authorize = new URL(start.headers.get('location')!)
  const approved = await fetch(authorize, { redirect: 'manual' })
  const callback = approved.headers.get('location')!
  expect(callback.startsWith(`${server.url}/auth/github?`)).toBe(true)
  const done = await fetch(callback, { redirect: 'manual', headers: { 'cookie': cookiesOf(start), 'x-forwarded-for': ip } })
  expect(done.status).toBe(302)
  return { scope: authorize.searchParams.get('scope'), location: done.headers.get('location')!, cookie: cookiesOf(done) }
}

describe('NUXT_OAUTH_GITHUB_ORGS', () => {
  it('accepts GitHub tokens of members of any of the organisations', async () => {
    const mona = await whoami(github.issueToken('Mona'), '198.51.100.1')
    expect(mona.status).toBe(200)
    expect(await mona.json()).toMatchObject({ userId: 'mona', provider: 'github', tokenType: 'github' })
    // A member through a team of the second organisation (named in another case in the setting).
    const bea = await whoami(github.issueToken('bea'), '198.51.100.1')
    expect(bea.status).toBe(200)
    expect(await bea.json()).toMatchObject({ userId: 'bea' })
  })

  it('refuses anyone else, naming the allowed organisations, and asks GitHub once per token', async () => {
    const token = github.issueToken('otto')
    const before = userCalls()
    for (let i = 0; i < 2; i++) {
      const res = await whoami(token, '198.51.100.2')
      expect(res.status).toBe(401)
      expect((await res.json()).error).toMatch(/Only members of one of the GitHub organisations acme-org, beta-org may use MCTL/)
    }
    expect(userCalls()).toBe(before + 1)
  })

  it('refuses a member\'s token that may not read organisations, saying why', async () => {
    const res = await whoami(github.issueToken('Mona', ['repo']), '198.51.100.3')
    expect(res.status).toBe(401)
    expect((await res.json()).error).toMatch(/needs the read:org scope/)
  })

  it('lets members sign in with GitHub, asking for read:org', async () => {
    const { scope, location, cookie } = await signInWithGithub('Mona', '198.51.100.4')
    expect(scope?.split(' ')).toEqual(['read:user', 'user:email', 'read:org'])
    expect(location).toBe('/console/tokens')
    const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie } }).then(r => r.json())
    expect(me).toMatchObject({ userId: 'mona', provider: 'github', tokenType: 'session' })
  })

  it('sends anyone else back to /login with the allowed organisations named', async () => {
    const { location, cookie } = await signInWithGithub('otto', '198.51.100.5')
    const url = new URL(location, server.url)
    expect(url.pathname).toBe('/login')
    expect(url.searchParams.get('error')).toMatch(/Only members of one of the GitHub organisations acme-org, beta-org/)
    expect((await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie } })).status).toBe(401)
  })
})

describe('failed token checks', () => {
  it('count per client address: past the limit 429 with Retry-After, and GitHub is not asked', async () => {
    const ip = '203.0.113.7'
    const before = userCalls()
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) {
      const res = await whoami(madeUp(), ip)
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
    expect(statuses).toEqual([...Array(AUTH_PER_MINUTE).fill(401), ...Array(20 - AUTH_PER_MINUTE).fill(429)])
    expect(userCalls()).toBe(before + AUTH_PER_MINUTE)

    // MCP answers the same; a valid token of ours still works from that address.
    const mcp = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${madeUp()}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'x-forwarded-for': ip },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(mcp.status).toBe(429)
    expect((await whoami(ADMIN_TOKEN, ip)).status).toBe(200)
    // Another address is not affected.
    expect((await whoami(madeUp(), '203.0.113.8')).status).toBe(401)
  })

  it('remember a bad token: sent twice, GitHub is asked once', async () => {
    const token = madeUp()
    const before = userCalls()
    expect((await whoami(token, '203.0.113.9')).status).toBe(401)
    expect((await whoami(token, '203.0.113.9')).status).toBe(401)
    expect(userCalls()).toBe(before + 1)
  })
})
