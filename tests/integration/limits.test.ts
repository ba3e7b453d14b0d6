// Rate limits (AUTH.md): per identity on tool calls by kind, per client IP on sign-in, token
// and registration endpoints; 429 with Retry-After. Limits are set low for this server only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, pkce, register } from '../helpers/oauth'
import { startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

let server: TestServer

beforeAll(async () => {
  server = await startServer({
    env: {
      NUXT_RATE_LIMIT_READS_PER_MINUTE: '5',
      NUXT_RATE_LIMIT_WRITES_PER_MINUTE: '2',
      NUXT_RATE_LIMIT_AUTH_PER_MINUTE: '3',
      // Each test below speaks from its own client address.
      NUXT_TRUST_PROXY: 'true',
    },
  })
})
afterAll(async () => {
  await server?.stop()
})

const rest = (token: string, method = 'GET', path = '/api/v1/whoami', body?: unknown) => fetch(`${server.url}${path}`, {
  method,
  headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
})

const mcpCall = (token: string, name: string, args: Record<string, unknown> = {}) => fetch(`${server.url}/mcp`, {
  method: 'POST',
  headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } }),
})

function expectLimited(res: Response) {
  expect(res.status).toBe(429)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
}

describe('per identity', () => {
  it('allows 5 reads a minute, then answers 429 on REST and on MCP', async () => {
    const token = addUser(server.dataDir, 'reader')
    for (let i = 0; i < 5; i++) expect((await rest(token)).status).toBe(200)
    const limited = await rest(token)
    expectLimited(limited)
    expect((await limited.json()).error).toMatch(/Too many read calls: the limit is 5 per minute/)

    const viaMcp = await mcpCall(token, 'mctl_whoami')
    expectLimited(viaMcp)
    expect(await viaMcp.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/Too many read calls/) } })

    // Someone else is not affected.
    expect((await rest(addUser(server.dataDir, 'other-reader'))).status).toBe(200)
  })

  it('counts writes apart from reads: 2 writes a minute', async () => {
    const token = addUser(server.dataDir, 'writer')
    for (let i = 0; i < 2; i++) {
      const res = await rest(token, 'DELETE', '/api/v1/tenants/nowhere')
      expect(res.status).toBe(404)
    }
    expectLimited(await rest(token, 'DELETE', '/api/v1/tenants/nowhere'))
    expect((await rest(token)).status).toBe(200)
  })
})

describe('per client IP', () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip })

  it('on local sign-in', async () => {
    const attempt = (ip: string) => fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...from(ip) }, body: JSON.stringify({ login: 'nobody', password: 'wrong' }) })
    for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.10')).status).toBe(401)
    expectLimited(await attempt('203.0.113.10'))
    // The proxy appends the real peer last; a client cannot escape by prepending addresses.
    expectLimited(await attempt('198.51.100.1, 203.0.113.10'))
    expect((await attempt('203.0.113.11')).status).toBe(401)
  })

  it('on the token endpoint', async () => {
    const attempt = () => form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code: 'x', code_verifier: pkce().verifier, redirect_uri: 'http://127.0.0.1/cb', client_id: 'nobody' }, from('203.0.113.20'))
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401)
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ error: 'rate_limited' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('on client registration', async () => {
    const attempt = () => fetch(`${server.url}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from('203.0.113.30') },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' }),
    })
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(201)
    expectLimited(await attempt())
    // The untouched address still registers.
    expect((await register(server.url, { redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' })).status).toBe(201)
  })
})
