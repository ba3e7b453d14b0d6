import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KubernetesCluster } from '../../server/adapters/kubernetes/client'
import { KubernetesWorkflows } from '../../server/adapters/kubernetes/workflows'
import { LokiLogs } from '../../server/adapters/loki/client'
import { VaultStore } from '../../server/adapters/secrets/vault'
import { startHangingServer, type Fake } from '../fakes/http'
import { application, pod, resourceQuota, startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { startLokiFake, type FakeLoki } from '../fakes/loki'
import { startVaultFake, type FakeVault } from '../fakes/vault'

const dir = mkdtempSync(join(tmpdir(), 'mctl-adapters-'))
let k8s: FakeKubernetes, loki: FakeLoki, vault: FakeVault, hang: Fake

beforeAll(async () => {
  ;[k8s, loki, vault, hang] = await Promise.all([startKubernetesFake(), startLokiFake(), startVaultFake(), startHangingServer()])
})
afterAll(async () => {
  await Promise.all([k8s, loki, vault, hang].map(f => f?.close()))
})

function cluster(server?: string, timeoutMs = 2000) {
  const kc = new KubeConfig()
  kc.loadFromFile(k8s.kubeconfig(dir, server))
  return new KubernetesCluster(kc, { timeoutMs, argocdNamespace: 'argocd' })
}

describe('the Kubernetes adapter', () => {
  it('reads pods with readiness, restarts, waiting reason and last termination', async () => {
    k8s.pods.set('acme', [
      pod('acme', 'api-7d9f8b6c5-b2x4q', 'api', { ready: false, restarts: 4, waiting: 'CrashLoopBackOff', lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }),
      pod('acme', 'api-7d9f8b6c5-a1z9k', 'api'),
      pod('acme', 'web-5c4b3a291-qq8rt', 'web'),
    ])
    const pods = await cluster().pods('acme', 'app.kubernetes.io/name=api,mctl.dev/tenant=acme')
    expect(pods).toEqual([
      { name: 'api-7d9f8b6c5-a1z9k', phase: 'Running', ready: true, restarts: 0, waitingReason: null, lastTermination: null, startedAt: '2026-01-01T10:00:00.000Z' },
      {
        name: 'api-7d9f8b6c5-b2x4q', phase: 'Running', ready: false, restarts: 4, waitingReason: 'CrashLoopBackOff',
        lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-01-01T10:07:00.000Z' }, startedAt: '2026-01-01T10:00:00.000Z',
      },
    ])
    expect(k8s.requests.at(-1)!.query.get('labelSelector')).toBe('app.kubernetes.io/name=api,mctl.dev/tenant=acme')
  })

  it('reads an Argo CD application, and null when there is none', async () => {
    k8s.applications.set('argocd/acme-api', application('acme-api', 'OutOfSync', 'Healthy', 'abc123'))
    expect(await cluster().application('acme-api')).toEqual({ syncStatus: 'OutOfSync', healthStatus: 'Healthy', revision: 'abc123', message: null, reconciledAt: '2026-01-01T10:10:00.000Z', outOfSync: [] })
    expect(await cluster().application('acme-nope')).toBeNull()
  })

  it('names the resources Argo CD shows out of sync, and asks it to sync with a merge patch of operation.sync', async () => {
    const app = application('acme-web', 'OutOfSync', 'Healthy', 'abc123')
    k8s.applications.set('argocd/acme-web', { ...app, status: { ...app.status, resources: [{ kind: 'Deployment', name: 'web', status: 'OutOfSync' }, { kind: 'Service', name: 'web', status: 'Synced' }] } })
    expect((await cluster().application('acme-web'))!.outOfSync).toEqual(['Deployment/web'])
    await cluster().syncApplication('acme-web')
    expect(k8s.applicationPatches.at(-1)).toEqual({ namespace: 'argocd', name: 'acme-web', patch: { operation: { initiatedBy: { username: 'mctl' }, sync: { syncStrategy: { hook: {} } } } } })
    expect(k8s.requests.at(-1)!.headers['content-type']).toMatch(/^application\/merge-patch\+json/)
    await expect(cluster().syncApplication('acme-nope')).rejects.toThrow(/asking Argo CD to sync application acme-nope: HTTP 404/)
  })

  it('reads the Warning events of a namespace, newest first', async () => {
    const event = (name: string, type: string, at: string, message: string) => ({
      kind: 'Event', type, reason: 'FailedCreate', count: 2, message, lastTimestamp: at,
      metadata: { name: `${name}.1`, namespace: 'acme' }, involvedObject: { kind: 'ReplicaSet', name, namespace: 'acme' },
    })
    k8s.events.set('acme', [
      event('api-1', 'Warning', '2026-01-01T10:00:00Z', 'exceeded quota: tenant-quota, older'),
      event('api-2', 'Normal', '2026-01-01T10:02:00Z', 'Created pod'),
      event('api-3', 'Warning', '2026-01-01T10:01:00Z', 'exceeded quota: tenant-quota, newer'),
    ])
    expect(await cluster().events('acme')).toEqual([
      { object: 'ReplicaSet/api-3', reason: 'FailedCreate', message: 'exceeded quota: tenant-quota, newer', count: 2, lastTime: '2026-01-01T10:01:00.000Z' },
      { object: 'ReplicaSet/api-1', reason: 'FailedCreate', message: 'exceeded quota: tenant-quota, older', count: 2, lastTime: '2026-01-01T10:00:00.000Z' },
    ])
    expect(k8s.requests.at(-1)!.query.get('fieldSelector')).toBe('type=Warning')
  })

  it('reads resource quotas and pod logs with timestamps', async () => {
    k8s.quotas.set('acme', [resourceQuota('acme', { 'requests.cpu': '2', 'requests.memory': '4Gi', 'pods': '20' }, { 'requests.cpu': '500m', 'requests.memory': '1Gi', 'pods': '3' })])
    expect(await cluster().quotas('acme')).toEqual([{ name: 'tenant-quota', hard: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'pods': '20' }, used: { 'requests.cpu': '500m', 'requests.memory': '1Gi', 'pods': '3' } }])
    const now = Date.now()
    k8s.logs.set('acme/api-7d9f8b6c5-a1z9k', [[new Date(now - 2000), 'first line'], [new Date(now - 1000), 'second line']])
    const lines = await cluster().podLogs({ namespace: 'acme', pod: 'api-7d9f8b6c5-a1z9k', tailLines: 10, sinceSeconds: 60 })
    expect(lines.map(l => l.line)).toEqual(['first line', 'second line'])
    expect(lines[1]!.timestamp).toBe(new Date(now - 1000).toISOString())
  })

  it.each([
    ['a wrong token', (c: string) => c, /listing pods in acme: HTTP 401/],
    ['a refused connection', () => 'http://127.0.0.1:1', /listing pods in acme at http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/],
  ])('says what failed with %s', async (_, server, message) => {
    const kc = new KubeConfig()
    kc.loadFromFile(k8s.kubeconfig(dir, server(k8s.url)))
    if (_ === 'a wrong token') kc.users[0] = { ...kc.users[0]!, token: 'wrong' }
    await expect(new KubernetesCluster(kc, { timeoutMs: 2000, argocdNamespace: 'argocd' }).pods('acme', '')).rejects.toThrow(message)
  })

  it('gives up on a cluster that never answers', async () => {
    await expect(cluster(hang.url, 300).pods('acme', '')).rejects.toThrow(/no answer within 300 ms/)
  })
})


describe('the Argo Workflows adapter', () => {
  const workflows = (token?: string) => {
    const path = k8s.kubeconfig(dir)
    if (token) writeFileSync(path, readFileSync(path, 'utf8').replace(k8s.token, token))
    const kc = new KubeConfig()
    kc.loadFromFile(path)
    return new KubernetesWorkflows(kc, 'mctl', 2000)
  }
  const manifest = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, labels: { 'mctl.dev/operation': 'op_1' } }, spec: { entrypoint: 'operation', templates: [] } })

  it('creates a Workflow once: a second submission of the same name finds it there', async () => {
    expect(await workflows().create(manifest('deploy-service-0a1b2c3d'))).toBe(true)
    expect(await workflows().create(manifest('deploy-service-0a1b2c3d'))).toBe(false)
    expect(k8s.workflows.get('mctl/deploy-service-0a1b2c3d')).toMatchObject({ metadata: { labels: { 'mctl.dev/operation': 'op_1' } }, spec: { entrypoint: 'operation' } })
  })

  it('reads back the phase and the pod nodes in start order, and null when there is none', async () => {
    await workflows().create(manifest('create-tenant-00ff00ff'))
    expect(await workflows().get('create-tenant-00ff00ff')).toEqual({ name: 'create-tenant-00ff00ff', phase: '', message: null, nodes: [] })
    k8s.advance('mctl', 'create-tenant-00ff00ff', 'Failed', [{ displayName: 'build-image', phase: 'Failed', message: 'exit code 1' }, { displayName: 'run', phase: 'Omitted' }])
    expect(await workflows().get('create-tenant-00ff00ff')).toEqual({
      name: 'create-tenant-00ff00ff', phase: 'Failed', message: null,
      nodes: [{ displayName: 'build-image', type: 'Pod', phase: 'Failed', message: 'exit code 1' }, { displayName: 'run', type: 'Pod', phase: 'Omitted', message: null }],
    })
    expect(await workflows().get('nope')).toBeNull()
  })

  it('says what it was doing when the API refuses', async () => {
    await expect(workflows('wrong-token').create(manifest('x-1'))).rejects.toThrow(/submitting Argo Workflow mctl\/x-1: HTTP 401/)
  })
})
describe('the Loki adapter', () => {
  it('selects by namespace and pod pattern, newest first across streams', async () => {
    const t = Date.now()
    loki.streams.push(
      { labels: { namespace: 'acme', pod: 'api-7d9f8b6c5-a1z9k' }, entries: [[new Date(t - 3000), 'a1'], [new Date(t - 1000), 'a2']] },
      { labels: { namespace: 'acme', pod: 'api-7d9f8b6c5-b2x4q' }, entries: [[new Date(t - 2000), 'b1']] },
      { labels: { namespace: 'acme', pod: 'api-gateway-6b5f4d3c2-zz9yx' }, entries: [[new Date(t - 500), 'gateway']] },
      { labels: { namespace: 'other', pod: 'api-7d9f8b6c5-a1z9k' }, entries: [[new Date(t - 500), 'other tenant']] },
    )
    const logs = new LokiLogs({ url: loki.url, orgId: 'platform', timeoutMs: 2000 })
    const lines = await logs.query({ namespace: 'acme', podPattern: 'api-[a-z0-9]+-[a-z0-9]+', limit: 10, sinceSeconds: 3600 })
    expect(lines.map(l => l.line)).toEqual(['a2', 'b1', 'a1'])
    expect(lines[0]!.labels).toEqual({ namespace: 'acme', pod: 'api-7d9f8b6c5-a1z9k' })
    expect(lines[0]!.timestamp).toBe(new Date(t - 1000).toISOString())
    expect(loki.requests.at(-1)!.headers['x-scope-orgid']).toBe('platform')
    expect((await logs.query({ namespace: 'acme', podPattern: 'api-[a-z0-9]+-[a-z0-9]+', limit: 2, sinceSeconds: 3600 })).map(l => l.line)).toEqual(['a2', 'b1'])
  })

  it('says what failed', async () => {
    await expect(new LokiLogs({ url: `${loki.url}/nope`, orgId: '', timeoutMs: 2000 }).query({ namespace: 'a', podPattern: 'x', limit: 1, sinceSeconds: 60 }))
      .rejects.toThrow(/querying Loki at .*: HTTP 404/)
    await expect(new LokiLogs({ url: hang.url, orgId: '', timeoutMs: 300 }).query({ namespace: 'a', podPattern: 'x', limit: 1, sinceSeconds: 60 }))
      .rejects.toThrow(/no answer within 300 ms/)
  })
})

describe('the Vault KV v2 adapter', () => {
  const store = () => new VaultStore({ addr: vault.url, token: vault.token, mount: 'secret', timeoutMs: 2000 })

  it('merges, lists names, retains and removes', async () => {
    await store().merge('mctl/acme/api', { API_KEY: 'k1', DB_PASSWORD: 'p1' })
    await store().merge('mctl/acme/api', { API_KEY: 'k2' })
    expect(vault.current('mctl/acme/api')).toEqual({ API_KEY: 'k2', DB_PASSWORD: 'p1' })
    expect(await store().names('mctl/acme/api')).toEqual(['API_KEY', 'DB_PASSWORD'])
    // One value, for MCTL's own signing (a tenant's agent webhook key).
    expect(await store().value('mctl/acme/api', 'API_KEY')).toBe('k2')
    expect(await store().value('mctl/acme/api', 'NOPE')).toBeNull()
    expect(await store().value('mctl/acme/none', 'API_KEY')).toBeNull()
    await store().retain('mctl/acme/api', ['API_KEY'])
    // Removed values do not linger in older versions.
    expect(vault.secrets.get('mctl/acme/api')).toEqual([{ data: { API_KEY: 'k2' }, created_time: expect.any(String) }])
    await store().remove('mctl/acme/api')
    expect(vault.secrets.has('mctl/acme/api')).toBe(false)
    await store().remove('mctl/acme/api')
  })

  it('removes every key under a prefix with all its versions, and nothing beside it', async () => {
    for (const key of ['mctl/reuse/api', 'mctl/reuse/api/database', 'mctl/reuse/bot', 'mctl/reuse2/api'])
      await store().merge(key, { TOKEN: 'v1' })
    await store().merge('mctl/reuse/bot', { TOKEN: 'v2' })
    await store().removeUnder('mctl/reuse')
    expect([...vault.secrets.keys()].filter(k => k.startsWith('mctl/reuse'))).toEqual(['mctl/reuse2/api'])
    await store().removeUnder('mctl/nothing-here')
  })

  it('never loses a value to a concurrent write (check-and-set)', async () => {
    await Promise.all(['A', 'B', 'C', 'D'].map(k => store().merge('mctl/acme/race', { [k]: k.toLowerCase() })))
    expect(vault.current('mctl/acme/race')).toEqual({ A: 'a', B: 'b', C: 'c', D: 'd' })
  })

  it('says what failed, without the values', async () => {
    const bad = new VaultStore({ addr: vault.url, token: 'wrong', mount: 'secret', timeoutMs: 2000 })
    const err = await bad.merge('mctl/acme/api', { API_KEY: 'do-not-echo' }).catch(e => e as Error)
    expect(err.message).toBe('reading secret mctl/acme/api from Vault: HTTP 403: permission denied')
  })
})
