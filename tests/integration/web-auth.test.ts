// People in the browser (Chromium): the first admin from the one-time setup link, the token
// page, CSRF on session requests, invites, local and OIDC sign-in, sign-out; plus the
// security headers and /.well-known answers every page gets.
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOidc, startFakeOidc } from '../fakes/oidc'
import { launchChromium, watchProblems } from '../helpers/browser'
import { startServer, type TestServer } from '../helpers/server'

let server: TestServer
let oidc: FakeOidc
let browser: Browser
let context: BrowserContext
let page: Page
const PASSWORD = 'correct horse battery staple'

beforeAll(async () => {
  oidc = await startFakeOidc()
  oidc.addUser({ sub: 'u-9', preferred_username: 'Dana', name: 'Dana Dex', email: 'dana@example.com', groups: ['devs'] })
  oidc.signIn('u-9')
  server = await startServer({
    env: {
      // No bootstrap token: the first admin must come from the setup link.
      NUXT_BOOTSTRAP_ADMIN_TOKEN: '',
      NUXT_OAUTH_OIDC_ISSUER: oidc.issuer,
      NUXT_OAUTH_OIDC_CLIENT_ID: oidc.clientId,
      NUXT_OAUTH_OIDC_CLIENT_SECRET: oidc.clientSecret,
      NUXT_OAUTH_OIDC_NAME: 'Dex',
    },
  })
  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await oidc?.close()
})

const setupLinks = () => [...server.output().matchAll(/"url":"([^"]+\/setup\?token=[^"]+)"/g)].map(m => m[1]!)

/** The browser's session cookie and CSRF token, to make requests as that session from Node. */
async function session() {
  const cookie = (await context.cookies(server.url)).map(c => `${c.name}=${c.value}`).join('; ')
  const { csrf } = await (await fetch(`${server.url}/api/_auth/session`, { headers: { cookie } })).json()
  return { cookie, csrf: csrf as string }
}

async function signOut() {
  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL(/\/login/)
}

describe('first start without an admin', () => {
  it('logs a one-time setup link, which creates the first admin', async () => {
    const [link] = setupLinks()
    expect(link).toMatch(new RegExp(`^${server.url}/setup\\?token=[\\w-]{20,}$`))
    expect((await fetch(`${server.url}/api/auth/providers`).then(r => r.json())).setupPending).toBe(true)

    const problems = watchProblems(page)
    await page.goto(link!)
    await page.getByText('Create the first admin').waitFor()
    await page.getByLabel('Login', { exact: true }).fill('root')
    await page.getByLabel('Display name').fill('Ruth Root')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL(/\/console$/)
    await page.getByTestId('user-menu').filter({ hasText: 'Ruth Root' }).waitFor()
    expect(problems).toEqual([])

    const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie: (await session()).cookie } }).then(r => r.json())
    expect(me).toMatchObject({ userId: 'root', provider: 'local', tokenType: 'session', isAdmin: true })
  })

  it('does not work twice, and no new link is logged once an admin exists', async () => {
    const used = await fetch(`${server.url}/api/auth/setup?token=${new URL(setupLinks()[0]!).searchParams.get('token')}`)
    expect(used.status).toBe(404)
    await server.stop()
    await server.start()
    expect(setupLinks()).toHaveLength(1)
    expect((await fetch(`${server.url}/api/auth/providers`).then(r => r.json())).setupPending).toBe(false)
  })
})

describe('the token page', () => {
  let value = ''

  it('creates a token and shows its value once', async () => {
    await page.goto(`${server.url}/console/tokens`)
    await page.getByLabel('Name').fill('laptop')
    await page.getByRole('button', { name: 'Create token' }).click()
    // Masked until asked for: nobody behind the person's shoulder reads it off the screen.
    expect((await page.getByTestId('new-token').textContent())!.trim()).toMatch(/^mctl_pat_[\w-]{4}•+$/)
    await page.getByRole('button', { name: 'Show' }).click()
    value = (await page.getByTestId('new-token').textContent())!.trim()
    expect(value).toMatch(/^mctl_pat_[\w-]{40,}$/)
    await page.getByRole('row').filter({ hasText: 'laptop' }).waitFor()

    // It is a read-only token (the default) that works on the API.
    const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${value}` } }).then(r => r.json())
    expect(me).toMatchObject({ userId: 'root', tokenType: 'personal', scopes: ['read'] })

    await page.reload()
    await page.getByRole('row').filter({ hasText: 'laptop' }).waitFor()
    expect(await page.getByTestId('new-token').count()).toBe(0)
    const listed = await fetch(`${server.url}/api/tokens`, { headers: { cookie: (await session()).cookie } }).then(r => r.text())
    expect(listed).not.toContain(value)
  })

  it('revokes it', async () => {
    await page.getByRole('button', { name: 'Revoke laptop' }).click()
    await page.getByRole('row').filter({ hasText: 'laptop' }).filter({ hasText: 'revoked' }).waitFor()
    expect((await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${value}` } })).status).toBe(401)
  })
})

describe('CSRF on session requests', () => {
  const create = (headers: Record<string, string>) => fetch(`${server.url}/api/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'ci', scopes: ['write'], expiresInDays: 7 }),
  })

  it('refuses a state change without the session’s CSRF token, or from a foreign origin', async () => {
    const { cookie, csrf } = await session()
    expect((await create({ cookie })).status).toBe(403)
    expect((await create({ cookie, 'x-csrf-token': 'guess' })).status).toBe(403)
    expect((await create({ cookie, 'x-csrf-token': csrf, 'origin': 'https://evil.example' })).status).toBe(403)
    expect((await create({ 'x-csrf-token': csrf })).status).toBe(401)
    const ok = await create({ cookie, 'x-csrf-token': csrf, 'origin': server.url })
    expect(ok.status).toBe(201)
    expect((await ok.json()).scopes).toEqual(['read', 'write'])
  })

  it('applies to the REST API used with a session too', async () => {
    const { cookie, csrf } = await session()
    const post = (headers: Record<string, string>) => fetch(`${server.url}/api/v1/tenants`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ tenant_name: 'webby' }) })
    expect((await post({})).status).toBe(403)
    expect((await post({ 'x-csrf-token': csrf })).status).toBe(202)
  })
})

describe('invites, sign-out and sign-in', () => {
  let invite = ''

  it('lets an admin invite a local user, who sets a password through the link', async () => {
    const { cookie, csrf } = await session()
    const answer = await fetch(`${server.url}/api/auth/invites`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ login: 'ivy', groups: ['devs'] }),
    })
    expect(answer.status).toBe(201)
    invite = (await answer.json()).url
    await signOut()

    await page.goto(invite)
    await page.getByText('Set up your account').waitFor()
    expect(await page.getByLabel('Login', { exact: true }).inputValue()).toBe('ivy')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL(/\/console$/)
    const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie: (await session()).cookie } }).then(r => r.json())
    expect(me).toMatchObject({ userId: 'ivy', groups: ['devs'], isAdmin: false })
  })

  it('signs in locally, refusing a wrong password', async () => {
    await signOut()
    await page.getByLabel('Login', { exact: true }).fill('ivy')
    await page.getByLabel('Password', { exact: true }).fill('not the password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('Wrong login or password').waitFor()
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(/\/console$/)
    await page.getByTestId('user-menu').filter({ hasText: 'ivy' }).waitFor()
  })

  it('signs in through the OIDC issuer', async () => {
    await signOut()
    await page.getByRole('link', { name: 'Sign in with Dex' }).click()
    await page.waitForURL(/\/console$/)
    const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie: (await session()).cookie } }).then(r => r.json())
    expect(me).toMatchObject({ userId: 'dana', displayName: 'Dana Dex', provider: 'oidc', groups: ['devs'] })
  })

  it('sends signed-out people from console pages to /login and back', async () => {
    await signOut()
    await page.goto(`${server.url}/console/tokens`)
    await page.waitForURL(/\/login\?redirect=%2Fconsole%2Ftokens|\/login\?redirect=\/console\/tokens/)
    expect((await fetch(`${server.url}/api/tokens`)).status).toBe(401)
  })
})

describe('headers and discovery documents', () => {
  // /login is rendered per request; the others are prerendered at build and served as files.
  it.each(['/login', '/', '/docs', '/docs/getting-started'])('puts a nonce CSP and frame-ancestors none on %s, and the nonce on every script', async (path) => {
    const nonces = new Set<string>()
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status).toBe(200)
      const csp = res.headers.get('content-security-policy')!
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
      nonces.add(nonce)
      expect(csp).toContain(`frame-ancestors 'none'`)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('strict-transport-security')).toBeNull()
      // A page is never revalidated: its copy would carry an older response's nonce.
      expect(res.headers.get('etag')).toBeNull()
      const html = await res.text()
      expect(Buffer.byteLength(html)).toBe(Number(res.headers.get('content-length') ?? Buffer.byteLength(html)))
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`)
      expect(html).not.toContain('mctl-prerendered-page-nonce')
    }
    expect(nonces.size).toBe(2)
  })

  it('sends the security headers with static files too', async () => {
    const html = await (await fetch(`${server.url}/docs`)).text()
    const script = /<script[^>]+src="(\/_nuxt\/[^"]+\.js)"/.exec(html)![1]!
    const res = await fetch(`${server.url}${script}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors 'none'`)
  })

  it.each([
    ['/.well-known/oauth-protected-resource/mcp', 200, { resource: '/mcp' }],
    ['/.well-known/oauth-protected-resource', 200, { resource: '/mcp' }],
    ['/.well-known/oauth-protected-resource/api/v1', 200, { resource: '/api/v1' }],
    ['/.well-known/oauth-authorization-server', 200, { issuer: '' }],
    ['/.well-known/openid-configuration', 200, { issuer: '' }],
    ['/.well-known/security.txt', 404, {}],
    ['/.well-known/oauth-authorization-server/extra', 404, {}],
    ['/.well-known', 404, {}],
    ['/.well-known/', 404, {}],
  ])('%s answers JSON (%i)', async (path, status, fields) => {
    const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } })
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await res.json()
    for (const [key, suffix] of Object.entries(fields)) expect(body[key]).toBe(`${server.url}${suffix}`)
  })
})
