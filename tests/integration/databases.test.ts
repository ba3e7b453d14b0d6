import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, show, trailer } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { connect, type McpSession, type ToolAnswer } from '../helpers/mcp'
import { storedSecrets } from '../helpers/secrets'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

// Databases on the shared CloudNativePG cluster, without a cluster: what is committed, what
// the secret store holds, and that the password is nowhere else.
let server: TestServer
let repo: string
let admin: McpSession, alice: McpSession, bob: McpSession
const answers: string[] = []
const CLUSTER = 'platform/databases/shared-pg/cluster.yaml'

async function call(who: McpSession, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  const answer = await who.call(name, args)
  answers.push(answer.text, JSON.stringify(answer.data ?? null))
  return answer
}
const done = async (who: McpSession, name: string, args: Record<string, unknown>) => {
  const answer = await call(who, name, { wait_seconds: 20, ...args })
  expect(answer.isError, answer.text).toBe(false)
  expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  return answer.data
}
const head = () => commits(repo)[0]!
const roles = () => parse(show(repo, 'main', CLUSTER)).spec.managed.roles
const password = (tenant: string, app: string) => storedSecrets(server.dataDir, `mctl/${tenant}/${app}/database`)?.password

beforeAll(async () => {
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } })
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN)
  alice = await connect(server.url, addUser(server.dataDir, 'alice'), 'cursor')
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop' })
  await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0' })
  await done(admin, 'mctl_create_tenant', { tenant_name: 'a-b', quota_pods: 5 })
  await done(admin, 'mctl_create_tenant', { tenant_name: 'a', quota_pods: 5 })
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
})

describe('mctl_provision_database', () => {
  it('commits the role, the Database, both ExternalSecrets and the service switch in one commit; the password goes to the store', async () => {
    const out = await done(alice, 'mctl_provision_database', { team_name: 'shop', app_name: 'api' })
    const c = head()
    expect(out).toMatchObject({ commit: c.sha, workflow_name: expect.stringMatching(/^provision-database-[0-9a-f]{8}$/) })
    expect(out.message).toBe('Database shop_api provisioned for "shop/api": the app reads DATABASE_URL, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME from the secret "api-database"')
    expect(c.subject).toBe('database: shop/api shop_api')
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client'), trailer(c.body, 'Mctl-Operation')]).toEqual(['Alice', 'alice', 'cursor', out.operation_id])
    expect(c.files.sort()).toEqual([
      CLUSTER,
      'platform/databases/shared-pg/databases/shop-api.yaml',
      'tenants/shop/manifests/database-api.yaml',
      'tenants/shop/services/api/manifests/deployment.yaml',
      'tenants/shop/services/api/service.yaml',
    ])
    expect(roles()).toEqual([{ name: 'shop_api', ensure: 'present', login: true, passwordSecret: { name: 'shop-api-credentials' }, comment: 'mctl: shop/api' }])
    const [database, credentials] = parseAllDocuments(show(repo, 'main', 'platform/databases/shared-pg/databases/shop-api.yaml')).map(d => d.toJS())
    expect(database).toMatchObject({ kind: 'Database', metadata: { name: 'shop-api', namespace: 'database' }, spec: { name: 'shop_api', owner: 'shop_api', cluster: { name: 'shared-pg' }, ensure: 'present' } })
    expect(credentials).toMatchObject({ kind: 'ExternalSecret', metadata: { name: 'shop-api-credentials', namespace: 'database' }, spec: { data: [{ remoteRef: { key: 'mctl/shop/api/database', property: 'password' } }] } })
    const env = parse(show(repo, 'main', 'tenants/shop/manifests/database-api.yaml'))
    expect(env).toMatchObject({ kind: 'ExternalSecret', metadata: { name: 'api-database', namespace: 'shop' }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'mctl' }, target: { name: 'api-database' } } })
    expect(env.spec.target.template.data).toEqual({
      DATABASE_URL: 'postgresql://shop_api:{{ .password | urlquery }}@shared-pg-pooler-rw.database.svc:5432/shop_api?sslmode=require',
      DB_HOST: 'shared-pg-pooler-rw.database.svc',
      DB_PORT: '5432',
      DB_USER: 'shop_api',
      DB_PASSWORD: '{{ .password }}',
      DB_NAME: 'shop_api',
    })
    expect(parse(show(repo, 'main', 'tenants/shop/services/api/service.yaml')).database).toBe(true)
    const [deployment] = parseAllDocuments(show(repo, 'main', 'tenants/shop/services/api/manifests/deployment.yaml')).map(d => d.toJS())
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'api-database', optional: true } }])

    expect(password('shop', 'api')).toMatch(/^[\w-]{32}$/)
    expect((await call(alice, 'mctl_list_services', { team: 'shop' })).data.items[0].hasDatabase).toBe(true)
  })

  it('provisions for an app that is not a service yet, without touching services', async () => {
    await done(alice, 'mctl_provision_database', { team_name: 'shop', app_name: 'reports' })
    expect(head().files.sort()).toEqual([CLUSTER, 'platform/databases/shared-pg/databases/shop-reports.yaml', 'tenants/shop/manifests/database-reports.yaml'])
    expect(roles().map((r: { name: string }) => r.name)).toEqual(['shop_api', 'shop_reports'])
  })

  it('onboards with provision_database: true through the same path, in the onboarding commit', async () => {
    await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'web', image: 'ghcr.io/acme/web:1.0.0', provision_database: true })
    const c = head()
    expect(c.subject).toBe('onboard: shop/web ghcr.io/acme/web:1.0.0')
    expect(c.files).toEqual(expect.arrayContaining([CLUSTER, 'platform/databases/shared-pg/databases/shop-web.yaml', 'tenants/shop/manifests/database-web.yaml', 'tenants/shop/services/web/service.yaml']))
    expect(password('shop', 'web')).toMatch(/^[\w-]{32}$/)
    // Attaching an existing database provisions nothing again.
    const before = password('shop', 'reports')
    await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'reports', image: 'ghcr.io/acme/reports:1.0.0', component_type: 'worker', provision_database: true })
    expect(head().files.sort()).toEqual(['tenants/shop/services/reports/manifests/deployment.yaml', 'tenants/shop/services/reports/manifests/service.yaml', 'tenants/shop/services/reports/service.yaml'])
    expect(password('shop', 'reports')).toBe(before)
  })

  it.each<[string, 'alice' | 'bob' | 'admin', Record<string, unknown>, RegExp]>([
    ['an existing database', 'alice', { team_name: 'shop', app_name: 'api' }, /Database of "shop\/api" already exists \(shop_api\)/],
    ['a malformed app name', 'alice', { team_name: 'shop', app_name: 'Api_1' }, /app_name: must be 1–31 characters/],
    ['an app name over 31 characters', 'alice', { team_name: 'shop', app_name: 'a'.repeat(32) }, /app_name: must be 1–31 characters/],
    ['an unknown tenant', 'admin', { team_name: 'nope', app_name: 'x' }, /Tenant "nope" not found/],
    ['a caller outside the tenant', 'bob', { team_name: 'shop', app_name: 'x' }, /^Tenant "shop" not found$/],
    ['a wait over 25 seconds', 'alice', { team_name: 'shop', app_name: 'x', wait_seconds: 26 }, /wait_seconds/],
  ])('refuses %s, committing and storing nothing', async (_, who, args, message) => {
    const before = commits(repo).length
    const answer = await call({ alice, bob, admin }[who], 'mctl_provision_database', args)
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
    expect(commits(repo).length).toBe(before)
    expect(password('shop', 'x')).toBeUndefined()
    expect(password('nope', 'x')).toBeUndefined()
  })

  it('gives a tenant whose "<tenant>-<app>" meets another tenant\'s a database of its own, never the other\'s', async () => {
    // Tenant "a-b" app "c" and tenant "a" app "b-c" both join to "a-b-c" / a_b_c: the second
    // must get other names, or it would rewrite the first's role password and read its data.
    await done(admin, 'mctl_provision_database', { team_name: 'a-b', app_name: 'c' })
    const first = password('a-b', 'c')
    const out = await done(admin, 'mctl_provision_database', { team_name: 'a', app_name: 'b-c' })
    expect(out.message).toMatch(/^Database a_b_c_2 provisioned for "a\/b-c"/)
    expect(head().subject).toBe('database: a/b-c a_b_c_2')
    expect(head().files).toContain('platform/databases/shared-pg/databases/a-b-c-2.yaml')
    expect(head().files).not.toContain('platform/databases/shared-pg/databases/a-b-c.yaml')
    const mine = roles().filter((r: { comment: string }) => /^mctl: (a-b\/c|a\/b-c)$/.test(r.comment))
    expect(mine).toEqual([
      { name: 'a_b_c', ensure: 'present', login: true, passwordSecret: { name: 'a-b-c-credentials' }, comment: 'mctl: a-b/c' },
      { name: 'a_b_c_2', ensure: 'present', login: true, passwordSecret: { name: 'a-b-c-2-credentials' }, comment: 'mctl: a/b-c' },
    ])
    expect(password('a-b', 'c')).toBe(first)
    expect(password('a', 'b-c')).not.toBe(first)
    const env = parse(show(repo, 'main', 'tenants/a/manifests/database-b-c.yaml')).spec.target.template.data
    expect([env.DB_USER, env.DB_NAME]).toEqual(['a_b_c_2', 'a_b_c_2'])
  })

  it('keeps two concurrent provisionings whose names meet apart, whoever commits first', async () => {
    const carol = await connect(server.url, addUser(server.dataDir, 'carol'))
    const dave = await connect(server.url, addUser(server.dataDir, 'dave'))
    try {
      await done(carol, 'mctl_create_tenant', { tenant_name: 'q-a' })
      await done(dave, 'mctl_create_tenant', { tenant_name: 'q' })
      await Promise.all([
        done(carol, 'mctl_provision_database', { team_name: 'q-a', app_name: 'b1' }),
        done(dave, 'mctl_provision_database', { team_name: 'q', app_name: 'a-b1' }),
      ])
      const user = (tenant: string, app: string) => parse(show(repo, 'main', `tenants/${tenant}/manifests/database-${app}.yaml`)).spec.target.template.data.DB_USER
      expect([user('q-a', 'b1'), user('q', 'a-b1')].sort()).toEqual(['q_a_b1', 'q_a_b1_2'])
      const byRole = Object.fromEntries(roles().map((r: { name: string, comment: string, passwordSecret?: { name: string } }) => [r.name, [r.comment, r.passwordSecret?.name]]))
      expect(new Set([byRole.q_a_b1[0], byRole.q_a_b1_2[0]])).toEqual(new Set(['mctl: q-a/b1', 'mctl: q/a-b1']))
      expect(byRole.q_a_b1[1]).not.toBe(byRole.q_a_b1_2[1])
      expect(password('q-a', 'b1')).not.toBe(password('q', 'a-b1'))
      // The same join also names Argo CD Applications: the second service of that name is refused.
      await done(carol, 'mctl_deploy_service', { action: 'onboard', team_name: 'q-a', component_name: 'b1', image: 'ghcr.io/acme/b1:1.0.0', component_type: 'worker' })
      const before = commits(repo).length
      const clash = await call(dave, 'mctl_deploy_service', { action: 'onboard', team_name: 'q', component_name: 'a-b1', image: 'ghcr.io/acme/b1:1.0.0', component_type: 'worker', wait_seconds: 20 })
      expect(clash.text).toMatch(/its Argo CD Application would be named "q-a-b1", the name of another tenant's: choose another name/)
      expect(commits(repo).length).toBe(before)
    }
    finally { await Promise.all([carol.close(), dave.close()]) }
  })
})

describe('retirement removes the grants and the secrets', () => {
  it('drops the role, removes the database objects and the password when a service retires', async () => {
    const plan = await call(alice, 'mctl_retire_service', { team_name: 'shop', component_name: 'api' })
    expect(plan.data.plan.database).toEqual({ file: 'platform/databases/shared-pg/databases/shop-api.yaml', name: 'shop_api', role: 'shop_api', note: 'the database is dropped with its data and its role removed' })
    expect(plan.data.message).toMatch(/the database shop_api with its data/)
    await done(alice, 'mctl_retire_service', { team_name: 'shop', component_name: 'api', confirm: plan.data.confirm })
    const c = head()
    expect(c.subject).toBe('retire: shop/api')
    expect(c.files).toEqual(expect.arrayContaining([CLUSTER, 'platform/databases/shared-pg/databases/shop-api.yaml', 'tenants/shop/manifests/database-api.yaml']))
    expect(git(repo, 'ls-tree', '--name-only', 'main', 'platform/databases/shared-pg/databases/')).not.toContain('shop-api.yaml')
    expect(roles().find((r: { name: string }) => r.name === 'shop_api')).toEqual({ name: 'shop_api', ensure: 'absent', comment: 'mctl: shop/api (retired)' })
    expect(password('shop', 'api')).toBeUndefined()
    expect(password('shop', 'web')).toMatch(/^[\w-]{32}$/)
  })

  it('deleting the tenant removes every database of it, services or not', async () => {
    await done(alice, 'mctl_provision_database', { team_name: 'shop', app_name: 'analytics' })
    const plan = await call(alice, 'mctl_delete_tenant', { tenant_name: 'shop' })
    expect(plan.data.plan.databases).toEqual(['shop_analytics', 'shop_reports', 'shop_web'])
    await done(alice, 'mctl_delete_tenant', { tenant_name: 'shop', confirm: plan.data.confirm })
    // Only the other tenants' databases are left.
    expect(git(repo, 'ls-tree', '--name-only', 'main', 'platform/databases/shared-pg/databases/').split('\n')).toEqual(['a-b-c-2', 'a-b-c', 'q-a-b1-2', 'q-a-b1'].map(n => `platform/databases/shared-pg/databases/${n}.yaml`))
    expect(roles().filter((r: { ensure: string }) => r.ensure === 'present').map((r: { name: string }) => r.name)).toEqual(['a_b_c', 'a_b_c_2', 'q_a_b1', 'q_a_b1_2'])
    for (const app of ['analytics', 'reports', 'web']) expect(password('shop', app)).toBeUndefined()
  })

  it('lets no database password leak into git, the database, the logs or any answer', async () => {
    const workflows = await call(admin, 'mctl_list_workflows', { limit: 100 })
    for (const w of workflows.data.items) await call(admin, 'mctl_get_workflow_status', { workflow_name: w.workflowName })
    await call(admin, 'mctl_list_recent_operations', { limit: 200 })
    const secret = password('a-b', 'c')!
    expect(secret).toMatch(/^[\w-]{32}$/)
    const scan = { repo, dataDir: server.dataDir, output: server.output(), answers }
    expect(findLeaks(scan, [secret])).toEqual([])
    expect(findLeaks(scan, ['a_b_c'])).toContain('git objects contains a_b_c…')
  })
})

describe('sizing without a metrics backend', () => {
  it('says so and recommends the safe startup profile', async () => {
    const answer = await call(admin, 'mctl_get_openclaw_sizing_recommendation', { team_name: 'a' })
    expect(answer.data).toMatchObject({
      team: 'a', service: 'openclaw', source: 'none', lookback_hours: 24, recommended: 'startup',
      samples: { memory: 0, cpu: 0 }, memory: { maxBytes: null }, cpu: { maxCores: null },
      profile: { name: 'startup', requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' }, nodeHeapMiB: 3072, nodeOptions: '--max-old-space-size=3072' },
      note: 'no metrics backend configured (NUXT_METRICS_URL)',
    })
  })
})
