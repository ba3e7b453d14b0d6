import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commits, git, show, trailer } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { storedSecrets as readSecrets } from '../helpers/secrets'
import { connect, type McpSession, type ToolAnswer } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

// Services end to end without a cluster (issue 3): the embedded secret store, git as the
// record of every change, and live fields "Unknown" with the reason.
let server: TestServer
let repo: string
let admin: McpSession, alice: McpSession, bob: McpSession
const answers: string[] = []
const SECRETS = { STRIPE_KEY: `sk_live_${randomBytes(12).toString('hex')}`, DB_PASSWORD: `pw-${randomBytes(12).toString('hex')}` }
const ROTATED = `sk_rotated_${randomBytes(12).toString('hex')}`
const LEGACY = `legacy-${randomBytes(12).toString('hex')}`
const svc = 'tenants/shop/services/api'

/** Every answer is kept for the leak scan. */
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
const yaml = (path: string) => parseAllDocuments(show(repo, 'main', path)).map(d => d.toJS())
const deploy = (args: Record<string, unknown>) => done(alice, 'mctl_deploy_service', { team_name: 'shop', component_name: 'api', ...args })

beforeAll(async () => {
  // No cluster, whatever the environment of the test run says.
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' } })
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN, 'claude-code')
  alice = await connect(server.url, addUser(server.dataDir, 'alice'), 'cursor')
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop', quota_pods: 10 })
  await done(admin, 'mctl_create_tenant', { tenant_name: 'other' })
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
})

describe('a service from onboarding to retirement', () => {
  it('onboards: spec and rendered manifests in one attributed commit', async () => {
    const out = await deploy({ action: 'onboard', image: 'ghcr.io/acme/api', image_tag: '1.0.0', health_check_path: '/ready' })
    const c = head()
    expect(out).toMatchObject({ commit: c.sha, message: 'Service "shop/api" onboarded: ghcr.io/acme/api:1.0.0', workflow_name: expect.stringMatching(/^deploy-service-[0-9a-f]{8}$/) })
    expect(c.subject).toBe('onboard: shop/api ghcr.io/acme/api:1.0.0')
    expect([c.author, c.email]).toEqual(['Alice', 'alice@example.com'])
    expect(trailer(c.body, 'Mctl-Operation')).toBe(out.operation_id)
    expect(trailer(c.body, 'Mctl-Requested-By')).toBe('alice')
    expect(trailer(c.body, 'Mctl-Client')).toBe('cursor')
    expect(c.files.sort()).toEqual(['certificates', 'deployment', 'ingress', 'service'].map(f => `${svc}/manifests/${f}.yaml`).concat(`${svc}/service.yaml`).sort())
    expect(parse(show(repo, 'main', `${svc}/service.yaml`))).toMatchObject({ image: { repository: 'ghcr.io/acme/api', tag: '1.0.0' }, port: 8080, componentType: 'web', healthCheckPath: '/ready' })
    const [d] = yaml(`${svc}/manifests/deployment.yaml`)
    expect(d.spec).toMatchObject({ replicas: 1, template: { spec: { containers: [{ image: 'ghcr.io/acme/api:1.0.0', readinessProbe: { httpGet: { path: '/ready', port: 'http' } } }] } } })
    const [ingress] = yaml(`${svc}/manifests/ingress.yaml`)
    expect(ingress.spec.rules[0].host).toBe('shop-api.apps.example.com')
    const [cert] = yaml(`${svc}/manifests/certificates.yaml`)
    expect(cert.spec).toMatchObject({ dnsNames: ['shop-api.apps.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } })

    const listed = await call(alice, 'mctl_list_services', { team: 'shop' })
    // No cluster here: health and sync are Unknown, and the note says why.
    expect(listed.data).toEqual({ count: 1, total: 1, note: 'no cluster connected', items: [{ team: 'shop', name: 'api', imageRepository: 'ghcr.io/acme/api', imageTag: '1.0.0', host: 'shop-api.apps.example.com', port: 8080, componentType: 'web', replicas: 1, autoscaling: null, hasDatabase: false, domains: [], health: 'Unknown', sync: 'Unknown' }] })
    expect((await call(alice, 'mctl_get_tenant', { name: 'shop' })).data.services.map((s: { name: string }) => s.name)).toEqual(['api'])
  })

  it('deploys new tags: only the tag changes', async () => {
    for (const [from, tag] of [['1.0.0', '1.1.0'], ['1.1.0', '1.2.0']]) {
      const out = await deploy({ action: 'deploy', image_tag: tag })
      expect(out.message).toBe(`Service "shop/api" deployed: ${from} → ${tag}`)
      expect(head().subject).toBe(`deploy: shop/api → ${tag}`)
      expect(head().files.sort()).toEqual([`${svc}/manifests/deployment.yaml`, `${svc}/service.yaml`])
    }
    expect(yaml(`${svc}/manifests/deployment.yaml`)[0].spec.template.spec.containers[0].image).toBe('ghcr.io/acme/api:1.2.0')
  })

  it('updates the config: env in git, secret values in the store, names only in git, pods rolled', async () => {
    const out = await deploy({ action: 'update-config', env_vars: { LOG_LEVEL: 'debug' }, secret_env_vars: { ...SECRETS, LEGACY_TOKEN: LEGACY } })
    expect(head().subject).toBe('config: shop/api env LOG_LEVEL; secrets DB_PASSWORD, LEGACY_TOKEN, STRIPE_KEY')
    expect(out.commit).toBe(head().sha)
    expect(head().files.sort()).toEqual(['deployment', 'externalsecret'].map(f => `${svc}/manifests/${f}.yaml`).concat(`${svc}/service.yaml`))
    const [d] = yaml(`${svc}/manifests/deployment.yaml`)
    expect(d.spec.template.metadata.annotations).toEqual({ 'mctl.dev/config-revision': '1' })
    const secretRef = (key: string) => ({ name: key, valueFrom: { secretKeyRef: { name: 'api-secrets', key } } })
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, secretRef('DB_PASSWORD'), secretRef('LEGACY_TOKEN'), secretRef('STRIPE_KEY')])
    const [es] = yaml(`${svc}/manifests/externalsecret.yaml`)
    expect(es.spec.data.map((x: { remoteRef: object }) => x.remoteRef)).toEqual(['DB_PASSWORD', 'LEGACY_TOKEN', 'STRIPE_KEY'].map(property => ({ key: 'mctl/shop/api', property })))
    expect(parse(show(repo, 'main', `${svc}/service.yaml`))).toMatchObject({ env: { LOG_LEVEL: 'debug' }, secretEnv: ['DB_PASSWORD', 'LEGACY_TOKEN', 'STRIPE_KEY'], configRevision: 1 })
    expect(storedSecrets('mctl/shop/api')).toEqual({ ...SECRETS, LEGACY_TOKEN: LEGACY })

    // Only a secret value changes: still a commit, so the pods roll and see it.
    await deploy({ action: 'update-config', secret_env_vars: { STRIPE_KEY: ROTATED } })
    expect(head().subject).toBe('config: shop/api secrets STRIPE_KEY')
    expect(yaml(`${svc}/manifests/externalsecret.yaml`)[0].metadata.annotations).toEqual({ 'mctl.dev/config-revision': '2' })
    expect(storedSecrets('mctl/shop/api')).toEqual({ DB_PASSWORD: SECRETS.DB_PASSWORD, STRIPE_KEY: ROTATED, LEGACY_TOKEN: LEGACY })

    // clear_secrets: the variables not given again leave git and, after the commit, the store.
    await deploy({ action: 'update-config', clear_secrets: true, secret_env_vars: { DB_PASSWORD: SECRETS.DB_PASSWORD, STRIPE_KEY: ROTATED } })
    expect(head().subject).toBe('config: shop/api secrets cleared, set DB_PASSWORD, STRIPE_KEY')
    expect(yaml(`${svc}/manifests/externalsecret.yaml`)[0].spec.data.map((x: { secretKey: string }) => x.secretKey)).toEqual(['DB_PASSWORD', 'STRIPE_KEY'])
    expect(storedSecrets('mctl/shop/api')).toEqual({ DB_PASSWORD: SECRETS.DB_PASSWORD, STRIPE_KEY: ROTATED })

    const audit = await call(admin, 'mctl_list_recent_operations', { tenant: 'shop', limit: 2 })
    expect(audit.data.items[0].parameters).toMatchObject({ clear_secrets: true, secret_env_vars: { DB_PASSWORD: '[redacted]', STRIPE_KEY: '[redacted]' } })
  })

  it('scales with an HPA, then to fixed replicas', async () => {
    await done(alice, 'mctl_scale_service', { team_name: 'shop', component_name: 'api', autoscaling_enabled: true, min_replicas: 2, max_replicas: 5, cpu_threshold: 70 })
    expect(head().subject).toBe('scale: shop/api → autoscaling 2–5 at 70% CPU')
    expect(head().files.sort()).toEqual(['deployment', 'hpa'].map(f => `${svc}/manifests/${f}.yaml`).concat(`${svc}/service.yaml`))
    expect(yaml(`${svc}/manifests/hpa.yaml`)[0].spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 })
    expect(yaml(`${svc}/manifests/deployment.yaml`)[0].spec.replicas).toBeUndefined()

    const fixed = await done(alice, 'mctl_scale_service', { team_name: 'shop', component_name: 'api', replicas: 3 })
    expect(fixed.message).toBe('Service "shop/api" scaled to 3 replicas')
    expect(head().subject).toBe('scale: shop/api → 3 replicas')
    expect(git(repo, 'ls-tree', '--name-only', 'main', `${svc}/manifests/`)).not.toContain('hpa.yaml')
    expect(yaml(`${svc}/manifests/deployment.yaml`)[0].spec.replicas).toBe(3)
  })

  it('shows the config and the deploy history from git', async () => {
    const config = await call(alice, 'mctl_get_service_config', { team: 'shop', service: 'api' })
    expect(config.data).toMatchObject({
      image: 'ghcr.io/acme/api:1.2.0', replicas: 3, autoscaling: null, env: { LOG_LEVEL: 'debug' }, secretEnv: ['DB_PASSWORD', 'STRIPE_KEY'],
      probes: { path: '/ready', port: 8080 }, argocdApplication: 'shop-api', configRevision: 3,
    })
    expect(config.data.history.map((h: { tag: string, operation: string }) => `${h.operation} ${h.tag}`)).toEqual(['deploy 1.2.0', 'deploy 1.1.0', 'onboard 1.0.0'])
    expect(config.data.history[0]).toMatchObject({ author: 'Alice', commit: commits(repo).find(c => c.subject === 'deploy: shop/api → 1.2.0')!.sha, operationId: expect.stringMatching(/^op_/) })
  })

  it('rolls back to the previous tag by default, to an explicit one, and a never-deployed one only with force', async () => {
    const back = await done(alice, 'mctl_rollback_service', { team_name: 'shop', component_name: 'api' })
    expect(back.message).toBe('Service "shop/api" rolled back to 1.1.0 (from 1.2.0)')
    expect(head().subject).toBe('rollback: shop/api → 1.1.0 (from 1.2.0)')
    expect(head().files.sort()).toEqual([`${svc}/manifests/deployment.yaml`, `${svc}/service.yaml`])
    // The scale and config survive a rollback: only the image changes.
    expect(yaml(`${svc}/manifests/deployment.yaml`)[0].spec).toMatchObject({ replicas: 3, template: { spec: { containers: [{ image: 'ghcr.io/acme/api:1.1.0' }] } } })

    await done(alice, 'mctl_rollback_service', { team_name: 'shop', component_name: 'api', target_tag: '1.0.0' })
    expect(head().subject).toBe('rollback: shop/api → 1.0.0 (from 1.1.0)')

    const before = commits(repo).length
    const refused = await call(alice, 'mctl_rollback_service', { team_name: 'shop', component_name: 'api', target_tag: '0.9.0' })
    expect(refused.isError).toBe(true)
    expect(refused.text).toMatch(/target_tag: "0\.9\.0" was never deployed to this service \(deployed: 1\.0\.0, 1\.1\.0, 1\.2\.0\); pass force: true/)
    expect(commits(repo).length).toBe(before)
    await done(alice, 'mctl_rollback_service', { team_name: 'shop', component_name: 'api', target_tag: '0.9.0', force: true })
    expect(head().subject).toBe('rollback: shop/api → 0.9.0 (from 1.0.0)')

    const history = (await call(alice, 'mctl_get_service_config', { team: 'shop', service: 'api' })).data.history
    expect(history.slice(0, 3).map((h: { tag: string, operation: string }) => `${h.operation} ${h.tag}`)).toEqual(['rollback 0.9.0', 'rollback 1.0.0', 'rollback 1.1.0'])
  })

  it('answers live questions without a cluster: Unknown, with the reason', async () => {
    const status = await call(alice, 'mctl_get_service_status', { team: 'shop', service: 'api' })
    expect(status.data).toMatchObject({
      service: { name: 'api', imageTag: '0.9.0' },
      argocd: { syncStatus: 'Unknown', healthStatus: 'Unknown', revision: null, message: 'no cluster connected' },
      pods: [],
      note: 'no cluster connected',
    })
    const logs = await call(alice, 'mctl_get_service_logs', { team: 'shop', service: 'api' })
    expect(logs.data).toEqual({ lines: [], count: 0, source: 'none', note: 'no cluster connected and no log store configured (NUXT_LOKI_URL)' })
    const usage = await call(alice, 'mctl_get_resource_usage', { team: 'shop' })
    expect(usage.data).toEqual({
      allocated: { cpu: '2', memory: '4Gi', pods: 10 },
      used: { cpu: 'Unknown', memory: 'Unknown' },
      percent: { cpu: null, memory: null, pods: null },
      pods: { used: null, hard: 10 },
      desired: { cpu: '300m', memory: '384Mi', pods: 3 },
      note: 'no cluster connected',
    })
    expect((await call(alice, 'mctl_get_tenant', { name: 'shop' })).data.usage).toBeUndefined()
  })
})

describe('bad input is refused, and nothing is committed or stored', () => {
  // [what, caller, tool, arguments, the error]
  it.each<[string, 'alice' | 'bob' | 'admin', string, Record<string, unknown>, RegExp]>([
    ['onboard without an image', 'alice', 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'web', image_tag: '1' }, /image: required to onboard a service/],
    ['a port out of range', 'alice', 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'web', image: 'ghcr.io/acme/web:1', port: 70000, secret_env_vars: { TOKEN: 'never-stored-value' } }, /port: must be from 1 to 65535/],
    ['an image without a registry', 'alice', 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'web', image: 'nginx:1' }, /image: must be a full image reference with its registry/],
    ['a bad variable name', 'alice', 'mctl_deploy_service', { action: 'update-config', team_name: 'shop', component_name: 'api', secret_env_vars: { 'bad-name': 'never-stored-value' } }, /secret_env_vars\.bad-name: "bad-name" is not a valid variable name/],
    ['min above max', 'alice', 'mctl_scale_service', { team_name: 'shop', component_name: 'api', autoscaling_enabled: true, min_replicas: 4, max_replicas: 2 }, /min_replicas: must not be more than max_replicas \(4 > 2\)/],
    ['replicas over the pod quota', 'alice', 'mctl_scale_service', { team_name: 'shop', component_name: 'api', replicas: 11 }, /replicas: 11 is more than the tenant pod quota \(10\)/],
    ['a service onboard that overflows the quota with the others', 'alice', 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'web', image: 'ghcr.io/acme/web:1', autoscaling_enabled: true, max_replicas: 8, secret_env_vars: { TOKEN: 'never-stored-value' } }, /Policy check failed: .*need 11 pods \(api 3, web 8\) but the tenant quota allows 10/],
    ['an unknown service', 'alice', 'mctl_scale_service', { team_name: 'shop', component_name: 'nope', replicas: 1 }, /Service "shop\/nope" not found/],
    ['onboarding an existing service', 'alice', 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:2' }, /Service "shop\/api" already exists/],
    ['a deploy before onboarding', 'alice', 'mctl_deploy_service', { action: 'deploy', team_name: 'shop', component_name: 'web', image_tag: '2' }, /Service "shop\/web" not found: onboard it first/],
    ['a host another tenant uses', 'admin', 'mctl_deploy_service', { action: 'onboard', team_name: 'other', component_name: 'web', image: 'ghcr.io/acme/web:1', host: 'shop-api.apps.example.com' }, /host: must be this service's default host other-web\.apps\.example\.com or a domain this tenant verified/],
    ['a malformed rollback tag', 'alice', 'mctl_rollback_service', { team_name: 'shop', component_name: 'api', target_tag: '../1' }, /target_tag: must be a tag/],
    ['retiring an unknown service', 'alice', 'mctl_retire_service', { team_name: 'shop', component_name: 'nope' }, /Service "shop\/nope" not found/],
    ['the config of an unknown service', 'alice', 'mctl_get_service_config', { team: 'shop', service: 'nope' }, /Service "shop\/nope" not found/],
    ['the usage of an unknown tenant', 'admin', 'mctl_get_resource_usage', { team: 'nope' }, /Tenant "nope" not found/],
    ['too many log lines', 'alice', 'mctl_get_service_logs', { team: 'shop', service: 'api', lines: 5000 }, /lines: must be from 1 to 1000/],
    ['a log window over 7 days', 'alice', 'mctl_get_service_logs', { team: 'shop', service: 'api', since: '8d' }, /since: must be a duration from 30s to 7d/],
    ['a caller outside the tenant', 'bob', 'mctl_deploy_service', { action: 'deploy', team_name: 'shop', component_name: 'api', image_tag: '3' }, /^Tenant "shop" not found$/],
  ])('%s', async (_, caller, tool, args, message) => {
    const before = commits(repo).length
    const answer = await call({ alice, bob, admin }[caller], tool, { ...args })
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
    expect(answer.text).not.toContain('never-stored-value')
    expect(commits(repo).length).toBe(before)
    expect(storedSecrets('mctl/shop/web')).toBeUndefined()
    expect(storedSecrets('mctl/other/web')).toBeUndefined()
  })
})

describe('the REST face', () => {
  const rest = (method: string, path: string, body?: unknown) => fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async r => ({ status: r.status, body: await r.json() as any }))

  it('deploys, scales, reads and retires a worker with the same rules', async () => {
    const onboard = await rest('POST', '/services', { action: 'onboard', team_name: 'shop', component_name: 'jobs', image: 'ghcr.io/acme/jobs:1.0.0', component_type: 'worker', wait_seconds: 20 })
    expect(onboard.status).toBe(202)
    expect(onboard.body).toMatchObject({ status: 'succeeded' })
    expect(head().files.sort()).toEqual(['tenants/shop/services/jobs/manifests/deployment.yaml', 'tenants/shop/services/jobs/manifests/service.yaml', 'tenants/shop/services/jobs/service.yaml'])
    expect((await rest('POST', '/services/shop/jobs/scale', { replicas: 2, wait_seconds: 20 })).status).toBe(202)
    const config = await rest('GET', '/services/shop/jobs/config')
    expect(config.body).toMatchObject({ componentType: 'worker', host: null, probes: null, replicas: 2 })
    expect((await rest('GET', '/services/shop/jobs/status')).body.note).toBe('no cluster connected')
    expect((await rest('GET', '/services/shop/jobs/logs?lines=5&since=15m')).body.source).toBe('none')
    expect((await rest('GET', '/tenants/shop/usage')).body.desired.pods).toBe(5)

    expect(await rest('GET', '/services/shop/nope/status')).toMatchObject({ status: 404, body: { error: 'Service "shop/nope" not found: onboard it first (mctl_deploy_service with action "onboard")' } })
    expect((await rest('POST', '/services', { action: 'onboard', team_name: 'shop', component_name: 'jobs', image: 'ghcr.io/acme/jobs:1' })).status).toBe(409)
    expect(await rest('GET', '/services/shop/jobs/logs?lines=0')).toMatchObject({ status: 400, body: { details: [{ field: 'lines', rule: 'must be from 1 to 1000' }] } })

    const openapi = await fetch(`${server.url}/api/v1/openapi.json`).then(r => r.json() as Promise<{ paths: Record<string, Record<string, { operationId: string }>> }>)
    expect(Object.fromEntries(Object.entries(openapi.paths).filter(([p]) => p.startsWith('/api/v1/services') || p.endsWith('/usage'))
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [op.operationId, `${m.toUpperCase()} ${p}`])))).toEqual({
      mctl_list_services: 'GET /api/v1/services',
      mctl_deploy_service: 'POST /api/v1/services',
      mctl_get_service_status: 'GET /api/v1/services/{team}/{service}/status',
      mctl_get_service_config: 'GET /api/v1/services/{team}/{service}/config',
      mctl_get_service_logs: 'GET /api/v1/services/{team}/{service}/logs',
      mctl_get_resource_usage: 'GET /api/v1/tenants/{team}/usage',
      mctl_scale_service: 'POST /api/v1/services/{team_name}/{component_name}/scale',
      mctl_rollback_service: 'POST /api/v1/services/{team_name}/{component_name}/rollback',
      mctl_retire_service: 'DELETE /api/v1/services/{team_name}/{component_name}',
      // The service-scoped routes of the other domains (issue 5).
      mctl_verify_domain: 'GET /api/v1/services/{team}/{service}/domains/verify',
      mctl_add_custom_domain: 'POST /api/v1/services/{team}/{service}/domains',
      mctl_remove_custom_domain: 'DELETE /api/v1/services/{team}/{service}/domains/{domain}',
      mctl_create_preview: 'POST /api/v1/services/{team_name}/{component_name}/previews',
      mctl_delete_preview: 'DELETE /api/v1/services/{team_name}/{component_name}/previews/{preview_id}',
      mctl_get_openclaw_sizing_recommendation: 'GET /api/v1/services/{team_name}/{component_name}/sizing',
      mctl_apply_openclaw_resource_profile: 'POST /api/v1/services/{team_name}/{component_name}/profile',
    })

    const plan = await rest('DELETE', '/services/shop/jobs')
    expect(plan).toMatchObject({ status: 200, body: { status: 'confirmation_required', plan: { service: 'shop/jobs' } } })
    const retired = await rest('DELETE', '/services/shop/jobs', { confirm: plan.body.confirm, wait_seconds: 20 })
    expect(retired).toMatchObject({ status: 202, body: { status: 'succeeded' } })
    expect(head().subject).toBe('retire: shop/jobs')
  })
})

describe('retirement and secrets', () => {
  it('retires through plan → confirm, removing the folder and the secret values', async () => {
    const plan = await call(alice, 'mctl_retire_service', { team_name: 'shop', component_name: 'api' })
    expect(plan.data).toMatchObject({
      status: 'confirmation_required',
      plan: {
        service: 'shop/api',
        hosts: ['shop-api.apps.example.com'],
        previews: [],
        database: null,
        secrets: { store: 'embedded', key: 'mctl/shop/api', names: ['DB_PASSWORD', 'STRIPE_KEY'] },
      },
      confirm: expect.stringMatching(/^confirm_/),
    })
    expect(plan.data.plan.files).toContain(`${svc}/service.yaml`)
    expect(plan.data.plan.files).toContain(`${svc}/manifests/externalsecret.yaml`)

    const out = await done(alice, 'mctl_retire_service', { team_name: 'shop', component_name: 'api', confirm: plan.data.confirm })
    expect(out.message).toBe('Service "shop/api" retired')
    expect(head().subject).toBe('retire: shop/api')
    expect(head().author).toBe('Alice')
    expect(git(repo, 'ls-tree', '-r', '--name-only', 'main', 'tenants/shop/services/')).toBe('')
    expect(storedSecrets('mctl/shop/api')).toBeUndefined()
    const status = await call(alice, 'mctl_get_workflow_status', { workflow_name: out.workflow_name })
    expect(status.data.steps.map((s: { name: string, status: string }) => `${s.name}:${s.status}`)).toEqual(['commit:succeeded', 'delete-secrets:succeeded', 'unregister-domains:succeeded', 'sync:succeeded'])
  })

  it('deletes a tenant by retiring its services the same way, secrets included', async () => {
    await done(admin, 'mctl_deploy_service', { action: 'onboard', team_name: 'other', component_name: 'billing', image: 'ghcr.io/acme/billing:1', secret_env_vars: { LEDGER_KEY: LEGACY } })
    expect(storedSecrets('mctl/other/billing')).toEqual({ LEDGER_KEY: LEGACY })
    const plan = await call(admin, 'mctl_delete_tenant', { tenant_name: 'other' })
    expect(plan.data.plan).toMatchObject({ services: ['billing'], secrets: ['mctl/other/billing (LEDGER_KEY)'] })
    await done(admin, 'mctl_delete_tenant', { tenant_name: 'other', confirm: plan.data.confirm })
    expect(commits(repo).slice(0, 2).map(c => c.subject)).toEqual(['tenant-delete: other', 'retire: other/billing (tenant deletion)'])
    expect(storedSecrets('mctl/other/billing')).toBeUndefined()
  })

  it('lets no secret value leak into git, the database, the logs or any answer', async () => {
    // The workflow views and the audit log are answers too: read them all once more.
    const workflows = await call(admin, 'mctl_list_workflows', { limit: 100 })
    for (const w of workflows.data.items) await call(admin, 'mctl_get_workflow_status', { workflow_name: w.workflowName })
    await call(admin, 'mctl_list_recent_operations', { limit: 200 })
    const scan = { repo, dataDir: server.dataDir, output: server.output(), answers }
    expect(findLeaks(scan, [...Object.values(SECRETS), ROTATED, LEGACY, 'never-stored-value'])).toEqual([])
    // The scan itself sees what is there: the variable names are in git, the answers and the audit.
    const control = findLeaks(scan, ['STRIPE_KEY'])
    expect(control).toContain('git objects contains STRIPE…')
    expect(control.some(place => /^mctl\.db(-wal)? contains/.test(place)), control.join(', ')).toBe(true)
    expect(control.some(place => place.startsWith('tool answer'))).toBe(true)
  })
})

const storedSecrets = (key: string) => readSecrets(server.dataDir, key)
