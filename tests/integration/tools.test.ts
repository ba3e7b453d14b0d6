import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, show, trailer } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

let server: TestServer
let admin: McpSession
let repo: string

beforeAll(async () => {
  server = await startServer()
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN, 'claude-code')
})
afterAll(async () => {
  await admin?.close()
  await server?.stop()
})

describe('the foundation tools over MCP', () => {
  it('lists the tools with schemas and annotations', async () => {
    const { tools } = await admin.client.listTools()
    expect(tools.map(t => t.name)).toEqual(expect.arrayContaining([
      'mctl_create_tenant', 'mctl_delete_tenant', 'mctl_get_operation', 'mctl_get_tenant', 'mctl_get_workflow_status',
      'mctl_list_operations', 'mctl_list_recent_operations', 'mctl_list_services', 'mctl_list_tenants', 'mctl_list_workflows', 'mctl_whoami',
    ]))
    for (const tool of tools) {
      expect(tool.title).toBeTruthy()
      expect(tool.outputSchema?.type).toBe('object')
      expect(tool.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: expect.any(Boolean) })
    }
  })

  it('tells who is calling', async () => {
    const me = await admin.call('mctl_whoami')
    expect(me.isError).toBe(false)
    expect(me.data).toMatchObject({ userId: 'admin', tokenType: 'bootstrap', isAdmin: true, serverUrl: `${server.url}/mcp` })
  })

  it('creates a tenant as an attributed commit', async () => {
    const created = await admin.call('mctl_create_tenant', {
      tenant_name: 'acme', display_name: 'Acme Corp', contact_email: 'ops@acme.test', quota_pods: 30, wait_seconds: 20,
    })
    expect(created.isError, created.text).toBe(false)
    expect(created.data).toMatchObject({ status: 'succeeded', workflow_name: expect.stringMatching(/^create-tenant-[0-9a-f]{8}$/) })
    expect(JSON.parse(created.text)).toEqual(created.data)

    const [head] = commits(repo)
    expect(head!.sha).toBe(created.data.commit)
    expect(head!.subject).toBe('tenant: acme created')
    expect(head!.author).toBe('Administrator')
    expect(trailer(head!.body, 'Mctl-Operation')).toBe(created.data.operation_id)
    expect(trailer(head!.body, 'Mctl-Requested-By')).toBe('admin')
    expect(trailer(head!.body, 'Mctl-Client')).toBe('claude-code')
    expect(git(repo, 'log', '-1', '--format=%cn <%ce>', 'main')).toBe('MCTL <mctl@localhost>')
    expect(head!.files.sort()).toEqual([
      'tenants/acme/manifests/appproject.yaml', 'tenants/acme/manifests/limitrange.yaml', 'tenants/acme/manifests/namespace.yaml',
      'tenants/acme/manifests/networkpolicies.yaml', 'tenants/acme/manifests/rbac.yaml', 'tenants/acme/manifests/resourcequota.yaml',
      'tenants/acme/tenant.yaml',
    ])
    expect(show(repo, 'main', 'tenants/acme/tenant.yaml')).toContain('displayName: Acme Corp')
    expect(show(repo, 'main', 'tenants/acme/manifests/resourcequota.yaml')).toContain('pods: "30"')
  })

  it('reads tenants, services and operations back', async () => {
    const tenants = await admin.call('mctl_list_tenants')
    expect(tenants.data.count).toBe(1)
    expect(tenants.data.items[0]).toMatchObject({ name: 'acme', displayName: 'Acme Corp', members: [{ userId: 'admin', role: 'owner' }], serviceCount: 0 })

    const tenant = await admin.call('mctl_get_tenant', { name: 'acme' })
    expect(tenant.data).toMatchObject({ tenant: { name: 'acme', quotas: { pods: 30 } }, services: [] })

    expect((await admin.call('mctl_list_services')).data).toEqual({ items: [], count: 0, total: 0 })

    // Compact by default over MCP (the tool's input schema has the parameters); detail: true adds them.
    const listed = await admin.call('mctl_list_operations')
    expect(listed.data.items.find((o: { name: string }) => o.name === 'create-tenant')).toEqual({ name: 'create-tenant', description: expect.any(String), riskLevel: 'medium', requiresConfirm: false, tool: 'mctl_create_tenant' })
    const ops = await admin.call('mctl_list_operations', { detail: true })
    expect(ops.text.length).toBeGreaterThan(3 * listed.text.length)
    const create = ops.data.items.find((o: { name: string }) => o.name === 'create-tenant')
    expect(create).toMatchObject({ riskLevel: 'medium', requiresConfirm: false, engine: 'local', tool: 'mctl_create_tenant' })
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'tenant_name', required: true, type: 'string' }))
    expect(ops.data.items.find((o: { name: string }) => o.name === 'delete-tenant')).toMatchObject({ riskLevel: 'high', requiresConfirm: true })

    expect((await admin.call('mctl_get_operation', { name: 'delete-tenant' })).data).toMatchObject({ name: 'delete-tenant' })
    const unknown = await admin.call('mctl_get_operation', { name: 'launch-rocket' })
    expect(unknown.isError).toBe(true)
    expect(unknown.text).toMatch(/Operation not found.*create-tenant/)
    expect(unknown.text).not.toMatch(/mctl_get_workflow_status/)
    // An operation id is one run: the answer says which tool shows it.
    const run = await admin.call('mctl_get_operation', { name: 'op_0123456789abcdef' })
    expect(run.text).toMatch(/"op_0123456789abcdef" looks like one run of an operation: mctl_get_workflow_status shows it/)

    const recent = await admin.call('mctl_list_recent_operations', { limit: 5 })
    expect(recent.data.items[0]).toMatchObject({ user: 'admin', client: 'claude-code', operation: 'create-tenant', status: 'succeeded', tenant: 'acme', riskLevel: 'medium' })
    expect(recent.data.items[0].commit).toMatch(/^[0-9a-f]{40}$/)

    const runs = await admin.call('mctl_list_workflows', { team: 'acme' })
    expect(runs.data.items).toHaveLength(1)
    const status = await admin.call('mctl_get_workflow_status', { workflow_name: runs.data.items[0].workflowName })
    expect(status.data).toMatchObject({ status: 'succeeded', operation: 'create-tenant', team: 'acme' })
    expect(status.data.steps.map((s: { name: string, status: string }) => `${s.name}:${s.status}`)).toEqual(['commit:succeeded', 'sync:succeeded'])
    expect(status.data.commit).toBe(recent.data.items[0].commit)
    expect(status.data.log.length).toBeGreaterThan(0)
  })

  it('picks up a hand-made commit', async () => {
    const work = await tempDir()
    git(work, 'clone', '-q', repo, 'clone')
    const clone = join(work, 'clone')
    git(clone, 'config', 'user.email', 'hand@example.com')
    git(clone, 'config', 'user.name', 'Hand')
    const { writeFileSync, mkdirSync } = await import('node:fs')
    mkdirSync(join(clone, 'tenants/handmade'), { recursive: true })
    writeFileSync(join(clone, 'tenants/handmade/tenant.yaml'), 'displayName: Made by hand\nquotas: {cpu: "1", memory: 1Gi, pods: 5}\n')
    mkdirSync(join(clone, 'tenants/broken'), { recursive: true })
    writeFileSync(join(clone, 'tenants/broken/tenant.yaml'), 'displayName: [unclosed\n')
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'tenant: handmade by hand')
    git(clone, 'push', '-q', 'origin', 'main')
    const found = await eventually(async () => {
      const t = await admin.call('mctl_get_tenant', { name: 'handmade' })
      return t.isError ? undefined : t
    })
    expect(found.data.tenant).toMatchObject({ displayName: 'Made by hand', quotas: { cpu: '1', memory: '1Gi', pods: 5 } })
    // The broken file is left out, not fatal.
    expect((await admin.call('mctl_get_tenant', { name: 'broken' })).text).toMatch(/not found/)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
  })

  it('deletes a tenant through plan → confirm', async () => {
    const plan = await admin.call('mctl_delete_tenant', { tenant_name: 'acme' })
    expect(plan.data).toMatchObject({ status: 'confirmation_required', plan: { tenant: 'acme', services: [] }, confirm: expect.stringMatching(/^confirm_/) })
    const before = commits(repo).length

    // A token is bound to the arguments it was issued for.
    const other = await admin.call('mctl_delete_tenant', { tenant_name: 'handmade', confirm: plan.data.confirm })
    expect(other.isError).toBe(true)
    expect(other.text).toMatch(/confirm token is invalid/)

    const done = await admin.call('mctl_delete_tenant', { tenant_name: 'acme', confirm: plan.data.confirm, wait_seconds: 20 })
    expect(done.data, done.text).toMatchObject({ status: 'succeeded' })
    const [head] = commits(repo)
    expect(commits(repo).length).toBe(before + 1)
    expect(head!.subject).toBe('tenant-delete: acme')
    expect(git(repo, 'ls-tree', '--name-only', 'main', 'tenants/')).not.toContain('tenants/acme')

    const again = await admin.call('mctl_delete_tenant', { tenant_name: 'acme', confirm: plan.data.confirm })
    expect(again.isError).toBe(true)
  })
})

describe('access rules', () => {
  let alice: McpSession, bob: McpSession, reader: McpSession
  beforeAll(async () => {
    alice = await connect(server.url, addUser(server.dataDir, 'alice'))
    bob = await connect(server.url, addUser(server.dataDir, 'bob'))
    reader = await connect(server.url, addUser(server.dataDir, 'rita', { scopes: ['read'] }))
  })
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close(), reader?.close()])
  })

  it('lets a non-admin own one tenant', async () => {
    const first = await alice.call('mctl_create_tenant', { tenant_name: 'alpha', wait_seconds: 20 })
    expect(first.data, first.text).toMatchObject({ status: 'succeeded' })
    expect(commits(repo)[0]!.author).toBe('Alice')
    const second = await alice.call('mctl_create_tenant', { tenant_name: 'alpha-two' })
    expect(second.isError).toBe(true)
    expect(second.text).toMatch(/You already own "alpha"; a non-admin may own 1 tenant/)
    const taken = await bob.call('mctl_create_tenant', { tenant_name: 'alpha' })
    expect(taken.text).toBe('Tenant name "alpha" is not available: choose another name')
  })

  it('keeps tenants to their members', async () => {
    expect((await bob.call('mctl_get_tenant', { name: 'alpha' })).text).toBe('Tenant "alpha" not found')
    expect((await bob.call('mctl_list_tenants')).text).toMatch(/platform admin/)
    expect((await bob.call('mctl_list_workflows')).data.count).toBe(0)
    expect((await alice.call('mctl_list_workflows')).data.count).toBe(1)
    const plan = await bob.call('mctl_delete_tenant', { tenant_name: 'alpha' })
    expect(plan.text).toBe('Tenant "alpha" not found')
    // Audited with what bob asked for, under no tenant: bob may list his own entries too.
    const denied = (await admin.call('mctl_list_recent_operations', {})).data.items.find((e: { user: string, tool: string }) => e.user === 'bob' && e.tool === 'mctl_delete_tenant')
    expect(denied).toMatchObject({ status: 'denied', tenant: null, parameters: { tenant_name: 'alpha' } })
  })

  it('keeps read tokens to read tools', async () => {
    expect((await reader.call('mctl_whoami')).data.scopes).toEqual(['read'])
    // Refused at the HTTP level (403 + insufficient_scope), so the SDK client throws.
    await expect(reader.call('mctl_create_tenant', { tenant_name: 'readers' })).rejects.toMatchObject({ code: 403, message: expect.stringMatching(/read scope only/) })
  })

  it('answers 401 with the resource metadata on both surfaces', async () => {
    for (const path of ['/mcp', '/api/v1/whoami']) {
      const res = await fetch(`${server.url}${path}`, {
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'authorization': 'Bearer mctl_pat_nope' },
        body: path === '/mcp' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) : undefined,
      })
      expect(res.status).toBe(401)
      const resource = path === '/mcp' ? '/mcp' : '/api/v1'
      expect(res.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="Invalid or expired token", resource_metadata="${server.url}/.well-known/oauth-protected-resource${resource}"`)
      expect(await res.json()).toEqual({ error: 'Invalid or expired token' })
    }
  })
})
