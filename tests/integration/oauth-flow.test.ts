// The MCP OAuth flow end to end with the MCP SDK's own client auth: discovery from a 401,
// dynamic registration, authorization with sign-in through (fake) GitHub and consent in
// Chromium, token, tools/call, refresh, revocation.
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGithub, startFakeGithub } from '../fakes/github'
import { launchChromium, watchProblems } from '../helpers/browser'
import { type Callback, form, type MetadataHost, MemoryOAuthProvider, pkce, startCallback, startMetadataHost } from '../helpers/oauth'
import { startServer, type TestServer } from '../helpers/server'

let server: TestServer
let github: FakeGithub
let browser: Browser
let context: BrowserContext
let page: Page
let callback: Callback
let provider: MemoryOAuthProvider
let metadataHost: MetadataHost

beforeAll(async () => {
  github = await startFakeGithub()
  github.addUser({ login: 'octo', name: 'Octo Cat', email: 'octo@example.com', teams: ['acme/platform'] })
  github.signIn('octo')
  callback = await startCallback()
  provider = new MemoryOAuthProvider(callback.url)
  metadataHost = await startMetadataHost(callback.url)
  server = await startServer({
    env: {
      NUXT_OAUTH_GITHUB_CLIENT_ID: github.clientId,
      NUXT_OAUTH_GITHUB_CLIENT_SECRET: github.clientSecret,
      NUXT_OAUTH_GITHUB_TEAMS: 'true',
      NUXT_GITHUB_URL: github.url,
      NUXT_GITHUB_API_URL: github.apiUrl,
      // The metadata document below lives on loopback, with a certificate made for the test.
      NUXT_OAUTH_CLIENT_METADATA_PRIVATE_NETWORKS: 'true',
      NODE_EXTRA_CA_CERTS: metadataHost.caFile,
    },
  })
  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
})
afterAll(async () => {
  await browser?.close()
  await callback?.close()
  await server?.stop()
  await github?.close()
  await metadataHost?.close()
})

const mcpUrl = () => new URL('/mcp', server.url)

async function connectWith(provider: MemoryOAuthProvider) {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }))
  return client
}

describe('the MCP OAuth flow with the SDK client', () => {
  let firstTokens: { access_token: string, refresh_token?: string }

  it('discovers the server from a 401, registers and asks to authorize', async () => {
    const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider })
    await expect(new Client({ name: 'oauth-test', version: '1.0.0' }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError)

    const client = provider.clientInformation()!
    expect(client.client_id).toBeTruthy()
    const url = provider.authorizationUrl!
    expect(url.origin + url.pathname).toBe(`${server.url}/oauth/authorize`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('resource')).toBe(`${server.url}/mcp`)
    expect(url.searchParams.get('scope')).toBe('read write')
  })

  it('signs in through GitHub, shows the consent page and returns a code', async () => {
    const problems = watchProblems(page)
    await page.goto(provider.authorizationUrl!.href)
    // Not signed in yet: the consent page sends the person to /login and back.
    await page.waitForURL(/\/login\?redirect=/)
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click()
    await page.waitForURL(/\/oauth\/consent\?uid=/)
    await page.getByRole('heading', { level: 1, name: 'MCTL test client wants to access MCTL' }).waitFor()
    expect(await page.getByTestId('redirect-host').textContent()).toBe(new URL(callback.url).host)
    expect(await page.getByTestId('scopes').textContent()).toMatch(/read.*write/s)
    const arrived = callback.next()
    await page.getByRole('button', { name: 'Approve' }).click()
    const query = await arrived
    await page.waitForURL(`${callback.url}?**`)
    expect(query.get('error')).toBeNull()
    expect(query.get('iss')).toBe(server.url)
    expect(problems).toEqual([])

    const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider })
    await transport.finishAuth(query.get('code')!)
    firstTokens = provider.tokens()!
    expect(firstTokens.refresh_token).toBeTruthy()
  })

  it('issues a JWT for the /mcp resource that carries no roles', async () => {
    const header = decodeProtectedHeader(firstTokens.access_token)
    const claims = decodeJwt(firstTokens.access_token)
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' })
    expect(claims).toMatchObject({ iss: server.url, aud: `${server.url}/mcp`, sub: 'octo', scope: 'read write' })
    expect(claims.exp! - claims.iat!).toBe(3600)
    expect(claims).not.toHaveProperty('groups')
  })

  it('calls tools with the access token', async () => {
    const client = await connectWith(provider)
    const me = await client.callTool({ name: 'mctl_whoami', arguments: {} })
    expect(me.isError).toBeFalsy()
    expect(me.structuredContent).toMatchObject({ userId: 'octo', displayName: 'Octo Cat', provider: 'github', tokenType: 'oauth', groups: ['acme/platform'], isAdmin: false, scopes: ['read', 'write'] })
    await client.close()
  })

  it('refreshes: a new access token and a rotated refresh token', async () => {
    expect(await auth(provider, { serverUrl: mcpUrl() })).toBe('AUTHORIZED')
    const refreshed = provider.tokens()!
    expect(refreshed.access_token).not.toBe(firstTokens.access_token)
    expect(refreshed.refresh_token).toBeTruthy()
    expect(refreshed.refresh_token).not.toBe(firstTokens.refresh_token)
    const client = await connectWith(provider)
    expect((await client.callTool({ name: 'mctl_whoami', arguments: {} })).structuredContent).toMatchObject({ userId: 'octo', tokenType: 'oauth' })
    await client.close()
  })

  it('revokes: the refresh token and every access token of the grant stop working', async () => {
    const { access_token, refresh_token } = provider.tokens()!
    const clientId = provider.clientInformation()!.client_id
    const revoked = await form(`${server.url}/oauth/revoke`, { token: refresh_token!, token_type_hint: 'refresh_token', client_id: clientId })
    expect(revoked.status).toBe(200)

    const call = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${access_token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } }),
    })
    expect(call.status).toBe(401)
    expect(call.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="Invalid or expired token", resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`)

    const refresh = await form(`${server.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refresh_token!, client_id: clientId })
    expect(refresh.status).toBe(400)
    expect(refresh.body.error).toBe('invalid_grant')
  })

  it('kept every token and secret out of the server log', () => {
    const { keys: [signingKey] } = JSON.parse(readFileSync(join(server.dataDir, 'oauth-signing-keys.json'), 'utf8'))
    const secrets = [
      firstTokens.access_token, firstTokens.refresh_token!, provider.tokens()!.access_token, provider.tokens()!.refresh_token!,
      github.clientSecret, readFileSync(join(server.dataDir, 'session.key'), 'utf8').trim(), signingKey.d,
    ]
    const log = server.output()
    expect(log).toContain('auth.signed_in')
    for (const secret of secrets) expect(log).not.toContain(secret)
  })
})

describe('a client identified by its metadata document', () => {
  it('is named by its document on the consent page and gets tokens', async () => {
    const { verifier, challenge } = pkce()
    const url = new URL(`${server.url}/oauth/authorize`)
    url.search = new URLSearchParams({ response_type: 'code', client_id: metadataHost.url, redirect_uri: callback.url, code_challenge: challenge, code_challenge_method: 'S256', scope: 'read', state: 's' }).toString()
    const arrived = callback.next()
    await page.goto(url.href)
    await page.getByRole('heading', { level: 1, name: 'Metadata Doc Client wants to access MCTL' }).waitFor()
    await page.getByRole('button', { name: 'Approve' }).click()
    const code = (await arrived).get('code')!
    await page.waitForURL(`${callback.url}?**`)
    const answer = await form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback.url, client_id: metadataHost.url })
    expect(answer.status).toBe(200)
    expect(decodeJwt(answer.body.access_token)).toMatchObject({ client_id: metadataHost.url, scope: 'read', sub: 'octo' })
    // Its document allows the code grant only: no refresh token.
    expect(answer.body.refresh_token).toBeUndefined()
    // Read was all it asked for, so write tools are refused, with the challenge to step up.
    const write = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${answer.body.access_token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_create_tenant', arguments: { tenant_name: 'nope' } } }),
    })
    expect(write.status).toBe(403)
    expect(write.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="write", resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`)
    expect((await write.json()).error).toMatchObject({ message: expect.stringMatching(/read scope only/) })
  })
})
