import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

const INTAKE_TOKEN = 'alertmanager-shared-secret-0123456789'
let server: TestServer
let admin: McpSession, alice: McpSession, bob: McpSession, aliceToken: string

const alert = (status: 'firing' | 'resolved', labels: Record<string, string>, fingerprint: string) =>
  ({ status, labels, annotations: { summary: `${labels.alertname} in ${labels.namespace}` }, startsAt: '2026-11-25T10:00:00Z', fingerprint })
const post = (alerts: unknown[], token = INTAKE_TOKEN) => fetch(`${server.url}/api/v1/alerts/alertmanager`, {
  method: 'POST',
  headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ version: '4', status: 'firing', receiver: 'mctl', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts }),
})

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN } })
  admin = await connect(server.url, ADMIN_TOKEN)
  aliceToken = addUser(server.dataDir, 'alice')
  alice = await connect(server.url, aliceToken)
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  expect((await alice.call('mctl_create_tenant', { tenant_name: 'shop', wait_seconds: 20 })).data.status).toBe('succeeded')
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
})

describe('Alertmanager intake', () => {
  it('refuses callers without the shared secret and malformed payloads', async () => {
    expect((await post([], 'wrong')).status).toBe(401)
    const bad = await post([{ status: 'burning', labels: {} }])
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/alerts\.0\.status/)
  })

  it('opens, deduplicates and resolves incidents by fingerprint', async () => {
    const oom = alert('firing', { alertname: 'KubePodOOMKilled', namespace: 'shop', pod: 'api-6d8f9-x2x', severity: 'critical' }, 'fp-oom')
    const first = await (await post([oom, alert('firing', { alertname: 'HighLatency', namespace: 'shop', severity: 'warning' }, 'fp-lat')])).json()
    expect(first.created).toHaveLength(2)
    const again = await (await post([oom])).json()
    expect(again).toEqual({ created: [], updated: [first.created[0]], resolved: [] })

    const incident = (await alice.call('mctl_get_incident', { id: first.created[0].slice(0, 8) })).data
    expect(incident).toMatchObject({ id: first.created[0], alertname: 'KubePodOOMKilled', team: 'shop', type: 'oom', severity: 'critical', occurrences: 2, status: 'firing', summary: 'KubePodOOMKilled in shop' })
    expect(incident.lastSeenAt >= incident.firstSeenAt).toBe(true)
    // Compact by default over MCP: what the incident is and where the agent is; detail: true
    // adds labels, evidence and the history (and REST, the console's, answers in full).
    expect(incident).not.toHaveProperty('labels')
    expect(incident).not.toHaveProperty('history')
    const full = (await alice.call('mctl_get_incident', { id: first.created[0], detail: true })).data
    expect(full).toMatchObject({ id: incident.id, alertname: 'KubePodOOMKilled', fingerprint: 'fp-oom', labels: { alertname: 'KubePodOOMKilled', pod: 'api-6d8f9-x2x' }, history: expect.any(Array) })
    const rest = await (await fetch(`${server.url}/api/v1/incidents/${first.created[0]}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()
    expect(rest).toMatchObject({ fingerprint: 'fp-oom', history: expect.any(Array) })
    const compactRest = await (await fetch(`${server.url}/api/v1/incidents/${first.created[0]}?detail=false`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()
    expect(compactRest).not.toHaveProperty('history')

    const summary = (await alice.call('mctl_incident_summary')).data
    expect(summary).toEqual({ total: 2, byStatus: { firing: 2 }, bySeverity: { critical: 1, warning: 1 }, byType: { oom: 1, latency: 1 } })

    const resolved = await (await post([{ ...oom, status: 'resolved' }])).json()
    expect(resolved.resolved).toEqual([first.created[0]])
    expect((await alice.call('mctl_get_incident', { id: first.created[0] })).data).toMatchObject({ status: 'resolved', resolvedBy: 'alertmanager' })
    expect((await alice.call('mctl_list_incidents')).data.items.map((i: { alertname: string }) => i.alertname)).toEqual(['HighLatency'])
    expect((await alice.call('mctl_list_incidents', { status: 'all' })).data.count).toBe(2)

    // The same fingerprint firing after resolution is a new incident.
    const reopened = await (await post([oom])).json()
    expect(reopened.created).toHaveLength(1)
    expect(reopened.created[0]).not.toBe(first.created[0])
  })

  it('keeps incidents to tenant members; unmapped ones to admins', async () => {
    await post([alert('firing', { alertname: 'NodeDown', namespace: 'kube-system' }, 'fp-node')])
    expect((await bob.call('mctl_list_incidents')).data.count).toBe(0)
    expect((await bob.call('mctl_incident_summary')).data.total).toBe(0)
    const all = (await admin.call('mctl_list_incidents')).data.items
    const node = all.find((i: { alertname: string }) => i.alertname === 'NodeDown')
    expect(node).toMatchObject({ team: null, service: null })
    expect((await alice.call('mctl_get_incident', { id: node.id })).isError).toBe(true)
    const shop = all.find((i: { team: string | null }) => i.team === 'shop')
    // Another tenant's incident answers as an unknown id (no existence oracle).
    expect((await bob.call('mctl_get_incident', { id: shop.id })).text).toBe(`Incident "${shop.id}" not found`)
  })
})

describe('acknowledge and resolve', () => {
  it('records who acknowledged and resolved, idempotently', async () => {
    const [latency] = (await alice.call('mctl_list_incidents', { team: 'shop', severity: 'warning' })).data.items
    expect((await bob.call('mctl_acknowledge_incident', { id: latency.id })).isError).toBe(true)
    const acked = (await alice.call('mctl_acknowledge_incident', { id: latency.id })).data
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'alice' })
    expect((await alice.call('mctl_acknowledge_incident', { id: latency.id })).data.acknowledgedAt).toBe(acked.acknowledgedAt)
    expect((await alice.call('mctl_incident_summary')).data.byStatus).toMatchObject({ acknowledged: 1 })

    const done = (await alice.call('mctl_resolve_incident', { id: latency.id, reason: 'Cache warmed' })).data
    expect(done).toMatchObject({ status: 'resolved', resolvedBy: 'alice', resolveReason: 'Cache warmed' })
    expect((await alice.call('mctl_resolve_incident', { id: latency.id })).data.resolvedAt).toBe(done.resolvedAt)
    const audit = (await admin.call('mctl_list_recent_operations', { tenant: 'shop' })).data.items.map((e: { tool: string }) => e.tool)
    expect(audit).toEqual(expect.arrayContaining(['mctl_acknowledge_incident', 'mctl_resolve_incident']))
  })

  it('answers 409 with the matches for an ambiguous prefix', async () => {
    const db = new Database(join(server.dataDir, 'mctl.db'))
    const insert = db.prepare(`insert into incidents (id, number, fingerprint, alertname, severity, type, tenant, summary, labels, annotations, starts_at, first_seen_at, last_seen_at)
      values (?, ?, ?, 'Twin', 'info', 'other', 'shop', 'twin', '{}', '{}', '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z')`)
    insert.run('abcdef0100000000000000000000000a', 1001, 'twin-a')
    insert.run('abcdef0100000000000000000000000b', 1002, 'twin-b')
    db.close()
    const res = await fetch(`${server.url}/api/v1/incidents/abcdef01`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(409)
    const body = await res.json()
    expect(body.details.matches.map((m: { id: string }) => m.id).sort()).toEqual(['abcdef0100000000000000000000000a', 'abcdef0100000000000000000000000b'])
    expect((await admin.call('mctl_get_incident', { id: 'abcdef01' })).text).toMatch(/ambiguous/)
    expect((await admin.call('mctl_get_incident', { id: 'abcdef0100000000000000000000000b', detail: true })).data.fingerprint).toBe('twin-b')
    expect((await admin.call('mctl_get_incident', { id: 'abc' })).text).toMatch(/id: /)
  })

  it('matches a prefix only against the incidents the caller may see, and lists no others', async () => {
    const db = new Database(join(server.dataDir, 'mctl.db'))
    const insert = db.prepare(`insert into incidents (id, number, fingerprint, alertname, severity, type, tenant, summary, labels, annotations, starts_at, first_seen_at, last_seen_at)
      values (?, ?, ?, ?, 'info', 'other', ?, 'twin', '{}', '{}', '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z', '2026-11-25T00:00:00Z')`)
    insert.run('fedcba0100000000000000000000000a', 2001, 'mine', 'Mine', 'shop')
    insert.run('fedcba0100000000000000000000000b', 2002, 'theirs', 'SecretAlert', 'elsewhere')
    insert.run('0badcafe00000000000000000000000c', 2003, 'only-theirs', 'SecretAlert', 'elsewhere')
    db.close()
    // Alice sees one of the two: hers, not a conflict that names the other.
    const mine = await alice.call('mctl_get_incident', { id: 'fedcba01' })
    expect(mine.data.id).toBe('fedcba0100000000000000000000000a')
    const rest = await fetch(`${server.url}/api/v1/incidents/fedcba01`, { headers: { authorization: `Bearer ${aliceToken}` } })
    expect(await rest.text()).not.toContain('SecretAlert')
    // One she may not see answers as one that does not exist.
    const hidden = await alice.call('mctl_get_incident', { id: '0badcafe' })
    const unknown = await alice.call('mctl_get_incident', { id: '0badbeef' })
    expect(hidden.text).toBe(unknown.text.replace('0badbeef', '0badcafe'))
    // An admin sees both, and the prefix is ambiguous for them.
    expect((await admin.call('mctl_get_incident', { id: 'fedcba01' })).text).toMatch(/ambiguous/)
  })
})

describe('intake without a configured secret', () => {
  it('answers 503 naming the setting', async () => {
    const plain = await startServer()
    const res = await fetch(`${plain.url}/api/v1/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"alerts":[]}' })
    expect(res.status).toBe(503)
    expect((await res.json()).error).toMatch(/NUXT_ALERTMANAGER_TOKEN/)
    await plain.stop()
  })
})
