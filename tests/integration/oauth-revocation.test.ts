// MCP authorization challenges (2025-11-25) and access tokens that can be revoked: the exact
// WWW-Authenticate of each refusal on /mcp and /api/v1; an access token revoked at
// /oauth/revoke, by its refresh token, by refresh-token reuse or from the tokens page's
// "Connected clients" is refused from the next request on. The OAuth flow runs from Node.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import Database from 'better-sqlite3'
import { decodeJwt, importJWK, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchProblems } from '../helpers/browser'
import { form, NodeBrowser, register } from '../helpers/oauth'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser, webSession } from '../helpers/users'

const REDIRECT = 'http://127.0.0.1:5598/callback'
let server: TestServer
let olga: NodeBrowser
let olgaCookie: string
let clientId: string
let otherClientId: string

beforeAll(async () => {
  server = await startServer()
  const session = await webSession(server.url, ADMIN_TOKEN, 'olga')
  olga = new NodeBrowser(server.url, session)
  olgaCookie = session.cookie
  const client = (name: string) => register(server.url, { client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] })
  clientId = (await client('Revocation test')).body.client_id
  otherClientId = (await client('Another client')).body.client_id
  expect(clientId).toBeTruthy()
  expect(otherClientId).toBeTruthy()
})
let chromium: Browser | undefined
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

const metadata = (resource: '/mcp' | '/api/v1') => `resource_metadata="${server.url}/.well-known/oauth-protected-resource${resource}"`
const invalidToken = (resource: '/mcp' | '/api/v1', description = 'Invalid or expired token') =>
  `Bearer error="invalid_token", error_description="${description}", ${metadata(resource)}`

/** Tokens from an authorization `olga` approves for `client`. */
async function tokens(client = clientId, scope = 'read write') {
  const { code, verifier } = await olga.authorize(client, REDIRECT, scope)
  const answer = await form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: client })
  expect(answer.status).toBe(200)
  return answer.body as { access_token: string, refresh_token: string }
}
const refresh = (token: string) => form(`${server.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId })
const revoke = (token: string, hint?: string, client = clientId) =>
  form(`${server.url}/oauth/revoke`, { token, client_id: client, ...(hint ? { token_type_hint: hint } : {}) })

/** A tools/call on /mcp (no token when `token` is undefined). */
function mcpCall(token: string | undefined, tool = 'mctl_whoami', args: Record<string, unknown> = {}) {
  return fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: tool, arguments: args } }),
  })
}

function revokedRows(): number {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try {
    return (db.prepare('select count(*) as n from token_revocations').get() as { n: number }).n
  }
  finally { db.close() }
}

describe('the 401 challenge', () => {
  it('with no token: where to authorize and the scopes this resource knows, no error', async () => {
    const mcp = await mcpCall(undefined)
    expect(mcp.status).toBe(401)
    expect(mcp.headers.get('www-authenticate')).toBe(`Bearer ${metadata('/mcp')}, scope="read write"`)
    const api = await fetch(`${server.url}/api/v1/whoami`)
    expect(api.status).toBe(401)
    expect(api.headers.get('www-authenticate')).toBe(`Bearer ${metadata('/api/v1')}, scope="read write"`)
  })

  it('with a token that is not one: invalid_token and why', async () => {
    for (const bad of ['mctl_pat_nope', 'not-a-token', 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.x']) {
      const mcp = await mcpCall(bad)
      expect(mcp.status).toBe(401)
      expect(mcp.headers.get('www-authenticate')).toBe(invalidToken('/mcp'))
      expect(await mcp.json()).toEqual({ error: 'Invalid or expired token' })
      const api = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${bad}` } })
      expect(api.status).toBe(401)
      expect(api.headers.get('www-authenticate')).toBe(invalidToken('/api/v1'))
    }
  })

  it('with an expired access token: invalid_token', async () => {
    const claims = decodeJwt((await tokens()).access_token)
    const { keys: [jwk] } = JSON.parse(readFileSync(join(server.dataDir, 'oauth-signing-keys.json'), 'utf8'))
    const key = await importJWK(jwk, 'ES256')
    const sign = (exp: number) => new SignJWT({ ...claims, exp, iat: exp - 3600 }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid }).sign(key)
    const now = Math.floor(Date.now() / 1000)
    // Control: re-signed with a future expiry it works, so only the expiry differs.
    expect((await mcpCall(await sign(now + 600))).status).toBe(200)
    const expired = await mcpCall(await sign(now - 60))
    expect(expired.status).toBe(401)
    expect(expired.headers.get('www-authenticate')).toBe(invalidToken('/mcp'))
  })
})

describe('a token without the write scope', () => {
  const insufficient = (resource: '/mcp' | '/api/v1') => `Bearer error="insufficient_scope", scope="write", ${metadata(resource)}`
  const message = (what: string) => `This token has the read scope only; ${what} needs a token with the write scope`

  it('gets 403 and the insufficient_scope challenge over MCP, a JSON-RPC error for its request', async () => {
    const readOnly = addUser(server.dataDir, 'rita', { scopes: ['read'] })
    const oauthRead = (await tokens(clientId, 'read')).access_token
    for (const token of [readOnly, oauthRead]) {
      const res = await mcpCall(token, 'mctl_create_tenant', { tenant_name: 'readers' })
      expect(res.status).toBe(403)
      expect(res.headers.get('www-authenticate')).toBe(insufficient('/mcp'))
      expect(await res.json()).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32003, message: message('mctl_create_tenant') } })
      // Reads still work, and other tool errors stay tool results.
      expect((await mcpCall(token)).status).toBe(200)
      const missing = await mcpCall(token, 'mctl_get_tenant', { name: 'nowhere' })
      expect(missing.status).toBe(200)
      expect((await missing.json()).result).toMatchObject({ isError: true })
    }
  })

  it('gets 403 and the insufficient_scope challenge over REST', async () => {
    const readOnly = addUser(server.dataDir, 'rita', { scopes: ['read'] })
    const res = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: 'readers' }),
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(insufficient('/api/v1'))
    expect(await res.json()).toEqual({ error: message('mctl_create_tenant') })
  })
})

describe('revoking an access token at /oauth/revoke', () => {
  it('refuses it from the next call on, and only it', async () => {
    const first = await tokens()
    expect((await mcpCall(first.access_token)).status).toBe(200)
    const answer = await revoke(first.access_token, 'access_token')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({})
    const refused = await mcpCall(first.access_token)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBe(invalidToken('/mcp'))
    // The grant stands: its refresh token gives a new access token that works.
    const renewed = await refresh(first.refresh_token)
    expect(renewed.status).toBe(200)
    expect((await mcpCall(renewed.body.access_token)).status).toBe(200)
  })

  it('takes a JWT without a hint, and is idempotent', async () => {
    const { access_token } = await tokens()
    expect((await revoke(access_token)).status).toBe(200)
    expect((await revoke(access_token)).status).toBe(200)
    expect((await mcpCall(access_token)).status).toBe(401)
  })

  it('lets no other client revoke it', async () => {
    const { access_token } = await tokens()
    const before = revokedRows()
    // RFC 7009 and oidc-provider: a public client is answered 200 whatever, and nothing happens.
    expect((await revoke(access_token, 'access_token', otherClientId)).status).toBe(200)
    expect(revokedRows()).toBe(before)
    expect((await mcpCall(access_token)).status).toBe(200)
  })
})

describe('ending a grant', () => {
  it('by revoking its refresh token refuses its access tokens', async () => {
    const { access_token, refresh_token } = await tokens()
    expect((await revoke(refresh_token, 'refresh_token')).status).toBe(200)
    const refused = await mcpCall(access_token)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBe(invalidToken('/mcp'))
  })

  it('by reusing a rotated refresh token refuses every access token of the family', async () => {
    const first = await tokens()
    const rotated = (await refresh(first.refresh_token)).body
    expect((await mcpCall(rotated.access_token)).status).toBe(200)
    expect((await refresh(first.refresh_token)).body).toMatchObject({ error: 'invalid_grant' })
    for (const token of [first.access_token, rotated.access_token]) expect((await mcpCall(token)).status).toBe(401)
  })
})

describe('connected clients on the tokens page', () => {
  interface Row { id: string, clientId: string, clientName: string, scopes: Record<string, string[]>, authorizedAt: string | null, lastUsedAt: string | null }
  const list = async (who: NodeBrowser) => (await (await who.fetch('/api/auth/connected-clients')).json() as { items: Row[] }).items

  it('lists the client, its scopes and when it was authorized and used; another person cannot revoke it; revoking ends its access', async () => {
    const { access_token, refresh_token } = await tokens()
    const grant = decodeJwt(access_token).gid as string
    expect((await mcpCall(access_token)).status).toBe(200)
    const row = (await list(olga)).find(r => r.id === grant)
    expect(row).toMatchObject({ clientId, clientName: 'Revocation test', scopes: { [`${server.url}/mcp`]: ['read', 'write'] } })
    expect(Date.parse(row!.authorizedAt!)).toBeGreaterThan(Date.now() - 60_000)
    expect(Date.parse(row!.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000)

    const pete = new NodeBrowser(server.url, await webSession(server.url, ADMIN_TOKEN, 'pete'))
    expect(await list(pete)).toEqual([])
    const foreign = await pete.fetch(`/api/auth/connected-clients/${grant}`, { method: 'DELETE' })
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toEqual({ error: 'No such connected client' })
    const withoutCsrf = await fetch(`${server.url}/api/auth/connected-clients/${grant}`, { method: 'DELETE', headers: { cookie: olgaCookie, origin: server.url } })
    expect(withoutCsrf.status).toBe(403)
    const byBearer = await fetch(`${server.url}/api/auth/connected-clients/${grant}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(byBearer.status).toBe(401)
    expect((await mcpCall(access_token)).status).toBe(200)

    expect((await olga.fetch(`/api/auth/connected-clients/${grant}`, { method: 'DELETE' })).status).toBe(204)
    expect((await mcpCall(access_token)).status).toBe(401)
    expect((await refresh(refresh_token)).body).toMatchObject({ error: 'invalid_grant' })
    expect((await list(olga)).some(r => r.id === grant)).toBe(false)
    expect((await olga.fetch(`/api/auth/connected-clients/${grant}`, { method: 'DELETE' })).status).toBe(404)
  })
})

describe('the tokens page', () => {
  it('shows the connected client, and its Revoke button ends its access', async () => {
    const { access_token } = await tokens()
    expect((await mcpCall(access_token)).status).toBe(200)
    chromium = await launchChromium()
    const context = await chromium.newContext()
    // The same signed-in session as `olga` in Node.
    await context.addCookies(olgaCookie.split('; ').map(pair => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), url: server.url })))
    const page = await context.newPage()
    const problems = watchProblems(page)
    await page.goto(`${server.url}/console/tokens`)
    await page.getByRole('heading', { name: 'Connected clients' }).waitFor()
    // One row per authorization: this one is the grant of the token above.
    const rows = page.getByRole('row').filter({ hasText: 'Revocation test' })
    await rows.first().waitFor()
    const before = await rows.count()
    await expect(rows.first().textContent()).resolves.toContain('read, write on /mcp')
    const grant = decodeJwt(access_token).gid as string
    const listed = (await (await olga.fetch('/api/auth/connected-clients')).json() as { items: { id: string }[] }).items
    // The page lists the grants most recently used first: the token just used is at the top.
    expect(listed[0]!.id).toBe(grant)
    await rows.first().getByRole('button', { name: 'Revoke the access of Revocation test' }).click()
    await expect.poll(() => rows.count()).toBe(before - 1)
    expect((await mcpCall(access_token)).status).toBe(401)
    expect(problems).toEqual([])
  })
})
