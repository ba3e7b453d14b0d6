// Approve / reject from the console: the decision routes take the browser session like every
// /api/v1 route (CSRF-checked), and apply the same owner rule as over a bearer token.
import { parse, stringify } from 'yaml'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { INTAKE_TOKEN, postAlerts } from '../helpers/agent'
import { handCommit } from '../helpers/git'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { eventually, webSession } from '../helpers/users'

let server: TestServer
let incident: string
let owner: { cookie: string, csrf: string }
let member: { cookie: string, csrf: string }

const decide = (verdict: 'approve' | 'reject', headers: Record<string, string>) => fetch(`${server.url}/api/v1/incidents/${incident}/${verdict}`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'origin': server.url, ...headers }, body: '{}',
})

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN } })
  const created = await fetch(`${server.url}/api/v1/tenants`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_name: 'shop', wait_seconds: 20 }),
  }).then(r => r.json())
  expect(created.status).toBe('succeeded')
  owner = await webSession(server.url, ADMIN_TOKEN, 'olive')
  member = await webSession(server.url, ADMIN_TOKEN, 'milo')
  handCommit(`${server.dataDir}/gitops`, await tempDir(), {
    'tenants/shop/tenant.yaml': yaml => stringify({ ...parse(yaml), members: [{ userId: 'olive', role: 'owner' }, { userId: 'milo', role: 'member' }] }),
  }, 'tenant: shop members')
  await eventually(async () => (await fetch(`${server.url}/api/v1/tenants/shop`, { headers: { cookie: member.cookie } })).status === 200)
  ;[incident] = (await postAlerts(server.url, [{ labels: { alertname: 'HighLatency', namespace: 'shop', severity: 'warning' }, fingerprint: 'fp-web-1' }])).created as [string]
})
afterAll(async () => {
  await server?.stop()
})

it('refuses a session request without its CSRF token', async () => {
  const res = await decide('approve', { cookie: owner.cookie })
  expect(res.status).toBe(403)
  expect((await res.json()).error).toMatch(/CSRF/)
})

it('refuses a tenant member who is not its owner, saying so', async () => {
  for (const verdict of ['approve', 'reject'] as const) {
    const res = await decide(verdict, { 'cookie': member.cookie, 'x-csrf-token': member.csrf })
    expect(res.status).toBe(403)
    expect((await res.json()).error).toMatch(/owner/)
  }
})

it('lets the owner\'s session through to the decision itself', async () => {
  // No skill proposes anything for this alert, so past the access check there is nothing to decide.
  const res = await decide('reject', { 'cookie': owner.cookie, 'x-csrf-token': owner.csrf })
  expect(res.status).toBe(409)
  expect((await res.json()).error).toMatch(/no fix waiting for review/)
})
