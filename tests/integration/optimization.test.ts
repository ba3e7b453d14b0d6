import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPrometheusFake, type FakePrometheus } from '../fakes/prometheus'
import { commits, show, trailer } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { connect, type McpSession, type ToolAnswer } from '../helpers/mcp'
import { storedSecrets } from '../helpers/secrets'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

// Resource optimization and the OpenClaw deployment: sizing from a Prometheus-compatible API
// on loopback, the one-time intake page of this app, and the two operations of the resume.
let prometheus: FakePrometheus
let server: TestServer
let repo: string
let admin: McpSession, alice: McpSession, bob: McpSession
const answers: string[] = []
const GiB = 2 ** 30
const BOT_TOKEN = '7012345678:AAH-0123456789abcdefghijklmnopqrstuv'
const svc = 'tenants/shop/services/openclaw'

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
const intake = (url: string, init?: RequestInit) => fetch(url.replace('/intake/', '/api/v1/intake/'), init)
const paste = (url: string, bot_token: unknown) => intake(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bot_token }) })

beforeAll(async () => {
  prometheus = await startPrometheusFake()
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', NUXT_METRICS_URL: prometheus.url } })
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN)
  alice = await connect(server.url, addUser(server.dataDir, 'alice'), 'claude-code')
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop', quota_cpu_req: '4', quota_memory_req: '8Gi' })
  await done(admin, 'mctl_create_tenant', { tenant_name: 'tiny', quota_cpu_req: '400m' })
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
  await prometheus?.close()
})

describe('mctl_get_openclaw_sizing_recommendation', () => {
  const recommend = (args: Record<string, unknown> = {}) => call(alice, 'mctl_get_openclaw_sizing_recommendation', { team_name: 'shop', ...args })

  it('measures max and p95 over the pods of the service and applies the rule', async () => {
    // Two pods of the Deployment, one preview pod and another service's pod that must not count.
    prometheus.pods.set('shop/openclaw-7d9f8b6c5-x2x4z', { memory: Array.from({ length: 20 }, (_, i) => (1 + i * 0.01) * GiB), cpu: Array.from({ length: 20 }, (_, i) => 0.1 + i * 0.01) })
    prometheus.pods.set('shop/openclaw-7d9f8b6c5-q8w9e', { memory: [1.4 * GiB, 1.5 * GiB], cpu: [0.2, 0.3] })
    prometheus.pods.set('shop/openclaw-pa1b2c-7d9f8b6c5-zzzzz', { memory: [3 * GiB], cpu: [2] })
    prometheus.pods.set('shop/openclaw-web-7d9f8b6c5-zzzzz', { memory: [3 * GiB], cpu: [2] })
    const answer = await recommend({ lookback_hours: 48 })
    expect(answer.isError, answer.text).toBe(false)
    expect(answer.data).toEqual({
      team: 'shop', service: 'openclaw', lookback_hours: 48, source: 'prometheus',
      memory: { maxBytes: 1.5 * GiB, p95Bytes: 1.4 * GiB },
      cpu: { maxCores: 0.3, p95Cores: 0.29 },
      samples: { memory: 22, cpu: 22 },
      recommended: 'steady-medium',
      profile: { name: 'steady-medium', requests: { cpu: '350m', memory: '1Gi' }, limits: { cpu: '1500m', memory: '3Gi' }, nodeHeapMiB: 2048, nodeOptions: '--max-old-space-size=2048' },
      reason: 'memory p95 1.40 GiB ≥ 1.3 GiB (max 1.50 GiB < 2.3 GiB, CPU max 0.30 cores < 1.2)',
    })
    // The real PromQL, over the right window and a step that keeps the points bounded.
    const [memory, cpu] = prometheus.requests.slice(-2)
    expect([memory!.query.get('query'), cpu!.query.get('query')].sort()).toEqual([
      'sum by (pod) (container_memory_working_set_bytes{namespace="shop", pod=~"openclaw-[a-z0-9]+-[a-z0-9]+", container!="", container!="POD"})',
      'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop", pod=~"openclaw-[a-z0-9]+-[a-z0-9]+", container!="", container!="POD"}[5m]))',
    ])
    expect(Number(memory!.query.get('end')) - Number(memory!.query.get('start'))).toBe(48 * 3600)
    expect(memory!.query.get('step')).toBe('173s')
  })

  it.each([
    ['startup for a memory peak', { memory: [0.5 * GiB, 2.4 * GiB], cpu: [0.1, 0.1] }, 'startup', /memory max 2\.40 GiB ≥ 2\.3 GiB/],
    ['steady-small when quiet', { memory: [0.5 * GiB, 0.6 * GiB], cpu: [0.1, 0.2] }, 'steady-small', /memory p95 0\.60 GiB < 1\.3 GiB and CPU p95 0\.20 cores < 0\.7/],
  ])('recommends %s', async (_, samples, profile, reason) => {
    prometheus.pods.clear()
    prometheus.pods.set('shop/worker-5c6d7e8f9-abcde', samples)
    const answer = await recommend({ component_name: 'worker' })
    expect(answer.data).toMatchObject({ service: 'worker', recommended: profile, reason: expect.stringMatching(reason) })
  })

  it('without samples, says so and recommends startup', async () => {
    const answer = await recommend({ component_name: 'quiet' })
    expect(answer.data).toMatchObject({ source: 'prometheus', recommended: 'startup', samples: { memory: 0, cpu: 0 }, note: 'no samples for the pods of "shop/quiet" in the last 24 h' })
  })

  it.each<[Record<string, unknown>, RegExp]>([
    [{ lookback_hours: 0 }, /lookback_hours: must be from 1 to 720 hours/],
    [{ lookback_hours: 721 }, /lookback_hours: must be from 1 to 720 hours/],
    [{ component_name: 'Open Claw' }, /component_name: must be 1–31 characters/],
    [{ team_name: 'nope' }, /Tenant "nope" not found/],
  ])('refuses %j', async (args, message) => {
    const answer = await call(admin, 'mctl_get_openclaw_sizing_recommendation', { team_name: 'shop', ...args })
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
  })
})

describe('deploying OpenClaw', () => {
  let link: string

  it('checks the tenant has room for the startup profile, and only owners may start it', async () => {
    const before = commits(repo).length
    const tiny = await call(admin, 'mctl_deploy_openclaw', { team_name: 'tiny', telegram_owner_ids: [42] })
    expect(tiny.isError).toBe(true)
    expect(tiny.text).toMatch(/Tenant "tiny" cannot run OpenClaw's startup profile \(requests 500m CPU, 1Gi memory, 1 pod\) next to what it runs: Policy check failed: .*request 500m CPU \(openclaw 1 × 500m\) but the tenant quota allows 400m/)
    const member = await call(bob, 'mctl_deploy_openclaw', { team_name: 'shop', telegram_owner_ids: [42] })
    expect(member.isError).toBe(true)
    expect(member.text).toBe('Tenant "shop" not found')
    for (const [args, message] of [
      [{ telegram_owner_ids: [] }, /telegram_owner_ids: give at least one Telegram user id/],
      [{ telegram_owner_ids: [1.5] }, /telegram_owner_ids\.0: must be whole numbers/],
      [{ telegram_owner_ids: ['123'] }, /telegram_owner_ids\.0/],
      [{ telegram_owner_ids: [42], host: 'Bot!' }, /host: must be a lowercase DNS name/],
      [{ telegram_owner_ids: [42], host: 'bot.shop.example.com' }, /host: must be this service's default host shop-openclaw\.apps\.example\.com or a domain this tenant verified/],
      [{ telegram_owner_ids: [42], default_model: 'a model' }, /default_model: must be a model name/],
    ] as const) {
      const bad = await call(alice, 'mctl_deploy_openclaw', { team_name: 'shop', ...args })
      expect(bad.isError, JSON.stringify(args)).toBe(true)
      expect(bad.text).toMatch(message)
    }
    expect(commits(repo).length).toBe(before)
  })

  it('returns a one-time intake link served by this app', async () => {
    const out = await call(alice, 'mctl_deploy_openclaw', { team_name: 'shop', telegram_owner_ids: [111, 222], host: 'shop-openclaw.apps.example.com' })
    expect(out.isError, out.text).toBe(false)
    link = out.data.intake_url
    expect(link).toMatch(new RegExp(`^${server.url}/intake/[\\w-]{32}$`))
    expect(out.data).toMatchObject({ team: 'shop', service: 'openclaw', profile: { name: 'startup', nodeHeapMiB: 3072 }, next_step: expect.stringContaining('mctl_resume_openclaw_deploy') })
    expect(await (await intake(link)).json()).toMatchObject({ team: 'shop', service: 'openclaw', status: 'open' })
    const page = await fetch(link)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Telegram bot token')
  })

  it('answers 409 with a fresh link while the token is missing', async () => {
    const before = commits(repo).length
    const early = await call(alice, 'mctl_resume_openclaw_deploy', { team_name: 'shop' })
    expect(early.isError).toBe(true)
    expect(early.text).toMatch(/^The Telegram bot token has not been saved yet: the owner opens the new intake link \(intake_url/)
    const fresh = JSON.parse(early.text.split('\n')[1]!).intake_url as string
    expect(fresh).toMatch(new RegExp(`^${server.url}/intake/`))
    // The link opens the tenant's bot to whoever holds it: it is in the answer, not the audit log.
    const audit = (await call(alice, 'mctl_list_recent_operations', { tenant: 'shop', limit: 5 })).data.items
    expect(audit[0]).toMatchObject({ tool: 'mctl_resume_openclaw_deploy', status: 'rejected' })
    expect(JSON.stringify(audit)).not.toContain('/intake/')
    const rest = await fetch(`${server.url}/api/v1/openclaw/shop/openclaw/resume`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' })
    expect(rest.status).toBe(409)
    const body = await rest.json()
    expect(body.details).toMatchObject({ intake_url: expect.stringMatching(/\/intake\//) })
    // Each answer replaced the link before it.
    expect(await (await intake(link)).json()).toMatchObject({ status: 'replaced' })
    expect(await (await intake(fresh!)).json()).toMatchObject({ status: 'replaced' })
    link = body.details.intake_url
    expect(commits(repo).length).toBe(before)
  })

  it('stores the pasted bot token once, after checking its form', async () => {
    const bad = await paste(link, 'not-a-token')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ details: [{ field: 'bot_token', rule: expect.stringContaining('BotFather') }] })
    expect(storedSecrets(server.dataDir, 'mctl/shop/openclaw')).toBeUndefined()
    const saved = await paste(link, BOT_TOKEN)
    expect(saved.status).toBe(200)
    expect(await saved.json()).toMatchObject({ saved: true, team: 'shop', service: 'openclaw' })
    expect(storedSecrets(server.dataDir, 'mctl/shop/openclaw')).toEqual({ TELEGRAM_BOT_TOKEN: BOT_TOKEN })
    const again = await paste(link, BOT_TOKEN)
    expect(again.status).toBe(410)
    expect((await again.json()).error).toMatch(/This link is used/)
    expect((await paste(`${server.url}/intake/unknown-link`, BOT_TOKEN)).status).toBe(404)
  })

  it('resumes: the database, then the onboarding with the OpenClaw template — two audited operations', async () => {
    const out = await done(alice, 'mctl_resume_openclaw_deploy', { team_name: 'shop' })
    expect(out.operations).toEqual([
      { operation: 'provision-database', operation_id: expect.stringMatching(/^op_/), workflow_name: expect.stringMatching(/^provision-database-/), status: 'succeeded' },
      { operation: 'deploy-service', operation_id: out.operation_id, workflow_name: out.workflow_name, status: 'succeeded' },
    ])
    const [onboard, database] = commits(repo)
    expect(database!.subject).toBe('database: shop/openclaw shop_openclaw')
    expect(onboard!.subject).toBe('onboard: shop/openclaw ghcr.io/openclaw/openclaw:2026.2.1')
    expect([trailer(database!.body, 'Mctl-Operation'), trailer(onboard!.body, 'Mctl-Operation')]).toEqual(out.operations.map((o: { operation_id: string }) => o.operation_id))
    expect([onboard!.author, trailer(onboard!.body, 'Mctl-Client')]).toEqual(['Alice', 'claude-code'])

    const spec = parse(show(repo, 'main', `${svc}/service.yaml`))
    expect(spec).toMatchObject({
      image: { repository: 'ghcr.io/openclaw/openclaw', tag: '2026.2.1' },
      port: 18789,
      host: 'shop-openclaw.apps.example.com',
      database: true,
      secretEnv: ['TELEGRAM_BOT_TOKEN'],
      env: { TELEGRAM_OWNER_IDS: '111,222', OPENCLAW_DEFAULT_MODEL: 'anthropic/claude-sonnet-4-5', NODE_OPTIONS: '--max-old-space-size=3072' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    })
    const es = parse(show(repo, 'main', `${svc}/manifests/externalsecret.yaml`))
    expect(es.spec.data).toEqual([{ secretKey: 'TELEGRAM_BOT_TOKEN', remoteRef: { key: 'mctl/shop/openclaw', property: 'TELEGRAM_BOT_TOKEN' } }])

    // One audit entry per operation (the earlier 409s are there too, as rejected).
    const audit = (await call(alice, 'mctl_list_recent_operations', { tenant: 'shop', limit: 10 })).data.items
    expect(audit.filter((e: { tool: string }) => e.tool === 'mctl_resume_openclaw_deploy').map((e: { operation: string | null, status: string }) => `${e.operation}:${e.status}`).sort())
      .toEqual(['deploy-service:succeeded', 'null:rejected', 'null:rejected', 'provision-database:succeeded'])

    const twice = await call(alice, 'mctl_resume_openclaw_deploy', { team_name: 'shop' })
    expect(twice.isError).toBe(true)
    expect(twice.text).toMatch(/Service "shop\/openclaw" already exists: OpenClaw is deployed/)
  })

  it('applies a resource profile: requests, limits and the Node heap in one commit; again changes nothing', async () => {
    const out = await done(alice, 'mctl_apply_openclaw_resource_profile', { team_name: 'shop', profile: 'steady-small' })
    expect(out.message).toBe('Profile steady-small applied to "shop/openclaw": requests 250m/768Mi, limits 1/2560Mi, NODE_OPTIONS --max-old-space-size=1792')
    const c = head()
    expect(c.subject).toBe('profile: shop/openclaw → steady-small')
    expect(c.files.sort()).toEqual([`${svc}/manifests/deployment.yaml`, `${svc}/service.yaml`])
    const [deployment] = parseAllDocuments(show(repo, 'main', `${svc}/manifests/deployment.yaml`)).map(d => d.toJS())
    const container = deployment.spec.template.spec.containers[0]
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '2560Mi' } })
    expect(container.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=1792' })

    const again = await done(alice, 'mctl_apply_openclaw_resource_profile', { team_name: 'shop', profile: 'steady-small' })
    expect(head().sha).toBe(c.sha)
    const status = await call(alice, 'mctl_get_workflow_status', { workflow_name: again.workflow_name })
    expect(status.data.steps[0].message).toBe('Nothing to change: the repository already has this state')
    // Nothing committed, so no commit is named (the head is another operation's).
    expect(again.commit).toBeUndefined()
    expect(again.result).toMatchObject({ commit: null })

    for (const [args, message] of [
      [{ profile: 'huge' }, /profile: Invalid option: expected one of "startup"\|"steady-medium"\|"steady-small"/],
      [{ component_name: 'nope', profile: 'startup' }, /Service "shop\/nope" not found/],
    ] as const) {
      const bad = await call(alice, 'mctl_apply_openclaw_resource_profile', { team_name: 'shop', ...args })
      expect(bad.isError).toBe(true)
      expect(bad.text).toMatch(message)
    }
    expect((await call(bob, 'mctl_apply_openclaw_resource_profile', { team_name: 'shop', profile: 'startup' })).text).toBe('Tenant "shop" not found')
    expect(head().sha).toBe(c.sha)
  })

  it('lets neither the bot token nor the database password leak', async () => {
    await call(admin, 'mctl_list_recent_operations', { limit: 200 })
    const workflows = await call(admin, 'mctl_list_workflows', { limit: 100 })
    for (const w of workflows.data.items) await call(admin, 'mctl_get_workflow_status', { workflow_name: w.workflowName })
    const password = storedSecrets(server.dataDir, 'mctl/shop/openclaw/database')!.password!
    expect(password).toMatch(/^[\w-]{32}$/)
    const scan = { repo, dataDir: server.dataDir, output: server.output(), answers }
    expect(findLeaks(scan, [BOT_TOKEN, password])).toEqual([])
  })
})
