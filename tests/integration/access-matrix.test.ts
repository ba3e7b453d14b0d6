// Every registered tool × every kind of caller, over REST. Expectations come from each tool's
// access rule and kind, so a new tool is covered the day it is registered. A denial is 401
// or 403 — or, for the outsider, who may not see the tenant, the 404 of a tenant (or run, or
// incident) that does not exist; an allowed call is anything else (404 for a missing thing is
// past the access check).
import { parse, stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Access } from '../../server/auth/access'
import { type AnyTool, kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'
import { handCommit } from '../helpers/git'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { callRest, inputFor, TENANT, type ToolInputContext } from '../helpers/tool-input'
import { addUser, eventually } from '../helpers/users'

const INTAKE_TOKEN = 'alertmanager-shared-secret-0123456789'

type Caller = 'none' | 'outsider' | 'member' | 'owner' | 'admin' | 'readOnly'
const CALLERS: Caller[] = ['none', 'outsider', 'member', 'owner', 'admin', 'readOnly']
const RANK: Record<Access, number> = { authenticated: 0, member: 1, owner: 2, admin: 3 }
const ROLE: Record<Exclude<Caller, 'none' | 'readOnly'>, number> = { outsider: 0, member: 1, owner: 2, admin: 3 }

/** What the access rules of AUTH.md say this caller may do with this tool. */
function expectedAllowed(caller: Caller, tool: AnyTool): boolean {
  if (caller === 'none') return false
  // The read-only token belongs to the tenant owner.
  if (caller === 'readOnly') return kindOf(tool) === 'read' && RANK[tool.access] <= ROLE.owner
  return RANK[tool.access] <= ROLE[caller]
}

let server: TestServer
const tokens: Partial<Record<Caller, string>> = {}
const ctx: ToolInputContext = { workflow: '', incident: '' }

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN } })
  tokens.admin = ADMIN_TOKEN
  tokens.outsider = addUser(server.dataDir, 'otto')
  tokens.member = addUser(server.dataDir, 'mia')
  tokens.owner = addUser(server.dataDir, 'olga')
  tokens.readOnly = addUser(server.dataDir, 'olga', { scopes: ['read'] })

  const created = await fetch(`${server.url}/api/v1/tenants`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_name: TENANT, wait_seconds: 20 }),
  }).then(r => r.json())
  expect(created.status).toBe('succeeded')
  ctx.workflow = created.workflow_name

  // Membership lives in tenant.yaml (GITOPS.md): make olga the owner and mia a member.
  handCommit(`${server.dataDir}/gitops`, await tempDir(), {
    [`tenants/${TENANT}/tenant.yaml`]: yaml => stringify({ ...parse(yaml), members: [{ userId: 'olga', role: 'owner' }, { userId: 'mia', role: 'member' }] }),
  }, 'tenant: acme members')
  await eventually(async () => (await fetch(`${server.url}/api/v1/tenants/${TENANT}`, { headers: { authorization: `Bearer ${tokens.member}` } })).status === 200)

  const alert = { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: TENANT, severity: 'critical' }, startsAt: '2026-11-25T10:00:00Z', fingerprint: 'matrix0001' }
  const intake = await fetch(`${server.url}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ alerts: [alert] }),
  }).then(r => r.json())
  ctx.incident = intake.created[0]
  expect(ctx.incident).toMatch(/^[0-9a-f]{8,32}$/)
})
afterAll(async () => {
  await server?.stop()
})

describe.each(tools.map(t => [t.name, t] as const))('%s', (_, tool) => {
  it.each(CALLERS)('as %s', async (caller) => {
    const { status, body } = await callRest(server.url, tool, inputFor(tool, ctx), tokens[caller])
    const hidden = caller === 'outsider' && status === 404 && /^(Tenant|Workflow|Incident) "[^"]+" not found$/.test(JSON.parse(body).error)
    const denied = status === 401 || status === 403 || hidden
    expect(denied ? 'denied' : 'allowed', `${tool.name} (${tool.access}, ${kindOf(tool)}) as ${caller}: ${status} ${body.slice(0, 300)}`)
      .toBe(expectedAllowed(caller, tool) ? 'allowed' : 'denied')
    if (caller === 'none') expect(status).toBe(401)
  })
})
