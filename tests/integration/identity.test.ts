// Outside tokens on /mcp and /api/v1 (GitHub, OIDC issuer JWTs) and membership: tenant roles
// from tenant.yaml members and groups, admin from mctl.yaml adminGroups and NUXT_ADMIN_USERS,
// all resolved per request, so a change in git changes access without a new token.
import { SignJWT, generateKeyPair } from 'jose'
import { parse, stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGithub, startFakeGithub } from '../fakes/github'
import { type FakeOidc, startFakeOidc } from '../fakes/oidc'
import { handCommit } from '../helpers/git'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

let server: TestServer
let github: FakeGithub
let oidc: FakeOidc
let work: string

async function whoami(token: string, surface: 'api' | 'mcp' = 'api') {
  const res = surface === 'api'
    ? await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })
    : await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } }),
      })
  const body = await res.json()
  return { status: res.status, body: surface === 'mcp' && res.status === 200 ? body.result.structuredContent : body, headers: res.headers }
}

async function createTenant(name: string, groups: string[]) {
  const res = await fetch(`${server.url}/api/v1/tenants`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_name: name, wait_seconds: 20 }),
  })
  expect((await res.json()).status).toBe('succeeded')
  handCommit(`${server.dataDir}/gitops`, work, { [`tenants/${name}/tenant.yaml`]: y => stringify({ ...parse(y), groups }) }, `tenant: ${name} groups`)
}

beforeAll(async () => {
  github = await startFakeGithub()
  github.addUser({ login: 'Tim', name: 'Tim Team', teams: ['acme-org/payments'] })
  github.addUser({ login: 'pat', name: 'Pat Platform', teams: ['acme-org/platform'] })
  github.addUser({ login: 'dup', name: 'Not the local dup' })
  oidc = await startFakeOidc()
  oidc.addUser({ sub: 'u-1', preferred_username: 'dana', name: 'Dana', email: 'dana@example.com', groups: ['platform-admins'] })
  oidc.addUser({ sub: 'u-2', preferred_username: 'eve', name: 'Eve', groups: ['devs'] })
  server = await startServer({
    env: {
      NUXT_GITHUB_URL: github.url,
      NUXT_GITHUB_API_URL: github.apiUrl,
      NUXT_OAUTH_GITHUB_TEAMS: 'true',
      NUXT_OAUTH_OIDC_ISSUER: oidc.issuer,
      NUXT_OAUTH_OIDC_CLIENT_ID: oidc.clientId,
      NUXT_OAUTH_OIDC_CLIENT_SECRET: oidc.clientSecret,
      NUXT_ADMIN_USERS: 'root-user',
    },
  })
  work = await tempDir()
  handCommit(`${server.dataDir}/gitops`, work, { 'mctl.yaml': y => stringify({ ...parse(y), adminGroups: ['acme-org/platform', 'platform-admins'] }) }, 'platform: admin groups')
  await createTenant('payments', ['acme-org/payments', 'devs'])
  await eventually(async () => (await whoami(github.issueToken('Tim'))).body.tenants?.length === 1)
})
afterAll(async () => {
  await server?.stop()
  await github?.close()
  await oidc?.close()
})

describe('GitHub tokens', () => {
  it('identify the person with their teams as groups and tenants by team', async () => {
    const me = await whoami(github.issueToken('Tim'), 'mcp')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ userId: 'tim', displayName: 'Tim Team', provider: 'github', tokenType: 'github', groups: ['acme-org/payments'], isAdmin: false, tenants: [{ name: 'payments', role: 'member' }] })
  })

  it('are checked with GitHub once per 5 minutes, not per request', async () => {
    const token = github.issueToken('Tim')
    const before = github.calls.filter(c => c === 'GET /user').length
    for (let i = 0; i < 3; i++) expect((await whoami(token)).status).toBe(200)
    expect(github.calls.filter(c => c === 'GET /user').length).toBe(before + 1)
  })

  it('without read:org give no teams, hence no team-based tenants', async () => {
    const me = await whoami(github.issueToken('Tim', ['repo']))
    expect(me.body).toMatchObject({ userId: 'tim', groups: [], tenants: [] })
  })

  it('make a platform team an admin (mctl.yaml adminGroups)', async () => {
    expect((await whoami(github.issueToken('pat'))).body).toMatchObject({ userId: 'pat', isAdmin: true, groups: ['acme-org/platform'] })
  })

  it('are refused when GitHub does not know them, and junk never reaches GitHub', async () => {
    const unknown = await whoami(`gho_${'a'.repeat(36)}`)
    expect(unknown.status).toBe(401)
    expect(unknown.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="Invalid or expired token", resource_metadata="${server.url}/.well-known/oauth-protected-resource/api/v1"`)
    const calls = github.calls.length
    expect((await whoami('not-a-token-of-any-kind')).status).toBe(401)
    expect(github.calls.length).toBe(calls)
  })

  it('cannot take over a local account with the same login', async () => {
    addUser(server.dataDir, 'dup')
    const answer = await whoami(github.issueToken('dup'))
    expect(answer.status).toBe(401)
    expect(answer.body.error).toMatch(/"dup" belongs to a local account/)
  })
})

describe('OIDC issuer tokens', () => {
  it('identify the person, with groups from the claim (an admin group here)', async () => {
    const me = await whoami(await oidc.mint('u-1'))
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ userId: 'dana', provider: 'oidc', tokenType: 'oidc', groups: ['platform-admins'], isAdmin: true })
    expect((await whoami(await oidc.mint('u-2'))).body).toMatchObject({ userId: 'eve', isAdmin: false, tenants: [{ name: 'payments', role: 'member' }] })
  })

  it.each([
    ['for another audience', () => oidc.mint('u-1', { audience: 'someone-else' })],
    ['expired', () => oidc.mint('u-1', { expiresIn: -120 })],
    ['signed by another key with the same issuer', async () => {
      const { privateKey } = await generateKeyPair('RS256')
      return new SignJWT({ groups: ['platform-admins'] }).setProtectedHeader({ alg: 'RS256', kid: 'fake-1' }).setIssuer(oidc.issuer).setAudience(oidc.clientId).setSubject('u-1').setExpirationTime('1h').sign(privateKey)
    }],
  ])('are refused when %s', async (_, make) => {
    expect((await whoami(await make())).status).toBe(401)
  })
})

describe('membership and admin are resolved per request', () => {
  it('a login in NUXT_ADMIN_USERS is an admin', async () => {
    expect((await whoami(addUser(server.dataDir, 'root-user'))).body).toMatchObject({ userId: 'root-user', isAdmin: true })
  })

  it('follows tenant.yaml without a new token', async () => {
    const token = addUser(server.dataDir, 'mia')
    expect((await whoami(token)).body.tenants).toEqual([])
    handCommit(`${server.dataDir}/gitops`, work, {
      'tenants/payments/tenant.yaml': y => stringify({ ...parse(y), members: [...parse(y).members, { userId: 'mia', role: 'owner' }] }),
    }, 'tenant: payments adds mia')
    await eventually(async () => (await whoami(token)).body.tenants?.[0]?.role === 'owner')

    // Dropping the team from the tenant takes Tim's access away at once, same token.
    const tim = github.issueToken('Tim')
    expect((await whoami(tim)).body.tenants).toEqual([{ name: 'payments', role: 'member' }])
    handCommit(`${server.dataDir}/gitops`, work, { 'tenants/payments/tenant.yaml': y => stringify({ ...parse(y), groups: ['devs'] }) }, 'tenant: payments drops the team')
    await eventually(async () => (await whoami(tim)).body.tenants?.length === 0)
    const denied = await fetch(`${server.url}/api/v1/tenants/payments`, { headers: { authorization: `Bearer ${tim}` } })
    // Not his to see any more: answered as a tenant that does not exist.
    expect({ status: denied.status, body: await denied.json() }).toEqual({ status: 404, body: { error: 'Tenant "payments" not found' } })
  })
})

describe('with GitHub tokens switched off', () => {
  let off: TestServer
  beforeAll(async () => {
    off = await startServer({ env: { NUXT_GITHUB_API_URL: github.apiUrl, NUXT_AUTH_ACCEPT_GITHUB_TOKENS: 'false' } })
  })
  afterAll(async () => {
    await off?.stop()
  })

  it('refuses them without asking GitHub', async () => {
    const calls = github.calls.length
    const res = await fetch(`${off.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${github.issueToken('Tim')}` } })
    expect(res.status).toBe(401)
    expect(github.calls.length).toBe(calls)
  })
})
