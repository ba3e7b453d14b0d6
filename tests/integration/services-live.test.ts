import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHangingServer, type Fake } from '../fakes/http'
import { application, pod, resourceQuota, startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { startLokiFake, type FakeLoki } from '../fakes/loki'
import { startVaultFake, type FakeVault } from '../fakes/vault'
import { commits } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'

// Live state through the production adapters, over real HTTP, against loopback fakes of the
// Kubernetes API (with Argo CD Applications), Loki and Vault.
let k8s: FakeKubernetes, loki: FakeLoki, vault: FakeVault, hang: Fake
let live: TestServer, down: TestServer, noLoki: TestServer
let a: McpSession, b: McpSession, c: McpSession
const answers: string[] = []
const TOKEN = `tok-${randomBytes(16).toString('hex')}`

async function call(who: McpSession, name: string, args: Record<string, unknown> = {}) {
  const answer = await who.call(name, args)
  answers.push(answer.text)
  expect(answer.isError, answer.text).toBe(false)
  return answer.data
}
async function onboard(who: McpSession, team: string, extra: Record<string, unknown> = {}) {
  expect(await call(who, 'mctl_create_tenant', { tenant_name: team, quota_pods: 10, wait_seconds: 20 })).toMatchObject({ status: 'succeeded' })
  const out = await call(who, 'mctl_deploy_service', { action: 'onboard', team_name: team, component_name: 'api', image: 'ghcr.io/acme/api:1.0.0', wait_seconds: 20, ...extra })
  expect(out).toMatchObject({ status: 'succeeded' })
  return out.commit as string
}

beforeAll(async () => {
  ;[k8s, loki, vault, hang] = await Promise.all([startKubernetesFake(), startLokiFake(), startVaultFake(), startHangingServer()])
  const dir = await tempDir()
  const none = { KUBERNETES_SERVICE_HOST: '' }
  ;[live, down, noLoki] = await Promise.all([
    startServer({ env: { ...none, KUBECONFIG: k8s.kubeconfig(dir), NUXT_LOKI_URL: loki.url, NUXT_VAULT_ADDR: vault.url, NUXT_VAULT_TOKEN: vault.token } }),
    startServer({ env: { ...none, KUBECONFIG: k8s.kubeconfig(dir, hang.url), NUXT_CLUSTER_TIMEOUT_MS: '500' } }),
    startServer({ env: { ...none, KUBECONFIG: k8s.kubeconfig(dir) } }),
  ])
  ;[a, b, c] = await Promise.all([live, down, noLoki].map(s => connect(s.url, ADMIN_TOKEN)))
})
afterAll(async () => {
  await Promise.all([a, b, c].map(s => s?.close()))
  await Promise.all([live, down, noLoki].map(s => s?.stop()))
  await Promise.all([k8s, loki, vault, hang].map(f => f?.close()))
})

describe('with a cluster, Loki and Vault', () => {
  let sha: string
  beforeAll(async () => {
    sha = await onboard(a, 'shop', { secret_env_vars: { API_TOKEN: TOKEN } })
  })

  it('keeps secret values in Vault KV v2, and names only in git', async () => {
    expect(vault.current('mctl/shop/api')).toEqual({ API_TOKEN: TOKEN })
    expect(vault.requests.some(r => r.method === 'POST' && r.path === '/v1/secret/data/mctl/shop/api')).toBe(true)
    const config = await call(a, 'mctl_get_service_config', { team: 'shop', service: 'api' })
    expect(config.secretEnv).toEqual(['API_TOKEN'])
  })

  it('reports a healthy service', async () => {
    k8s.applications.set('argocd/shop-api', application('shop-api', 'Synced', 'Healthy', sha))
    k8s.pods.set('shop', [pod('shop', 'api-7d9f8b6c5-a1z9k', 'api'), pod('shop', 'api-7d9f8b6c5-b2x4q', 'api'), pod('shop', 'web-5c4b3a291-qq8rt', 'web')])
    const status = await call(a, 'mctl_get_service_status', { team: 'shop', service: 'api' })
    expect(status.argocd).toEqual({ syncStatus: 'Synced', healthStatus: 'Healthy', revision: sha, message: null, reconciledAt: '2026-01-01T10:10:00.000Z', outOfSync: [] })
    expect(status.pods.map((p: { name: string, ready: boolean, restarts: number }) => [p.name, p.ready, p.restarts])).toEqual([['api-7d9f8b6c5-a1z9k', true, 0], ['api-7d9f8b6c5-b2x4q', true, 0]])
    expect(status.note).toBeUndefined()
    expect(k8s.requests.find(r => r.path === '/api/v1/namespaces/shop/pods')!.query.get('labelSelector')).toBe('app.kubernetes.io/name=api,mctl.dev/tenant=shop')
  })

  it('reports a degraded service with its OOMKilled pod', async () => {
    k8s.applications.set('argocd/shop-api', application('shop-api', 'Synced', 'Degraded', sha, 'Deployment "api" exceeded its progress deadline'))
    k8s.pods.set('shop', [pod('shop', 'api-7d9f8b6c5-a1z9k', 'api'), pod('shop', 'api-7d9f8b6c5-b2x4q', 'api', { ready: false, restarts: 5, waiting: 'CrashLoopBackOff', lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })])
    const status = await call(a, 'mctl_get_service_status', { team: 'shop', service: 'api' })
    expect(status.argocd).toMatchObject({ healthStatus: 'Degraded', message: 'Deployment "api" exceeded its progress deadline' })
    expect(status.pods[1]).toEqual({
      name: 'api-7d9f8b6c5-b2x4q', phase: 'Running', ready: false, restarts: 5, waitingReason: 'CrashLoopBackOff',
      lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-01-01T10:07:00.000Z' }, startedAt: '2026-01-01T10:00:00.000Z',
    })
  })

  it('reports an out-of-sync application, and a missing one with a note', async () => {
    k8s.applications.set('argocd/shop-api', application('shop-api', 'OutOfSync', 'Healthy', 'a'.repeat(40)))
    expect((await call(a, 'mctl_get_service_status', { team: 'shop', service: 'api' })).argocd).toMatchObject({ syncStatus: 'OutOfSync', revision: 'a'.repeat(40) })
    k8s.applications.delete('argocd/shop-api')
    const missing = await call(a, 'mctl_get_service_status', { team: 'shop', service: 'api' })
    expect(missing.argocd).toBeNull()
    expect(missing.note).toMatch(/Argo CD application "shop-api" not found/)
  })

  it('reads logs from Loki, newest first, only of this service', async () => {
    const t = Date.now()
    loki.streams.push(
      { labels: { namespace: 'shop', pod: 'api-7d9f8b6c5-a1z9k', container: 'api' }, entries: [[new Date(t - 30_000), 'GET /healthz 200'], [new Date(t - 10_000), 'GET /orders 500']] },
      { labels: { namespace: 'shop', pod: 'api-7d9f8b6c5-b2x4q', container: 'api' }, entries: [[new Date(t - 20_000), 'OOM soon']] },
      { labels: { namespace: 'shop', pod: 'api-gateway-6b5f4d3c2-zz9yx', container: 'gw' }, entries: [[new Date(t - 5_000), 'not this service']] },
      { labels: { namespace: 'shop', pod: 'api-7d9f8b6c5-a1z9k', container: 'api' }, entries: [[new Date(t - 3 * 3600_000), 'too old']] },
    )
    const logs = await call(a, 'mctl_get_service_logs', { team: 'shop', service: 'api', lines: 10, since: '1h' })
    expect(logs).toMatchObject({ source: 'loki', count: 3 })
    expect(logs.note).toBeUndefined()
    expect(logs.lines.map((l: { line: string }) => l.line)).toEqual(['GET /orders 500', 'OOM soon', 'GET /healthz 200'])
    expect(logs.lines[0]).toEqual({ timestamp: new Date(t - 10_000).toISOString(), line: 'GET /orders 500', labels: { namespace: 'shop', pod: 'api-7d9f8b6c5-a1z9k', container: 'api' } })
    expect((await call(a, 'mctl_get_service_logs', { team: 'shop', service: 'api', lines: 1 })).lines.map((l: { line: string }) => l.line)).toEqual(['GET /orders 500'])
  })

  it('falls back to pod logs when Loki fails, and says so', async () => {
    k8s.logs.set('shop/api-7d9f8b6c5-a1z9k', [[new Date(Date.now() - 1000), 'from the pod itself']])
    loki.down = true
    try {
      const logs = await call(a, 'mctl_get_service_logs', { team: 'shop', service: 'api' })
      expect(logs).toMatchObject({ source: 'kubernetes', lines: [{ line: 'from the pod itself' }] })
      expect(logs.note).toMatch(/querying Loki at http:\/\/127\.0\.0\.1:\d+: HTTP 503: too many unhealthy instances in the ring; showing pod logs from the Kubernetes API instead/)
    }
    finally { loki.down = false }
  })

  it('reports usage from the ResourceQuota, also in mctl_get_tenant', async () => {
    k8s.quotas.set('shop', [resourceQuota('shop', { 'requests.cpu': '2', 'requests.memory': '4Gi', 'pods': '10' }, { 'requests.cpu': '300m', 'requests.memory': '1Gi', 'pods': '3' })])
    const usage = await call(a, 'mctl_get_resource_usage', { team: 'shop' })
    expect(usage).toEqual({
      allocated: { cpu: '2', memory: '4Gi', pods: 10 },
      used: { cpu: '300m', memory: '1Gi' },
      percent: { cpu: 15, memory: 25, pods: 30 },
      pods: { used: 3, hard: 10 },
      desired: { cpu: '100m', memory: '128Mi', pods: 1 },
    })
    expect((await call(a, 'mctl_get_tenant', { name: 'shop' })).usage).toEqual(usage)
  })

  it('retires the service and removes its secret from Vault', async () => {
    const plan = await call(a, 'mctl_retire_service', { team_name: 'shop', component_name: 'api' })
    expect(plan.plan.secrets).toEqual({ store: 'vault', key: 'mctl/shop/api', names: ['API_TOKEN'] })
    expect(await call(a, 'mctl_retire_service', { team_name: 'shop', component_name: 'api', confirm: plan.confirm, wait_seconds: 20 })).toMatchObject({ status: 'succeeded' })
    expect(vault.secrets.has('mctl/shop/api')).toBe(false)
    expect(vault.requests.some(r => r.method === 'DELETE' && r.path === '/v1/secret/metadata/mctl/shop/api')).toBe(true)
    expect(commits(join(live.dataDir, 'gitops'))[0]!.subject).toBe('retire: shop/api')
  })

  it('never lets the secret value out of Vault', () => {
    expect(findLeaks({ repo: join(live.dataDir, 'gitops'), dataDir: live.dataDir, output: live.output(), answers }, [TOKEN])).toEqual([])
  })
})

describe('previews and databases with a cluster and Vault', () => {
  it('reports each preview\'s Argo CD sync and health (a missing Application is Missing)', async () => {
    await onboard(a, 'labs')
    const first = await call(a, 'mctl_create_preview', { team_name: 'labs', component_name: 'api', image_tag: 'pr-3', wait_seconds: 20 })
    const second = await call(a, 'mctl_create_preview', { team_name: 'labs', component_name: 'api', image_tag: 'pr-4', wait_seconds: 20 })
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded'])
    const app = `labs-preview-api-${first.preview.id}`
    k8s.applications.set(`argocd/${app}`, application(app, 'Synced', 'Healthy', first.commit))
    const listed = await call(a, 'mctl_list_previews', { team: 'labs', service: 'api' })
    expect(listed.items.map((p: { imageTag: string, sync: string, health: string }) => [p.imageTag, p.sync, p.health])).toEqual([['pr-3', 'Synced', 'Healthy'], ['pr-4', 'Unknown', 'Missing']])
    expect(listed.note).toBeUndefined()
  })

  it('keeps a database password in Vault KV v2 only, and removes it with the service', async () => {
    expect(await call(a, 'mctl_provision_database', { team_name: 'labs', app_name: 'api', wait_seconds: 20 })).toMatchObject({ status: 'succeeded' })
    const stored = vault.current('mctl/labs/api/database')!
    expect(Object.keys(stored)).toEqual(['password'])
    const plan = await call(a, 'mctl_retire_service', { team_name: 'labs', component_name: 'api' })
    expect(await call(a, 'mctl_retire_service', { team_name: 'labs', component_name: 'api', confirm: plan.confirm, wait_seconds: 20 })).toMatchObject({ status: 'succeeded' })
    expect(vault.secrets.has('mctl/labs/api/database')).toBe(false)
    expect(findLeaks({ repo: join(live.dataDir, 'gitops'), dataDir: live.dataDir, output: live.output(), answers }, [stored.password!])).toEqual([])
  })

  it('removes every Vault key the tenant left when it is deleted (issue 16)', async () => {
    // A key no service owns any more, e.g. a bot token saved through an intake link.
    vault.secrets.set('mctl/labs/openclaw', [{ data: { TELEGRAM_BOT_TOKEN: '7012345678:AAH-leftover-token-value-000000000' }, created_time: new Date().toISOString() }])
    vault.secrets.set('mctl/labs2/api', [{ data: { KEEP: 'other tenant' }, created_time: new Date().toISOString() }])
    const plan = await call(a, 'mctl_delete_tenant', { tenant_name: 'labs' })
    expect(await call(a, 'mctl_delete_tenant', { tenant_name: 'labs', confirm: plan.confirm, wait_seconds: 20 })).toMatchObject({ status: 'succeeded' })
    expect([...vault.secrets.keys()].filter(k => k.startsWith('mctl/labs'))).toEqual(['mctl/labs2/api'])
  })
})

describe('with a cluster that does not answer', () => {
  beforeAll(async () => {
    await onboard(b, 'shop')
  })

  it('lists previews with the reason their status is unknown', async () => {
    await call(b, 'mctl_create_preview', { team_name: 'shop', component_name: 'api', image_tag: 'pr-1', wait_seconds: 20 })
    const listed = await call(b, 'mctl_list_previews', { team: 'shop' })
    expect(listed.items).toEqual([expect.objectContaining({ imageTag: 'pr-1', sync: 'Unknown', health: 'Unknown' })])
    expect(listed.note).toMatch(/reading Argo CD application shop-preview-api-p[0-9a-f]{5} at .*: no answer within 500 ms/)
  })

  it('answers status with the reason, not a hang or a 500', async () => {
    const status = await call(b, 'mctl_get_service_status', { team: 'shop', service: 'api' })
    expect(status.argocd).toMatchObject({ syncStatus: 'Unknown', healthStatus: 'Unknown', message: expect.stringMatching(/reading Argo CD application shop-api at http:\/\/127\.0\.0\.1:\d+: no answer within 500 ms/) })
    expect(status.pods).toEqual([])
    expect(status.note).toMatch(/listing pods in shop at .*: no answer within 500 ms/)
  })

  it('answers usage, logs and the tenant with notes', async () => {
    const usage = await call(b, 'mctl_get_resource_usage', { team: 'shop' })
    expect(usage).toMatchObject({ used: { cpu: 'Unknown', memory: 'Unknown' }, percent: { cpu: null }, note: expect.stringMatching(/reading resource quotas of shop .*no answer within 500 ms/) })
    const logs = await call(b, 'mctl_get_service_logs', { team: 'shop', service: 'api' })
    expect(logs).toMatchObject({ lines: [], source: 'kubernetes', note: expect.stringMatching(/listing pods in shop .*no answer within 500 ms/) })
    expect((await call(b, 'mctl_get_tenant', { name: 'shop' })).usage.note).toMatch(/no answer within 500 ms/)
  })
})

describe('with a cluster and no Loki', () => {
  it('reads pod logs through the Kubernetes API, newest first', async () => {
    await onboard(c, 'ops')
    const t = Date.now()
    k8s.pods.set('ops', [pod('ops', 'api-6c5b4a392-k2m4n', 'api'), pod('ops', 'api-6c5b4a392-p7q8r', 'api')])
    k8s.logs.set('ops/api-6c5b4a392-k2m4n', [[new Date(t - 40_000), 'k first'], [new Date(t - 10_000), 'k last']])
    k8s.logs.set('ops/api-6c5b4a392-p7q8r', [[new Date(t - 20_000), 'p only']])
    const logs = await call(c, 'mctl_get_service_logs', { team: 'ops', service: 'api', lines: 2, since: '5m' })
    expect(logs).toMatchObject({ source: 'kubernetes', count: 2 })
    expect(logs.lines).toEqual([
      { timestamp: new Date(t - 10_000).toISOString(), line: 'k last', labels: { namespace: 'ops', pod: 'api-6c5b4a392-k2m4n' } },
      { timestamp: new Date(t - 20_000).toISOString(), line: 'p only', labels: { namespace: 'ops', pod: 'api-6c5b4a392-p7q8r' } },
    ])
    const asked = k8s.requests.filter(r => r.path.startsWith('/api/v1/namespaces/ops/pods/') && r.path.endsWith('/log'))
    expect(asked.map(r => [r.query.get('tailLines'), r.query.get('sinceSeconds'), r.query.get('timestamps')])).toEqual([['2', '300', 'true'], ['2', '300', 'true']])
  })
})
