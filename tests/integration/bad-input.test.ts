import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toJsonSchema } from '../../server/utils/json-schema'
import { tools } from '../../server/tools/registry'
import { commits } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

let server: TestServer
let admin: McpSession
let commitsBefore: number

beforeAll(async () => {
  server = await startServer()
  admin = await connect(server.url, ADMIN_TOKEN)
  commitsBefore = commits(join(server.dataDir, 'gitops')).length
})
afterAll(async () => {
  await admin?.close()
  await server?.stop()
})

const wrongValue = (type: string | undefined) => (type === 'string' ? 42 : 'not-a-number')

// Registry-driven: every tool, every field gets a value of the wrong type, and every tool an
// unknown key; required fields are left out one at a time.
const generic = tools.flatMap((tool) => {
  const schema = toJsonSchema(tool.input, 'input')
  const props = Object.entries(schema.properties ?? {}) as [string, { type?: string }][]
  return [
    ...props.map(([field, p]) => [tool.name, { [field]: wrongValue(p.type) }, field] as const),
    [tool.name, { no_such_parameter: true }, 'no_such_parameter'] as const,
    ...((schema.required ?? []) as string[]).map(field => [tool.name, {}, field] as const),
  ]
})

const names = ['../x', 'a/b', 'Acme', 'bіlling' /* Cyrillic і */, '-x', 'x'.repeat(32), '', 'a b', 'a\u0000b']
const specific: (readonly [string, Record<string, unknown>, string, RegExp?])[] = [
  ...names.map(n => ['mctl_create_tenant', { tenant_name: n }, 'tenant_name', /1–31 characters/] as const),
  ...names.map(n => ['mctl_get_tenant', { name: n }, 'name', /1–31 characters/] as const),
  ...names.map(n => ['mctl_delete_tenant', { tenant_name: n }, 'tenant_name', /1–31 characters/] as const),
  ['mctl_create_tenant', { tenant_name: 'kube-x' }, 'tenant_name', /starting with "kube-" are reserved/],
  ['mctl_create_tenant', { tenant_name: 'default' }, 'tenant_name', /reserved name/],
  ['mctl_create_tenant', { tenant_name: 'ok', quota_cpu_req: 'lots' }, 'quota_cpu_req', /CPU quantity/],
  ['mctl_create_tenant', { tenant_name: 'ok', quota_memory_req: '4GB' }, 'quota_memory_req', /memory quantity/],
  ['mctl_create_tenant', { tenant_name: 'ok', quota_pods: 0 }, 'quota_pods'],
  ['mctl_create_tenant', { tenant_name: 'ok', quota_pods: 2.5 }, 'quota_pods'],
  ['mctl_create_tenant', { tenant_name: 'ok', quota_pods: 100000 }, 'quota_pods', /at most 200 \(platform limit\)/],
  ['mctl_create_tenant', { tenant_name: 'ok', contact_email: 'not-an-email' }, 'contact_email'],
  ['mctl_create_tenant', { tenant_name: 'ok', wait_seconds: 26 }, 'wait_seconds'],
  ['mctl_create_tenant', { tenant_name: 'ok', allow_internet_egress: 'yes' }, 'allow_internet_egress'],
  ['mctl_list_recent_operations', { limit: 0 }, 'limit'],
  ['mctl_list_recent_operations', { limit: 201 }, 'limit'],
  ['mctl_list_workflows', { status: 'exploded' }, 'status'],
]

describe('bad input', () => {
  it.each([...generic, ...specific])('%s %j is refused naming %s', async (tool, args, field, message) => {
    const answer = await admin.call(tool, args)
    expect(answer.isError).toBe(true)
    expect(answer.text).toContain(field)
    if (message) expect(answer.text).toMatch(message)
  })

  // The URL as sent decides the route: an encoded "?" or "#" in a path parameter is that
  // parameter's (invalid) value, never a way to another route. (A ".." segment, even encoded,
  // is resolved by the client before it sends: WHATWG URLs treat %2E%2E as "..".)
  it.each([
    ['POST', '/api/v1/tenants/%3F/repos/sync', 'team', /1–31 characters/],
    ['POST', '/api/v1/tenants/%3Frepos%23/repos', 'team', /1–31 characters/],
    ['GET', '/api/v1/tenants/%E0%A4%A', 'name', /malformed percent-encoding/],
  ])('REST %s %s is refused naming %s', async (method, path, field, message) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' })
    const body = await res.json() as { error: string }
    expect(res.status, body.error).toBe(400)
    expect(body.error).toContain(`${field}:`)
    expect(body.error).toMatch(message)
  })

  it('changed nothing', async () => {
    expect(commits(join(server.dataDir, 'gitops')).length).toBe(commitsBefore)
    expect((await admin.call('mctl_list_workflows')).data.count).toBe(0)
    expect((await admin.call('mctl_list_tenants')).data.count).toBe(0)
  })
})
