// No existence oracle (issue 18, item 7): a tenant the caller may not see answers exactly as
// one that does not exist — status and body over REST, the tool result over MCP, byte for byte
// once the names asked for are set aside. So do the things inside it: services, operation runs
// (by workflow name and by op_ id), incidents (by id and by INC-<number>). Otherwise any
// signed-in person could list the tenants, and through them the rest, one guess at a time.
// Every registered tool is walked, so a new tool is covered the day it is registered.
import { parse, stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tools } from '../../server/tools/registry'
import { handCommit } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { callRest, inputFor, TENANT, type ToolInputContext } from '../helpers/tool-input'
import { addUser, eventually } from '../helpers/users'

const INTAKE_TOKEN = 'alertmanager-shared-secret-0123456789'
/** Alice's tenant (carol is a member, bob is not) and a name nobody took. */
const REAL = 'ledger'
const MADE_UP = 'nowhere'
/** Fields that name a service: the real tenant has "api", the made-up one has none. */
const SERVICE_FIELDS = new Set(['service', 'component_name', 'app_name'])

let server: TestServer
const token: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' }
let alice: McpSession, bob: McpSession, carol: McpSession
let real: ToolInputContext & { operationId: string, number: number }
let madeUp: ToolInputContext & { operationId: string, number: number }

/**
 * The names asked for set aside, so that only what the answer says about them is compared;
 * and the ids and times of audit entries (mctl_list_recent_operations lists one's own calls).
 */
function neutral(text: string): string {
  const names: [string, string][] = [
    [real.workflow, '<workflow>'], [madeUp.workflow, '<workflow>'],
    [real.operationId, '<operation>'], [madeUp.operationId, '<operation>'],
    [real.incident, '<incident>'], [madeUp.incident, '<incident>'],
    [`INC-${real.number}`, '<INC>'], [`INC-${madeUp.number}`, '<INC>'],
    [REAL, '<tenant>'], [MADE_UP, '<tenant>'],
  ]
  // Longest first: "INC-1" must not eat the start of "INC-1001".
  return names.sort(([a], [b]) => b.length - a.length).reduce((t, [name, mark]) => t.replaceAll(name, mark), text)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
}

const rest = async (method: string, path: string, who: string) => {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${who}` } })
  return { status: res.status, body: await res.text() }
}

/** A tool's input aimed at `tenant`, its service "api", and the runs and incidents of `ctx`. */
function argsFor(tool: (typeof tools)[number], tenant: string, ctx: ToolInputContext) {
  const args = inputFor(tool, ctx)
  for (const [field, value] of Object.entries(args)) {
    if (value === TENANT) args[field] = tenant
    else if (SERVICE_FIELDS.has(field)) args[field] = 'api'
  }
  return args
}

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN, NUXT_RATE_LIMIT_READS_PER_MINUTE: '5000', NUXT_RATE_LIMIT_WRITES_PER_MINUTE: '5000' } })
  for (const who of ['alice', 'bob', 'carol'] as const) token[who] = addUser(server.dataDir, who)
  alice = await connect(server.url, token.alice)
  bob = await connect(server.url, token.bob)
  carol = await connect(server.url, token.carol)

  const created = await alice.call('mctl_create_tenant', { tenant_name: REAL, wait_seconds: 20 })
  expect(created.data, created.text).toMatchObject({ status: 'succeeded' })
  const onboarded = await alice.call('mctl_deploy_service', { action: 'onboard', team_name: REAL, component_name: 'api', image: 'ghcr.io/acme/api:1.0.0', wait_seconds: 20 })
  expect(onboarded.data, onboarded.text).toMatchObject({ status: 'succeeded' })
  handCommit(`${server.dataDir}/gitops`, await tempDir(), {
    [`tenants/${REAL}/tenant.yaml`]: yaml => stringify({ ...parse(yaml), members: [{ userId: 'alice', role: 'owner' }, { userId: 'carol', role: 'member' }] }),
  }, `tenant: ${REAL} members`)
  await eventually(async () => (await rest('GET', `/api/v1/tenants/${REAL}`, token.carol)).status === 200)

  const alert = { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: REAL, severity: 'critical' }, startsAt: '2026-11-25T10:00:00Z', fingerprint: 'oracle0001' }
  const intake = await fetch(`${server.url}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ alerts: [alert] }),
  }).then(r => r.json())
  const incident = (await alice.call('mctl_get_incident', { id: intake.created[0] })).data
  expect(incident).toMatchObject({ id: intake.created[0], team: REAL })

  real = { workflow: created.data.workflow_name, operationId: created.data.operation_id, incident: incident.id, number: incident.number }
  madeUp = {
    workflow: created.data.workflow_name.replace(/[0-9a-f]{8}$/, '00000000'),
    operationId: created.data.operation_id.replace(/[0-9a-f]/g, '0'),
    incident: incident.id.replace(/[0-9a-f]/g, 'f'),
    number: incident.number + 1000,
  }
  expect(real.operationId).toMatch(/^op_[0-9a-f]+$/)
  expect(madeUp.operationId).not.toBe(real.operationId)
})
afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close(), carol?.close()])
  await server?.stop()
})

// Creating a tenant under a taken name is the one refusal a name can get (below).
const walked = tools.filter(t => t.name !== 'mctl_create_tenant')

describe('a stranger asking about a tenant they may not see', () => {
  it.each(walked.map(t => [t.name, t] as const))('%s answers as for a tenant that does not exist, over REST', async (_, tool) => {
    const foreign = await callRest(server.url, tool, argsFor(tool, REAL, real), token.bob)
    const missing = await callRest(server.url, tool, argsFor(tool, MADE_UP, madeUp), token.bob)
    expect({ status: foreign.status, body: neutral(foreign.body) }).toEqual({ status: missing.status, body: neutral(missing.body) })
  })

  it.each(walked.map(t => [t.name, t] as const))('%s answers as for a tenant that does not exist, over MCP', async (_, tool) => {
    const foreign = await bob.call(tool.name, argsFor(tool, REAL, real))
    const missing = await bob.call(tool.name, argsFor(tool, MADE_UP, madeUp))
    expect({ isError: foreign.isError, text: neutral(foreign.text) }).toEqual({ isError: missing.isError, text: neutral(missing.text) })
  })

  it('gets the not-found answer itself, while the tenant, its service, run and incident are there for its people', async () => {
    expect(await rest('GET', `/api/v1/tenants/${REAL}`, token.bob)).toEqual({ status: 404, body: JSON.stringify({ error: `Tenant "${REAL}" not found` }) })
    expect((await rest('GET', `/api/v1/tenants/${REAL}`, token.alice)).status).toBe(200)
    expect((await alice.call('mctl_get_service_status', { team: REAL, service: 'api' })).isError).toBe(false)
    expect((await alice.call('mctl_get_workflow_status', { workflow_name: real.workflow })).isError).toBe(false)
    expect((await carol.call('mctl_get_incident', { id: `INC-${real.number}` })).isError).toBe(false)
    expect((await rest('GET', `/api/v1/tenants/${REAL}`, ADMIN_TOKEN)).status).toBe(200)
  })

  it('learns nothing from an operation id, an INC-<number> or the live events of a run', async () => {
    const same = async (foreign: { status: number, body: string }, missing: { status: number, body: string }) => {
      expect(foreign.status).toBe(404)
      expect({ status: foreign.status, body: neutral(foreign.body) }).toEqual({ status: missing.status, body: neutral(missing.body) })
    }
    await same(await rest('GET', `/api/v1/workflows/${real.operationId}`, token.bob), await rest('GET', `/api/v1/workflows/${madeUp.operationId}`, token.bob))
    await same(await rest('GET', `/api/v1/workflows/${real.workflow}/events`, token.bob), await rest('GET', `/api/v1/workflows/${madeUp.workflow}/events`, token.bob))
    await same(await rest('GET', `/api/v1/incidents/INC-${real.number}`, token.bob), await rest('GET', `/api/v1/incidents/INC-${madeUp.number}`, token.bob))
    for (const verdict of ['approve', 'reject']) {
      await same(await rest('POST', `/api/v1/incidents/INC-${real.number}/${verdict}`, token.bob), await rest('POST', `/api/v1/incidents/INC-${madeUp.number}/${verdict}`, token.bob))
      await same(await rest('POST', `/api/v1/incidents/${real.incident}/${verdict}`, token.bob), await rest('POST', `/api/v1/incidents/${madeUp.incident}/${verdict}`, token.bob))
    }
    // Nor from their own audit trail, which they may list: each refusal is recorded as for an unknown incident.
    const mine = (await bob.call('mctl_list_recent_operations', { limit: 200 })).data.items.filter((i: { tool: string }) => i.tool.startsWith('incident.'))
    expect(mine).toHaveLength(8)
    for (let i = 0; i < mine.length; i += 2) expect(neutral(JSON.stringify(mine[i]))).toBe(neutral(JSON.stringify(mine[i + 1])))

    const byId = [await bob.call('mctl_get_workflow_status', { workflow_name: real.operationId }), await bob.call('mctl_get_workflow_status', { workflow_name: madeUp.operationId })]
    expect(neutral(byId[0]!.text)).toBe(neutral(byId[1]!.text))
    const byNumber = [await bob.call('mctl_resolve_incident', { id: `INC-${real.number}` }), await bob.call('mctl_resolve_incident', { id: `INC-${madeUp.number}` })]
    expect(byNumber[0]).toMatchObject({ isError: true, text: `Incident "INC-${real.number}" not found` })
    expect(neutral(byNumber[0]!.text)).toBe(neutral(byNumber[1]!.text))
  })
})

describe('a member and a name', () => {
  it('tells a member without the owner role that the action needs an owner (403): they know the tenant', async () => {
    const refused = `Only an owner of tenant "${REAL}" (or an admin) may do this`
    expect(await rest('DELETE', `/api/v1/tenants/${REAL}`, token.carol)).toEqual({ status: 403, body: JSON.stringify({ error: refused }) })
    expect(await carol.call('mctl_delete_tenant', { tenant_name: REAL })).toMatchObject({ isError: true, text: refused })
    expect(await rest('POST', `/api/v1/incidents/INC-${real.number}/approve`, token.carol)).toEqual({ status: 403, body: JSON.stringify({ error: refused }) })
  })

  it('refuses a taken name without saying whose it is, and the console\'s check sees it taken', async () => {
    const refusal = `Tenant name "${REAL}" is not available: choose another name`
    const created = await fetch(`${server.url}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token.bob}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: REAL }),
    })
    expect({ status: created.status, body: await created.text() }).toEqual({ status: 409, body: JSON.stringify({ error: refusal }) })
    expect(await bob.call('mctl_create_tenant', { tenant_name: REAL })).toMatchObject({ isError: true, text: refusal })

    expect(await rest('GET', `/api/v1/tenant-names/${REAL}`, token.bob)).toEqual({ status: 200, body: JSON.stringify({ name: REAL, available: false }) })
    expect(await rest('GET', `/api/v1/tenant-names/${MADE_UP}`, token.bob)).toEqual({ status: 200, body: JSON.stringify({ name: MADE_UP, available: true }) })
    expect(await rest('GET', '/api/v1/tenant-names/Not_A_Name', token.bob)).toMatchObject({ status: 400, body: expect.stringContaining('name: ') })
    expect((await rest('GET', `/api/v1/tenant-names/${REAL}`, '')).status).toBe(401)
  })
})
