// The admin console's own routes (server/api/admin/*): admins only, over a bearer token or the
// browser session, and no secret setting, client secret or password hash in any answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { register } from '../helpers/oauth'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser, webSession } from '../helpers/users'

const SECRETS = {
  NUXT_ALERTMANAGER_TOKEN: 'alertmanager-secret-value-0123456789',
  NUXT_METRICS_TOKEN: 'metrics-secret-value-0123456789',
  NUXT_ANTHROPIC_API_KEY: 'sk-ant-secret-value-0123456789',
  NUXT_SESSION_PASSWORD: 'session-password-secret-value-0123456789',
  NUXT_GITOPS_TOKEN: 'gitops-secret-value-0123456789',
}
const CONFIGURED_SECRET = 'configured-client-secret-value-0123456789abcdef'
const ROUTES = ['/api/admin/users', '/api/admin/oauth-clients', '/api/admin/settings']

let server: TestServer
let memberToken: string
let registered: Record<string, any>

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers })
  const text = await res.text()
  return { status: res.status, text, body: JSON.parse(text) }
}

beforeAll(async () => {
  server = await startServer({
    env: {
      ...SECRETS,
      NUXT_OAUTH_CLIENTS: JSON.stringify([{ client_id: 'ci-bot', client_name: 'CI bot', client_secret: CONFIGURED_SECRET, redirect_uris: ['https://ci.example.com/cb'] }]),
    },
  })
  memberToken = addUser(server.dataDir, 'mona')
  // A confidential client registered dynamically: it gets a secret and a registration token.
  registered = (await register(server.url, { client_name: 'Desk app', redirect_uris: ['https://desk.example.com/cb'], token_endpoint_auth_method: 'client_secret_basic' })).body
  expect(registered.client_secret).toBeTruthy()
})
afterAll(async () => {
  await server?.stop()
})

describe.each(ROUTES)('%s', (path) => {
  it('asks a signed-out caller to sign in (401)', async () => {
    const { status, body } = await get(path)
    expect(status).toBe(401)
    expect(body.error).toBeTruthy()
  })

  it('refuses a signed-in non-admin (403) with the reason', async () => {
    const { status, body } = await get(path, { authorization: `Bearer ${memberToken}` })
    expect(status).toBe(403)
    expect(body.error).toMatch(/Only a platform admin/)
  })

  it('answers an admin', async () => {
    expect((await get(path, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200)
  })
})

describe('answers to an admin', () => {
  it('lists users with groups and admin status, never password hashes', async () => {
    await webSession(server.url, ADMIN_TOKEN, 'lena')
    const { body, text } = await get('/api/admin/users', { authorization: `Bearer ${ADMIN_TOKEN}` })
    expect(body.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'mona', isAdmin: false, provider: 'local' }),
      expect.objectContaining({ id: 'lena', isAdmin: false, groups: [] }),
    ]))
    expect(text).not.toMatch(/scrypt|passwordHash|password_hash/i)
  })

  it('lists configured and registered OAuth clients without their secrets', async () => {
    const { body } = await get('/api/admin/oauth-clients', { authorization: `Bearer ${ADMIN_TOKEN}` })
    expect(body.items).toEqual([
      expect.objectContaining({ clientId: 'ci-bot', name: 'CI bot', source: 'configured', authMethod: 'client_secret_basic', redirectUris: ['https://ci.example.com/cb'] }),
      expect.objectContaining({ clientId: registered.client_id, name: 'Desk app', source: 'registered', authMethod: 'client_secret_basic' }),
    ])
  })

  it('shows settings with every secret as set / not set', async () => {
    const { body } = await get('/api/admin/settings', { authorization: `Bearer ${ADMIN_TOKEN}` })
    const rows = Object.fromEntries(body.sections.flatMap((s: { items: { name: string, value: string }[] }) => s.items.map(i => [i.name, i.value])))
    expect(rows).toMatchObject({
      NUXT_PUBLIC_BASE_URL: server.url,
      NUXT_ALERTMANAGER_TOKEN: 'set',
      NUXT_ANTHROPIC_API_KEY: 'set',
      NUXT_GITOPS_TOKEN: 'set',
      NUXT_VAULT_TOKEN: 'not set',
      NUXT_BOOTSTRAP_ADMIN_TOKEN: 'set',
    })
  })

  it('is open to an admin\'s browser session, closed to a member\'s', async () => {
    const admin = await webSession(server.url, ADMIN_TOKEN, 'ada', { admin: true })
    const member = await webSession(server.url, ADMIN_TOKEN, 'max')
    expect((await get('/api/admin/settings', { cookie: admin.cookie })).status).toBe(200)
    expect((await get('/api/admin/users', { cookie: member.cookie })).status).toBe(403)
  })

  it('never answers a secret value', async () => {
    const answers = await Promise.all(ROUTES.map(path => get(path, { authorization: `Bearer ${ADMIN_TOKEN}` })))
    const values = [...Object.values(SECRETS), CONFIGURED_SECRET, ADMIN_TOKEN, registered.client_secret, registered.registration_access_token].filter(Boolean)
    const leaks = answers.flatMap(({ text }, i) => values.filter(v => text.includes(v)).map(v => `${ROUTES[i]} contains ${v.slice(0, 6)}…`))
    expect(leaks).toEqual([])
  })
})
