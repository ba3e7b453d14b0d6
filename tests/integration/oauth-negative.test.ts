// What the authorization server refuses, each with the right status and nothing granted;
// plus the other client kinds: pre-registered (NUXT_OAUTH_CLIENTS) and metadata documents.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { decodeJwt, importJWK, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGithub, startFakeGithub } from '../fakes/github'
import { launchChromium } from '../helpers/browser'
import { type Callback, form, type MetadataHost, pkce, register, startCallback, startMetadataHost } from '../helpers/oauth'
import { startServer, type TestServer } from '../helpers/server'

let server: TestServer
let github: FakeGithub
let browser: Browser
let page: Page
let callback: Callback
let metadataHost: MetadataHost
let publicClient: string
const BOT_SECRET = 'a-pre-registered-client-secret-0123456789'

beforeAll(async () => {
  github = await startFakeGithub()
  github.addUser({ login: 'nina', name: 'Nina' })
  github.signIn('nina')
  callback = await startCallback()
  metadataHost = await startMetadataHost(callback.url)
  server = await startServer({
    env: {
      NUXT_OAUTH_GITHUB_CLIENT_ID: github.clientId,
      NUXT_OAUTH_GITHUB_CLIENT_SECRET: github.clientSecret,
      NUXT_GITHUB_URL: github.url,
      NUXT_GITHUB_API_URL: github.apiUrl,
      NUXT_OAUTH_CLIENTS: JSON.stringify([{ client_id: 'ci-bot', client_name: 'CI bot', client_secret: BOT_SECRET, redirect_uris: [callback.url] }]),
      // The metadata document host uses a certificate made for this test.
      NODE_EXTRA_CA_CERTS: metadataHost.caFile,
    },
  })
  const registered = await register(server.url, { client_name: 'Negative tests', redirect_uris: [callback.url], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] })
  expect(registered.status).toBe(201)
  publicClient = registered.body.client_id
  browser = await launchChromium()
  page = await (await browser.newContext()).newPage()
  await page.goto(`${server.url}/auth/github?redirect=/console/tokens`)
  await page.waitForURL(/\/console\/tokens/)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await github?.close()
  await callback?.close()
  await metadataHost?.close()
})

interface Authorize { clientId?: string, resource?: string, scope?: string }

function authorizeUrl(o: Authorize & { challenge: string, redirectUri?: string }) {
  const url = new URL(`${server.url}/oauth/authorize`)
  url.search = new URLSearchParams({
    response_type: 'code', client_id: o.clientId ?? publicClient, redirect_uri: o.redirectUri ?? callback.url, state: 'st',
    code_challenge: o.challenge, code_challenge_method: 'S256', scope: o.scope ?? 'read write', ...(o.resource ? { resource: o.resource } : {}),
  }).toString()
  return url.href
}

/** Authorization in the signed-in browser, approved on the consent page: a code and its verifier. */
async function authorize(o: Authorize = {}) {
  const { verifier, challenge } = pkce()
  const arrived = callback.next()
  await page.goto(authorizeUrl({ ...o, challenge }))
  await page.getByRole('button', { name: 'Approve' }).click()
  const q = await arrived
  await page.waitForURL(`${callback.url}?**`)
  if (!q.get('code')) throw new Error(`no code came back: ${q}`)
  return { code: q.get('code')!, verifier }
}

const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
  form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback.url, client_id: publicClient, ...extra })

const refresh = (refreshToken: string) =>
  form(`${server.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: publicClient })

/** Status of tools/call mctl_whoami on /mcp (or GET /api/v1/whoami) with a bearer token. */
async function useToken(token: string, surface: 'mcp' | 'api' = 'mcp', headers: Record<string, string> = {}) {
  const res = surface === 'api'
    ? await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}`, ...headers } })
    : await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } }),
      })
  return res.status
}

async function tokens() {
  const { code, verifier } = await authorize()
  const answer = await exchange(code, verifier)
  expect(answer.status).toBe(200)
  return answer.body as { access_token: string, refresh_token: string }
}

describe('refused, with nothing granted', () => {
  it('PKCE verifier mismatch', async () => {
    const { code } = await authorize()
    const wrong = await exchange(code, pkce().verifier)
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' })
    expect(wrong.body.access_token).toBeUndefined()
  })

  it('an authorization without PKCE', async () => {
    const res = await fetch(authorizeUrl({ challenge: '' }).replace(/&code_challenge=&code_challenge_method=S256/, ''), { redirect: 'manual' })
    const back = new URL(res.headers.get('location')!)
    expect(back.origin + back.pathname).toBe(callback.url)
    expect(back.searchParams.get('error')).toBe('invalid_request')
  })

  it('code reuse, which also revokes what the code gave', async () => {
    const { code, verifier } = await authorize()
    const first = await exchange(code, verifier)
    expect(first.status).toBe(200)
    expect(await useToken(first.body.access_token)).toBe(200)
    const again = await exchange(code, verifier)
    expect(again.status).toBe(400)
    expect(again.body).toMatchObject({ error: 'invalid_grant' })
    expect(await useToken(first.body.access_token)).toBe(401)
    expect((await refresh(first.body.refresh_token)).status).toBe(400)
  })

  it('redirect URI mismatch at the authorization endpoint and at the token endpoint', async () => {
    const { challenge } = pkce()
    const res = await fetch(authorizeUrl({ challenge, redirectUri: `${callback.url}/elsewhere` }), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('invalid_redirect_uri')

    const { code, verifier } = await authorize()
    const other = await exchange(code, verifier, { redirect_uri: `${callback.url}/elsewhere` })
    expect(other.status).toBe(400)
    expect(other.body).toMatchObject({ error: 'invalid_grant' })
  })

  it('a loopback redirect on another port, even for a native client', async () => {
    // RFC 8252 lets native apps vary the port; AUTH.md asks for exact matches.
    const native = await register(server.url, { client_name: 'native', application_type: 'native', redirect_uris: ['http://127.0.0.1:5555/callback'], token_endpoint_auth_method: 'none' })
    expect(native.status).toBe(201)
    const res = await fetch(authorizeUrl({ challenge: pkce().challenge, clientId: native.body.client_id, redirectUri: 'http://127.0.0.1:5556/callback' }), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
  })

  it('a token for another resource (wrong audience)', async () => {
    const { code, verifier } = await authorize({ clientId: 'ci-bot', resource: `${server.url}/api/v1` })
    const basic = `Basic ${Buffer.from(`ci-bot:${BOT_SECRET}`).toString('base64')}`
    const answer = await form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback.url, resource: `${server.url}/api/v1` }, { authorization: basic })
    expect(answer.status).toBe(200)
    expect(decodeJwt(answer.body.access_token).aud).toBe(`${server.url}/api/v1`)
    expect(await useToken(answer.body.access_token, 'api')).toBe(200)
    expect(await useToken(answer.body.access_token, 'mcp')).toBe(401)

    const mcpToken = (await tokens()).access_token
    expect(await useToken(mcpToken, 'api')).toBe(401)
  })

  it('an unknown resource indicator', async () => {
    const { challenge } = pkce()
    const res = await fetch(authorizeUrl({ challenge, resource: 'https://elsewhere.example/mcp' }), { redirect: 'manual' })
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_target')
  })

  it('an expired token, even with a valid signature', async () => {
    const live = (await tokens()).access_token
    const claims = decodeJwt(live)
    const { keys: [jwk] } = JSON.parse(readFileSync(join(server.dataDir, 'oauth-signing-keys.json'), 'utf8'))
    const key = await importJWK(jwk, 'ES256')
    const sign = (exp: number) => new SignJWT({ ...claims, exp, iat: exp - 3600 }).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid }).sign(key)
    const now = Math.floor(Date.now() / 1000)
    // Control: the same token re-signed with a future expiry is accepted, so only exp differs.
    expect(await useToken(await sign(now + 600))).toBe(200)
    expect(await useToken(await sign(now - 60))).toBe(401)
  })

  it('refresh token reuse, which revokes the whole family', async () => {
    const first = await tokens()
    const rotated = await refresh(first.refresh_token)
    expect(rotated.status).toBe(200)
    expect(await useToken(rotated.body.access_token)).toBe(200)

    const reused = await refresh(first.refresh_token)
    expect(reused.status).toBe(400)
    expect(reused.body).toMatchObject({ error: 'invalid_grant' })
    expect((await refresh(rotated.body.refresh_token)).status).toBe(400)
    expect(await useToken(rotated.body.access_token)).toBe(401)
    expect(await useToken(first.access_token)).toBe(401)
  })

  it('a foreign Origin on /mcp', async () => {
    const { access_token } = await tokens()
    expect(await useToken(access_token, 'mcp', { origin: 'https://evil.example' })).toBe(403)
    expect(await useToken(access_token, 'mcp', { origin: server.url })).toBe(200)
  })

  it('an unregistered client', async () => {
    const { challenge } = pkce()
    const res = await fetch(authorizeUrl({ challenge, clientId: 'nobody-registered-me' }), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('invalid_client')
    const token = await form(`${server.url}/oauth/token`, { grant_type: 'authorization_code', code: 'x', code_verifier: pkce().verifier, redirect_uri: callback.url, client_id: 'nobody-registered-me' })
    expect(token.status).toBe(401)
    expect(token.body).toMatchObject({ error: 'invalid_client' })
  })

  it.each([
    ['http on a public host', 'http://app.example.com/callback', 400],
    ['http on loopback', 'http://127.0.0.1:8765/callback', 201],
    ['http on localhost', 'http://localhost:8765/callback', 201],
    ['https anywhere', 'https://app.example.com/callback', 201],
    ['a javascript: URI', 'javascript:alert(1)', 400],
  ])('registration with %s', async (_, uri, status) => {
    const answer = await register(server.url, { client_name: 'x', redirect_uris: [uri], token_endpoint_auth_method: 'none' })
    expect(answer.status).toBe(status)
    if (status === 400) expect(answer.body.error).toMatch(/invalid_redirect_uri|invalid_client_metadata/)
  })

  it('a denied consent', async () => {
    const { challenge } = pkce()
    const arrived = callback.next()
    await page.goto(authorizeUrl({ challenge }))
    await page.getByRole('button', { name: 'Deny' }).click()
    const q = await arrived
    await page.waitForURL(`${callback.url}?**`)
    expect(q.get('error')).toBe('access_denied')
    expect(q.get('code')).toBeNull()
  })
})

describe('a second person on the same browser', () => {
  it('signs in after sign-out and gets a grant of their own, never the previous person’s', async () => {
    expect(decodeJwt((await tokens()).access_token).sub).toBe('nina')
    await page.goto(`${server.url}/console/tokens`)
    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL(/\/login/)

    github.addUser({ login: 'omar', name: 'Omar' })
    github.signIn('omar')
    const { verifier, challenge } = pkce()
    const arrived = callback.next()
    await page.goto(authorizeUrl({ challenge }))
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click()
    await page.getByRole('button', { name: 'Approve' }).click()
    const code = (await arrived).get('code')!
    await page.waitForURL(`${callback.url}?**`)
    const answer = await exchange(code, verifier)
    expect(answer.status).toBe(200)
    expect(decodeJwt(answer.body.access_token).sub).toBe('omar')
  })
})

describe('client ID metadata documents', () => {
  // The document is on loopback, which oidc-provider's SSRF guard refuses by default.
  it('are not fetched from a private address unless allowed', async () => {
    const { challenge } = pkce()
    const res = await fetch(authorizeUrl({ challenge, clientId: metadataHost.url }), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toMatch(/invalid_client[\s\S]*metadata document fetch failed/)
  })
})
