import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse, stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, handCommit } from '../helpers/git'
import { connect, type McpSession, type ToolAnswer } from '../helpers/mcp'
import { storedSecrets } from '../helpers/secrets'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// Issue 16: a tenant's name carries nothing from a deleted tenant to the next owner, a
// hand-edited tenant.yaml is held to the name and quota rules, and the destructive tools
// that remove services and tenants need the tenant's owner.
let server: TestServer
let repo: string
const tokens: Record<'alice' | 'bob' | 'mia', string> = { alice: '', bob: '', mia: '' }
let admin: McpSession, alice: McpSession, bob: McpSession
const BOT_TOKEN = '7012345678:AAH-0123456789abcdefghijklmnopqrstuv'

const done = async (who: McpSession, name: string, args: Record<string, unknown>) => {
  const answer = await who.call(name, { wait_seconds: 20, ...args })
  expect(answer.isError, answer.text).toBe(false)
  expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  return answer.data
}
const rest = (token: string, method: string, path: string, body?: unknown) => fetch(`${server.url}/api/v1${path}`, {
  method,
  headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
}).then(async r => ({ status: r.status, body: await r.json() as any }))
const paste = (link: string) => fetch(link.replace('/intake/', '/api/v1/intake/'), {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ bot_token: BOT_TOKEN }),
})
/** Rows of MCTL's own database, read as they are stored. */
function rows<T>(query: string, ...params: unknown[]): T[] {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try { return db.prepare(query).all(...params) as T[] }
  finally { db.close() }
}
const deployWithSecret = (who: McpSession, team: string, component: string): Promise<ToolAnswer> =>
  who.call('mctl_deploy_service', { action: 'onboard', team_name: team, component_name: component, image: 'ghcr.io/acme/api', image_tag: '1.0.0', secret_env_vars: { API_KEY: `key-of-${team}-${component}` }, wait_seconds: 20 })

beforeAll(async () => {
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } })
  repo = join(server.dataDir, 'gitops')
  for (const who of ['alice', 'bob', 'mia'] as const) tokens[who] = addUser(server.dataDir, who)
  admin = await connect(server.url, ADMIN_TOKEN)
  alice = await connect(server.url, tokens.alice)
  bob = await connect(server.url, tokens.bob)
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
})

describe('a deleted tenant\'s name hands nothing to its next owner', () => {
  const old: { workflows: string[], openLink: string } = { workflows: [], openLink: '' }

  it('alice\'s tenant "reuse" keeps secrets, an intake link and history, then is deleted', async () => {
    old.workflows.push((await done(alice, 'mctl_create_tenant', { tenant_name: 'reuse', quota_cpu_req: '4', quota_memory_req: '8Gi' })).workflow_name)
    const onboarded = await deployWithSecret(alice, 'reuse', 'api')
    expect(onboarded.data, onboarded.text).toMatchObject({ status: 'succeeded' })
    old.workflows.push(onboarded.data.workflow_name)
    // The OpenClaw bot token is saved through its intake link before the service exists...
    const first = await alice.call('mctl_deploy_openclaw', { team_name: 'reuse', telegram_owner_ids: [42] })
    expect(first.isError, first.text).toBe(false)
    expect((await paste(first.data.intake_url)).status).toBe(200)
    expect(storedSecrets(server.dataDir, 'mctl/reuse/openclaw')).toEqual({ TELEGRAM_BOT_TOKEN: BOT_TOKEN })
    // ...and a newer link is still open when the tenant goes.
    const second = await alice.call('mctl_deploy_openclaw', { team_name: 'reuse', telegram_owner_ids: [42] })
    old.openLink = second.data.intake_url

    const plan = await alice.call('mctl_delete_tenant', { tenant_name: 'reuse' })
    await done(alice, 'mctl_delete_tenant', { tenant_name: 'reuse', confirm: plan.data.confirm })
    expect(commits(repo)[0]!.subject).toBe('tenant-delete: reuse')
  })

  it('leaves no secret-store entry and no intake link of the deleted tenant', async () => {
    expect(rows<{ key: string }>(`select key from secrets where key like 'mctl/reuse/%'`)).toEqual([])
    expect(rows(`select token_hash from openclaw_intakes where tenant = 'reuse'`)).toEqual([])
  })

  it('bob, creating "reuse" again, sees none of alice\'s history', async () => {
    const created = await done(bob, 'mctl_create_tenant', { tenant_name: 'reuse', quota_cpu_req: '4', quota_memory_req: '8Gi' })

    for (const name of old.workflows) {
      const got = await rest(tokens.bob, 'GET', `/workflows/${name}`)
      expect(got, name).toMatchObject({ status: 404, body: { error: `Workflow "${name}" not found` } })
    }
    const listed = await bob.call('mctl_list_workflows', { team: 'reuse' })
    expect(listed.data.items.map((w: { workflowName: string }) => w.workflowName)).toEqual([created.workflow_name])
    const all = await bob.call('mctl_list_workflows', {})
    expect(all.data.items.map((w: { user: string }) => w.user)).toEqual(['bob'])
    const audit = await bob.call('mctl_list_recent_operations', { tenant: 'reuse' })
    expect(audit.data.items.length).toBeGreaterThan(0)
    expect(audit.data.items.every((a: { user: string }) => a.user === 'bob'), JSON.stringify(audit.data.items)).toBe(true)
    expect((await bob.call('mctl_list_recent_operations', {})).data.items.map((a: { user: string }) => a.user)).not.toContain('alice')

    // alice's open link fills nothing of bob's tenant.
    expect((await paste(old.openLink)).status).toBe(404)
    expect(rows<{ key: string }>(`select key from secrets where key like 'mctl/reuse/%'`)).toEqual([])
  })

  it('admins still see the deleted tenant\'s runs, and the new tenant sees its own', async () => {
    expect((await rest(ADMIN_TOKEN, 'GET', `/workflows/${old.workflows[0]}`)).status).toBe(200)
    const own = await bob.call('mctl_list_workflows', { team: 'reuse' })
    expect((await rest(tokens.bob, 'GET', `/workflows/${own.data.items[0].workflowName}`)).status).toBe(200)
  })
})

describe('a hand-edited tenant.yaml is held to the name and quota rules', () => {
  const huge = { cpu: '512', memory: '2Ti', pods: 5000 }

  it('serves nothing from a tenant folder with a reserved name, and refuses to deploy into it', async () => {
    handCommit(repo, await tempDir(), {
      'tenants/kube-system/tenant.yaml': () => stringify({ displayName: 'sneaky', members: [{ userId: 'alice', role: 'owner' }], quotas: huge }),
      'tenants/kube-system/services/pwn/service.yaml': () => stringify({ image: { repository: 'ghcr.io/evil/pwn', tag: '1' } }),
      'tenants/handmade/tenant.yaml': () => stringify({ displayName: 'Handmade', members: [{ userId: 'alice', role: 'owner' }], quotas: { cpu: '2', memory: '4Gi', pods: 10 } }),
    }, 'hand: kube-system and handmade')
    const names = await eventually(async () => {
      const listed = (await admin.call('mctl_list_tenants', {})).data.items.map((t: { name: string }) => t.name)
      return listed.includes('handmade') && listed
    })
    expect(names).not.toContain('kube-system')
    const services = (await admin.call('mctl_list_services', {})).data.items.map((s: { team: string, name: string }) => `${s.team}/${s.name}`)
    expect(services.filter((s: string) => s.startsWith('kube-system/'))).toEqual([])

    const before = commits(repo).length
    const denied = await deployWithSecret(admin, 'kube-system', 'web')
    expect(denied.isError, denied.text).toBe(true)
    expect(commits(repo).length).toBe(before)
    expect(storedSecrets(server.dataDir, 'mctl/kube-system/web')).toBeUndefined()
  })

  it('refuses the next MCTL write to a tenant whose quotas exceed the platform limits, naming the limit', async () => {
    handCommit(repo, await tempDir(), {
      'tenants/greedy/tenant.yaml': () => stringify({ displayName: 'Greedy', members: [{ userId: 'alice', role: 'owner' }], quotas: huge }),
    }, 'hand: greedy')
    await eventually(async () => (await rest(ADMIN_TOKEN, 'GET', '/tenants/greedy')).status === 200)

    const before = commits(repo).length
    const denied = await admin.call('mctl_deploy_service', { action: 'onboard', team_name: 'greedy', component_name: 'web', image: 'ghcr.io/acme/web', image_tag: '1', wait_seconds: 20 })
    expect(denied.isError, denied.text).toBe(true)
    expect(denied.text).toMatch(/Policy check failed/)
    expect(denied.text).toContain('tenant "greedy": quotas.cpu 512 is above the platform limit 16 (mctl.yaml quotaLimits.cpu)')
    expect(denied.text).toContain('quotas.memory 2Ti is above the platform limit 64Gi (mctl.yaml quotaLimits.memory)')
    expect(denied.text).toContain('quotas.pods 5000 is above the platform limit 200 (mctl.yaml quotaLimits.pods)')
    expect(commits(repo).length).toBe(before)

    // Brought back within the limits by hand, the tenant takes writes again.
    handCommit(repo, await tempDir(), {
      'tenants/greedy/tenant.yaml': yaml => stringify({ ...parse(yaml), quotas: { cpu: '8', memory: '16Gi', pods: 50 } }),
    }, 'hand: greedy within limits')
    await eventually(async () => (await rest(ADMIN_TOKEN, 'GET', '/tenants/greedy')).body.tenant?.quotas.memory === '16Gi')
    await done(admin, 'mctl_deploy_service', { action: 'onboard', team_name: 'greedy', component_name: 'web', image: 'ghcr.io/acme/web', image_tag: '1' })
  })
})

describe('retiring a service needs the tenant\'s owner', () => {
  it('answers a member 403 naming the owner role, and retires nothing', async () => {
    await done(bob, 'mctl_deploy_service', { action: 'onboard', team_name: 'reuse', component_name: 'web', image: 'ghcr.io/acme/web', image_tag: '1' })
    handCommit(repo, await tempDir(), {
      'tenants/reuse/tenant.yaml': yaml => stringify({ ...parse(yaml), members: [...parse(yaml).members, { userId: 'mia', role: 'member' }] }),
    }, 'hand: mia joins reuse')
    await eventually(async () => (await rest(tokens.mia, 'GET', '/tenants/reuse')).status === 200)

    const before = commits(repo).length
    const denied = await rest(tokens.mia, 'DELETE', '/services/reuse/web', {})
    expect(denied).toMatchObject({ status: 403, body: { error: 'Only an owner of tenant "reuse" (or an admin) may do this' } })
    const deleteTenant = await rest(tokens.mia, 'DELETE', '/tenants/reuse', {})
    expect(deleteTenant).toMatchObject({ status: 403, body: { error: 'Only an owner of tenant "reuse" (or an admin) may do this' } })
    expect(commits(repo).length).toBe(before)

    // The owner may.
    const plan = await rest(tokens.bob, 'DELETE', '/services/reuse/web', {})
    expect(plan.status).toBe(200)
    expect((await rest(tokens.bob, 'DELETE', '/services/reuse/web', { confirm: plan.body.confirm, wait_seconds: 20 })).body).toMatchObject({ status: 'succeeded' })
  })
})
