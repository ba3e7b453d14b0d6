import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTAKE_TOKEN, postAlerts } from '../helpers/agent'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

// Incidents people can say: INC-<number>, per installation, never reused; the long ids still work.
let server: TestServer
let admin: McpSession
const rest = (method: string, path: string, body?: unknown) => fetch(`${server.url}/api/v1/incidents/${path}`, {
  method,
  headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN } })
  admin = await connect(server.url, ADMIN_TOKEN)
})
afterAll(async () => {
  await admin?.close()
  await server?.stop()
})

describe('incident numbers', () => {
  let first: string, second: string

  it('numbers incidents INC-1, INC-2 as alerts open them, and shows both ids', async () => {
    ;[first] = (await postAlerts(server.url, [{ labels: { alertname: 'DiskFull', namespace: 'ops' }, fingerprint: 'fp-n1' }])).created as [string]
    ;[second] = (await postAlerts(server.url, [{ labels: { alertname: 'HighLatency', namespace: 'ops' }, fingerprint: 'fp-n2' }])).created as [string]
    expect((await admin.call('mctl_get_incident', { id: first })).data).toMatchObject({ id: first, number: 1, displayId: 'INC-1' })
    const listed = (await admin.call('mctl_list_incidents')).data.items
    expect(listed.map((i: { id: string, displayId: string }) => [i.displayId, i.id]).sort()).toEqual([['INC-1', first], ['INC-2', second]])
  })

  it('accepts INC-<n> in any case and the long id alike, in every incident tool', async () => {
    for (const id of ['INC-2', 'inc-2', second, second.slice(0, 8)])
      expect((await admin.call('mctl_get_incident', { id })).data, id).toMatchObject({ id: second, displayId: 'INC-2', alertname: 'HighLatency' })
    expect((await admin.call('mctl_acknowledge_incident', { id: 'INC-2' })).data).toMatchObject({ id: second, status: 'acknowledged' })
    expect((await admin.call('mctl_acknowledge_incident', { id: second })).data).toMatchObject({ displayId: 'INC-2', status: 'acknowledged' })
    expect((await admin.call('mctl_resolve_incident', { id: 'Inc-2', reason: 'fixed by hand' })).data).toMatchObject({ id: second, status: 'resolved', resolveReason: 'fixed by hand' })
    expect((await admin.call('mctl_resolve_incident', { id: second })).data).toMatchObject({ displayId: 'INC-2', status: 'resolved' })
    const acked = await admin.call('mctl_acknowledge_incident', { id: second })
    expect(acked.isError).toBe(true)
    expect(acked.text).toMatch(/Incident INC-2 is already resolved/)
    // REST, the console's way in.
    const got = await rest('GET', 'inc-1')
    expect(got.status).toBe(200)
    expect(await got.json()).toMatchObject({ id: first, number: 1, displayId: 'INC-1' })
  })

  it('names an unknown INC id in a 404, over MCP and REST', async () => {
    const missing = await admin.call('mctl_get_incident', { id: 'inc-999' })
    expect(missing.isError).toBe(true)
    expect(missing.text).toMatch(/Incident "INC-999" not found/)
    for (const [method, path] of [['GET', 'INC-999'], ['POST', 'INC-999/acknowledge'], ['POST', 'INC-999/approve'], ['POST', 'INC-999/reject']] as const) {
      const res = await rest(method, path, method === 'POST' ? {} : undefined)
      expect(res.status, path).toBe(404)
      expect((await res.json()).error, path).toBe('Incident "INC-999" not found')
    }
    const bad = await rest('GET', 'INC-x')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/id: must be INC-<number>/)
  })

  it('resolves INC-<n> in the approve and reject routes', async () => {
    // No model is configured, so nothing waits for review: the routes found the incident and say so by its INC id.
    for (const verdict of ['approve', 'reject']) {
      const res = await rest('POST', `inc-1/${verdict}`, {})
      expect(res.status, verdict).toBe(409)
      expect((await res.json()).error, verdict).toMatch(/^Incident INC-1 has no fix waiting for review/)
    }
  })

  it('never gives a number out twice: the next incident after a resolved one is INC-3', async () => {
    const [again] = (await postAlerts(server.url, [{ labels: { alertname: 'HighLatency', namespace: 'ops' }, fingerprint: 'fp-n2' }])).created
    expect(again).not.toBe(second)
    expect((await admin.call('mctl_get_incident', { id: again! })).data).toMatchObject({ number: 3, displayId: 'INC-3' })
    expect((await admin.call('mctl_get_incident', { id: 'INC-2' })).data).toMatchObject({ id: second, status: 'resolved' })
  })
})
