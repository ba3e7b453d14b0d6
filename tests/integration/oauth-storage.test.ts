// What the OAuth server keeps in its database: no value a client or browser holds as a bearer
// secret (codes, refresh tokens, the session id), only their hashes; rotation and reuse
// detection still work over them. The flow runs from Node: a signed-in local user's cookies,
// the consent API, the token endpoint.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, NodeBrowser, register } from '../helpers/oauth'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { webSession } from '../helpers/users'

const REDIRECT = 'http://127.0.0.1:5599/callback'
let server: TestServer
let clientId: string
let browser: NodeBrowser

beforeAll(async () => {
  server = await startServer()
  browser = new NodeBrowser(server.url, await webSession(server.url, ADMIN_TOKEN, 'olga'))
  const registered = await register(server.url, { client_name: 'Storage test', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] })
  expect(registered.status).toBe(201)
  clientId = registered.body.client_id
})
afterAll(async () => {
  await server?.stop()
})

const authorize = () => browser.authorize(clientId, REDIRECT)
const exchange = (code: string, verifier: string) =>
  form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId })
const refresh = (token: string) => form(`${server.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId })

async function whoami(accessToken: string) {
  const res = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${accessToken}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } }),
  })
  return res.status
}

/** Every row of every table of the server's database, as text. */
function databaseText(): string {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try {
    const tables = db.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[]
    return tables.map(t => JSON.stringify(db.prepare(`select * from "${t}"`).all())).join('\n')
  }
  finally { db.close() }
}

describe('the OAuth server\'s storage', () => {
  it('holds no code, refresh token or session id the client and browser hold', async () => {
    const { code, verifier } = await authorize()
    const first = await exchange(code, verifier)
    expect(first.status).toBe(200)
    const rotated = await refresh(first.body.refresh_token)
    expect(rotated.status).toBe(200)
    expect(rotated.body.refresh_token).not.toBe(first.body.refresh_token)
    expect(await whoami(rotated.body.access_token)).toBe(200)
    const oauthSession = browser.cookie('_session')
    expect(oauthSession).toBeTruthy()

    const rows = databaseText()
    // The rows are there (the rotated-out token stays, consumed, for reuse detection)…
    expect(rows.match(/"model":"RefreshToken"/g)).toHaveLength(2)
    expect(rows).toContain('"model":"AuthorizationCode"')
    // …but not the values that work as bearer secrets.
    for (const value of [code, first.body.refresh_token, rotated.body.refresh_token, oauthSession!]) expect(rows).not.toContain(value)
  })

  it('still detects refresh token reuse and revokes the whole family', async () => {
    const { code, verifier } = await authorize()
    const first = (await exchange(code, verifier)).body
    const rotated = await refresh(first.refresh_token)
    expect(rotated.status).toBe(200)

    const reused = await refresh(first.refresh_token)
    expect(reused.status).toBe(400)
    expect(reused.body).toMatchObject({ error: 'invalid_grant' })
    expect((await refresh(rotated.body.refresh_token)).status).toBe(400)
    expect(await whoami(rotated.body.access_token)).toBe(401)
  })

  it('still refuses a code used twice, revoking what it gave', async () => {
    const { code, verifier } = await authorize()
    const first = await exchange(code, verifier)
    expect(first.status).toBe(200)
    expect((await exchange(code, verifier)).status).toBe(400)
    expect(await whoami(first.body.access_token)).toBe(401)
    expect((await refresh(first.body.refresh_token)).status).toBe(400)
  })
})
