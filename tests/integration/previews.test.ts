import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, handCommit, show, trailer } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// Preview environments end to end without a cluster, and the reaper: its clock is the
// preview's own `expiresAt`, moved into the past by a person's commit (hand edits are
// supported), and its pace NUXT_PREVIEWS_REAP_SECONDS — no sleeps, no test hooks.
let server: TestServer
let repo: string
let admin: McpSession, alice: McpSession, bob: McpSession

const done = async (who: McpSession, name: string, args: Record<string, unknown>) => {
  const answer = await who.call(name, { wait_seconds: 20, ...args })
  expect(answer.isError, answer.text).toBe(false)
  expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  return answer.data
}
const head = () => commits(repo)[0]!
const dir = (name: string) => `tenants/shop/previews/${name}`
const create = (args: Record<string, unknown> = {}) => done(alice, 'mctl_create_preview', { team_name: 'shop', component_name: 'api', image_tag: 'pr-7', ...args })
const connectAll = async () => {
  admin = await connect(server.url, ADMIN_TOKEN)
  alice = await connect(server.url, addUser(server.dataDir, 'alice'), 'cursor')
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
}
const closeAll = () => Promise.all([admin?.close(), alice?.close(), bob?.close()])

/** Passes the reaper has completed, from /metrics (a readiness signal, not a clock). */
async function reaperPasses(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return Number(/^mctl_preview_reaper_passes_total (\d+)/m.exec(text)?.[1] ?? 0)
}
async function morePasses(n: number) {
  const start = await reaperPasses()
  await eventually(async () => (await reaperPasses()) >= start + n, 30_000)
}

/** The preview-delete operations recorded for a preview, straight from SQLite. */
function deletions(previewId: string): { id: string, status: string, requested_by: string, client: string }[] {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try {
    return db.prepare(`select id, status, requested_by, client from operations where name = 'preview-delete' and json_extract(params, '$.preview_id') = ?`).all(previewId) as never
  }
  finally { db.close() }
}

/** A person moves previews' expiry into the past with a commit of their own. */
async function expire(...names: string[]) {
  handCommit(repo, join(await tempDir(), 'clone'), Object.fromEntries(names.map(n => [`${dir(n)}/preview.yaml`, (text: string) => text.replace(/^expiresAt: .*$/m, 'expiresAt: 2000-01-01T00:00:00Z')])), `expire ${names.join(', ')} by hand`)
}

beforeAll(async () => {
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', NUXT_PREVIEWS_REAP_SECONDS: '1' } })
  repo = join(server.dataDir, 'gitops')
  await connectAll()
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop', quota_pods: 4 })
  await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0', secret_env_vars: { STRIPE_KEY: 'sk_test_preview' } })
})
afterAll(async () => {
  await closeAll()
  await server?.stop()
})

describe('a preview from creation to deletion', () => {
  let id: string

  it('creates a preview: preview.yaml and its manifests in one attributed commit', async () => {
    const before = Date.now()
    const out = await create({ ttl_hours: 2 })
    id = out.preview.id
    const name = `api-${id}`
    expect(id).toMatch(/^p[0-9a-f]{5}$/)
    expect(out).toMatchObject({
      commit: head().sha,
      workflow_name: expect.stringMatching(/^preview-deploy-[0-9a-f]{8}$/),
      preview: { name, host: `${name}.shop.preview.apps.example.com`, application: `shop-preview-api-${id}` },
    })
    const expiresAt = Date.parse(out.preview.expiresAt)
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * 3600_000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 2 * 3600_000)

    const c = head()
    expect(c.subject).toBe(`preview: shop/api ${name} → pr-7 (expires ${out.preview.expiresAt})`)
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['Alice', 'alice', 'cursor'])
    expect(c.files.sort()).toEqual([...['certificates', 'deployment', 'externalsecret', 'ingress', 'service'].map(f => `${dir(name)}/manifests/${f}.yaml`), `${dir(name)}/preview.yaml`])
    expect(parse(show(repo, 'main', `${dir(name)}/preview.yaml`))).toEqual({ service: 'api', imageTag: 'pr-7', createdBy: 'alice', expiresAt: out.preview.expiresAt })

    const [deployment] = parseAllDocuments(show(repo, 'main', `${dir(name)}/manifests/deployment.yaml`)).map(d => d.toJS())
    expect(deployment.metadata).toMatchObject({ name, namespace: 'shop', labels: { 'mctl.dev/service': 'api', 'mctl.dev/preview': id, 'app.kubernetes.io/name': name } })
    expect(deployment.spec.replicas).toBe(1)
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/api:pr-7')
    const ingress = parse(show(repo, 'main', `${dir(name)}/manifests/ingress.yaml`))
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual([`${name}.shop.preview.apps.example.com`])
    // The preview reads the service's secret values; nothing of them is in git.
    const es = parse(show(repo, 'main', `${dir(name)}/manifests/externalsecret.yaml`))
    expect(es.spec.target.name).toBe(`${name}-secrets`)
    expect(es.spec.data).toEqual([{ secretKey: 'STRIPE_KEY', remoteRef: { key: 'mctl/shop/api', property: 'STRIPE_KEY' } }])
    expect(git(repo, 'log', '-p', 'main')).not.toContain('sk_test_preview')

    const listed = await alice.call('mctl_list_previews', { team: 'shop' })
    expect(listed.data).toEqual({
      count: 1,
      items: [{ id, name, service: 'api', imageTag: 'pr-7', host: `${name}.shop.preview.apps.example.com`, createdBy: 'alice', expiresAt: out.preview.expiresAt, expired: false, application: `shop-preview-api-${id}`, sync: 'Unknown', health: 'Unknown' }],
      note: 'no cluster connected',
    })
    const rest = await fetch(`${server.url}/api/v1/tenants/shop/previews?service=api`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect((await rest.json()).items.map((p: { id: string }) => p.id)).toEqual([id])
  })

  it('deletes it through plan → confirm', async () => {
    const name = `api-${id}`
    const before = commits(repo).length
    const plan = await alice.call('mctl_delete_preview', { team_name: 'shop', component_name: 'api', preview_id: id })
    expect(commits(repo).length).toBe(before)
    expect(plan.data).toMatchObject({ status: 'confirmation_required', plan: { preview: name, folder: dir(name), host: `${name}.shop.preview.apps.example.com`, application: `shop-preview-api-${id}` } })
    expect(plan.data.plan.files).toContain(`${dir(name)}/preview.yaml`)
    const out = await done(alice, 'mctl_delete_preview', { team_name: 'shop', component_name: 'api', preview_id: id, confirm: plan.data.confirm })
    expect(out.message).toBe(`Preview "${name}" of "shop/api" deleted`)
    expect(head().subject).toBe(`preview-delete: shop/api ${name}`)
    expect(git(repo, 'ls-tree', '-r', '--name-only', 'main', 'tenants/shop/previews/')).toBe('')
    expect((await alice.call('mctl_list_previews', { team: 'shop' })).data).toEqual({ items: [], count: 0 })
    const again = await alice.call('mctl_delete_preview', { team_name: 'shop', component_name: 'api', preview_id: id })
    expect(again.isError).toBe(true)
    expect(again.text).toMatch(new RegExp(`Preview "${name}" of "shop/api" not found`))
  })
})

describe('bad input is refused, and nothing is committed', () => {
  let kept: string
  beforeAll(async () => {
    // api 1 + jobs 1 + this preview 1 of a quota of 4 pods: one more preview fits, not two.
    await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'jobs', image: 'ghcr.io/acme/jobs:1', component_type: 'worker' })
    kept = (await create({ image_tag: 'pr-8' })).preview.id
  })

  it.each<[string, 'alice' | 'bob', string, Record<string, unknown>, RegExp]>([
    ['a TTL of zero', 'alice', 'mctl_create_preview', { ttl_hours: 0 }, /ttl_hours: must be from 1 to 168 hours/],
    ['a TTL over a week', 'alice', 'mctl_create_preview', { ttl_hours: 169 }, /ttl_hours: must be from 1 to 168 hours/],
    ['a fractional TTL', 'alice', 'mctl_create_preview', { ttl_hours: 1.5 }, /ttl_hours: must be a whole number of hours/],
    ['a malformed tag', 'alice', 'mctl_create_preview', { image_tag: '../x' }, /image_tag: must be a tag/],
    ['an unknown service', 'alice', 'mctl_create_preview', { component_name: 'nope' }, /Service "shop\/nope" not found/],
    ['a caller outside the tenant', 'bob', 'mctl_create_preview', {}, /^Tenant "shop" not found$/],
    ['a bad preview id', 'alice', 'mctl_delete_preview', { preview_id: 'X!' }, /preview_id: must be a preview id/],
    ['an unknown preview', 'alice', 'mctl_delete_preview', { preview_id: 'pffffff' }, /Preview "api-pffffff" of "shop\/api" not found/],
  ])('%s', async (_, who, tool, args, message) => {
    const before = commits(repo).length
    const base = tool === 'mctl_create_preview' ? { team_name: 'shop', component_name: 'api', image_tag: 'pr-9' } : { team_name: 'shop', component_name: 'api' }
    const answer = await ({ alice, bob }[who]).call(tool, { ...base, ...args })
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
    expect(commits(repo).length).toBe(before)
  })

  it('refuses a preview that does not fit the quota next to the services and previews', async () => {
    await create({ image_tag: 'pr-10' })
    const before = commits(repo).length
    const answer = await alice.call('mctl_create_preview', { team_name: 'shop', component_name: 'api', image_tag: 'pr-11' })
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(new RegExp(`Policy check failed: .*need 5 pods \\(api 1, jobs 1, api-${kept} \\(preview\\) 1, api-p[0-9a-f]{5} \\(preview\\) 1, api-p[0-9a-f]{5} \\(preview\\) 1\\) but the tenant quota allows 4`))
    expect(commits(repo).length).toBe(before)
  })
})

describe('the reaper', () => {
  it('deletes a preview whose expiresAt has passed, through a preview-delete operation, once', async () => {
    const previews = (await alice.call('mctl_list_previews', { team: 'shop' })).data.items as { id: string, name: string }[]
    const [first] = previews
    await expire(first!.name)
    await eventually(() => !git(repo, 'ls-tree', '--name-only', 'main', 'tenants/shop/previews/').split('\n').includes(dir(first!.name)), 30_000)
    const c = commits(repo).find(c => c.subject.startsWith(`preview-delete: shop/api ${first!.name}`))!
    expect(c.subject).toBe(`preview-delete: shop/api ${first!.name} (expired 2000-01-01T00:00:00Z)`)
    expect([c.author, c.email, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['MCTL preview reaper', 'mctl@localhost', 'mctl', 'reaper'])

    await morePasses(3)
    expect(deletions(first!.id)).toEqual([expect.objectContaining({ status: 'succeeded', requested_by: 'mctl', client: 'reaper' })])
    // MCTL's commits of this preview: its creation and one deletion (the hand edit between them is the person's).
    expect(commits(repo).filter(c => c.subject.includes(first!.name)).map(c => trailer(c.body, 'Mctl-Operation') ? c.subject.split(':')[0] : 'hand edit')).toEqual(['preview-delete', 'hand edit', 'preview'])
    const audit = (await admin.call('mctl_list_recent_operations', { tenant: 'shop', limit: 50 })).data.items
    expect(audit.filter((e: { tool: string }) => e.tool === 'preview-reaper')).toEqual([
      expect.objectContaining({ user: 'mctl', client: 'reaper', operation: 'preview-delete', status: 'succeeded', message: `Preview "${first!.name}" of "shop/api" deleted` }),
    ])
  })

  it('survives a restart: what expired meanwhile is deleted, and a deletion left queued by a crash runs once', async () => {
    await create({ image_tag: 'pr-12' })
    const [crashed, missed] = (await alice.call('mctl_list_previews', { team: 'shop' })).data.items as { id: string, name: string }[]
    await closeAll()
    await server.stop()
    await expire(crashed!.name, missed!.name)
    // The process that stopped had already accepted the deletion of one of them.
    const opId = `op_${randomUUID().slice(0, 8)}`
    const db = new Database(join(server.dataDir, 'mctl.db'))
    db.prepare(`insert into operations (id, name, workflow_name, tenant, service, params, requested_by, requester_name, requester_email, client) values (?, 'preview-delete', ?, 'shop', 'api', ?, 'mctl', 'MCTL preview reaper', 'mctl@localhost', 'reaper')`)
      .run(opId, `preview-delete-${opId.slice(3)}`, JSON.stringify({ team_name: 'shop', component_name: 'api', preview_id: crashed!.id, reason: 'expired 2000-01-01T00:00:00Z' }))
    for (const [idx, name] of ['commit', 'sync'].entries()) db.prepare('insert into operation_steps (operation_id, idx, name) values (?, ?, ?)').run(opId, idx, name)
    db.close()

    await server.start()
    await connectAll()
    await eventually(() => git(repo, 'ls-tree', '-r', '--name-only', 'main', 'tenants/shop/previews/') === '', 30_000)
    await morePasses(3)
    expect(deletions(crashed!.id)).toEqual([expect.objectContaining({ id: opId, status: 'succeeded' })])
    expect(deletions(missed!.id)).toEqual([expect.objectContaining({ status: 'succeeded', requested_by: 'mctl' })])
    for (const p of [crashed!, missed!]) expect(commits(repo).filter(c => c.subject.startsWith(`preview-delete: shop/api ${p.name}`))).toHaveLength(1)
    expect((await alice.call('mctl_list_previews', { team: 'shop' })).data.count).toBe(0)
  })
})
