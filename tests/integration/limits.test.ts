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

    // Over MCP the refusal is a tool result the model reads, with its request's id; the
    // Retry-After header stays for clients that look at HTTP.
    const viaMcp = await mcpCall(token, 'mctl_whoami')
    expect(viaMcp.status).toBe(200)
    expect(Number(viaMcp.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await viaMcp.json()).toMatchObject({ jsonrpc: '2.0', id: 7, result: { isError: true, content: [{ type: 'text', text: expect.stringMatching(/Too many read calls: the limit is 5 per minute; retry in \d+ s/) }] } })

    // Someone else is not affected.
    expect((await rest(addUser(server.dataDir, 'other-reader'))).status).toBe(200)
  })

  it('counts writes apart from reads: 2 writes a minute', async () => {
    const token = addUser(server.dataDir, 'writer')
    const confirmed = { confirm: 'confirm_not-a-real-token' }
    for (let i = 0; i < 2; i++) {
      const res = await rest(token, 'DELETE', '/api/v1/tenants/nowhere', confirmed)
      expect(res.status).toBe(404)
    }
    expectLimited(await rest(token, 'DELETE', '/api/v1/tenants/nowhere', confirmed))
    expect((await rest(token)).status).toBe(200)
  })

  it('does not count a destructive tool\'s plan, nor a call refused by validation, as a write', async () => {
    const token = addUser(server.dataDir, 'planner')
    // Plans only read: they count against the reads (5), not the writes (2).
    for (let i = 0; i < 3; i++) expect((await rest(token, 'DELETE', '/api/v1/tenants/nowhere')).status).toBe(404)
    for (let i = 0; i < 3; i++) expect((await rest(token, 'POST', '/api/v1/tenants', { tenant_name: 'Not A Name' })).status).toBe(400)
    const created = await rest(token, 'POST', '/api/v1/tenants', { tenant_name: 'planner-team' })
    expect(created.status).toBe(202)
  })
})

describe('JSON-RPC batches', () => {
  const batch = (token: string, messages: unknown[], version?: string) => fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', ...(version ? { 'mcp-protocol-version': version } : {}) },
    body: JSON.stringify(messages),
  })
  const create = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'mctl_create_tenant', arguments: { tenant_name: name } } })

  it('are refused whole, with nothing run, for protocol versions that have none', async () => {
    const token = addUser(server.dataDir, 'batcher-new')
    const res = await batch(token, [create(1, 'batch-new-a')], '2025-06-18')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/batches are not part of MCP 2025-06-18/) } })
    const tenant = await rest(token, 'GET', '/api/v1/tenants/batch-new-a')
    expect(tenant.status).toBe(404)
  })

  it('answer each element on its own for older clients: a rate-limited one gets its own error', async () => {
    const admin = addUser(server.dataDir, 'batcher-old', { admin: true })
    const res = await batch(admin, [create(1, 'batch-old-a'), create(2, 'batch-old-b'), create(3, 'batch-old-c')])
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const answers = (await res.json() as { id: number, result: { isError?: boolean, structuredContent?: { operation_id?: string }, content: { text: string }[] } }[]).sort((a, b) => a.id - b.id)
    expect(answers.map(a => a.id)).toEqual([1, 2, 3])
    const limited = answers.filter(a => a.result.isError)
    expect(limited).toHaveLength(1)
    expect(limited[0]!.result.content[0]!.text).toMatch(/Too many write calls/)
    // The others carry their operation ids: nothing accepted is lost to the client.
    expect(answers.filter(a => !a.result.isError).map(a => a.result.structuredContent?.operation_id)).toEqual([expect.stringMatching(/^op_/), expect.stringMatching(/^op_/)])
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
