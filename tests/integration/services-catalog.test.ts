import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { application, startKubernetesFake, type FakeKubernetes } from '../fakes/kubernetes'
import { git } from '../helpers/git'
import { connect, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, tempDir, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// The service catalog (issue 21): mctl_list_services across tenants with search, filters,
// sorting and cursor pages, and each service's Argo CD health and sync from one list call of
// every Application (the Kubernetes fake), or "Unknown" with a note without a cluster.
let k8s: FakeKubernetes
let live: TestServer, bare: TestServer
let admin: McpSession, bob: McpSession, noCluster: McpSession

// tenant → service → [type, image, synced at]
const SERVICES: Record<string, Record<string, ['web' | 'worker', string, string]>> = {
  north: { api: ['web', 'ghcr.io/acme/api', '2026-01-01T10:03:00Z'], jobs: ['worker', 'ghcr.io/acme/jobs', '2026-01-01T10:01:00Z'], site: ['web', 'ghcr.io/acme/site', '2026-01-01T10:05:00Z'] },
  south: { api: ['web', 'ghcr.io/acme/api', '2026-01-01T10:04:00Z'], cron: ['worker', 'ghcr.io/other/cron', '2026-01-01T10:02:00Z'] },
}

/** Tenants and services as a person's hand-made commit (fast, and what the index reads the same way). */
async function seed(server: TestServer) {
  const work = join(await tempDir(), 'clone')
  git(server.dataDir, 'clone', '-q', join(server.dataDir, 'gitops'), work)
  for (const [t, services] of Object.entries(SERVICES)) {
    mkdirSync(join(work, 'tenants', t), { recursive: true })
    // bob is a member of south only.
    writeFileSync(join(work, 'tenants', t, 'tenant.yaml'), `displayName: ${t}\nmembers: [{userId: ${t === 'south' ? 'bob' : 'admin'}, role: owner}]\nquotas: {cpu: "4", memory: 8Gi, pods: 50}\n`)
    for (const [s, [type, image]] of Object.entries(services)) {
      mkdirSync(join(work, 'tenants', t, 'services', s), { recursive: true })
      writeFileSync(join(work, 'tenants', t, 'services', s, 'service.yaml'), `image: {repository: ${image}, tag: "1.0.0"}\ncomponentType: ${type}\n`)
    }
  }
  const as = ['-c', 'user.name=Hand', '-c', 'user.email=hand@example.com']
  git(work, ...as, 'add', '.')
  git(work, ...as, 'commit', '-qm', 'catalog tenants')
  git(work, 'push', '-q', 'origin', 'HEAD:main')
}

async function list(who: McpSession, args: Record<string, unknown> = {}) {
  const answer = await who.call('mctl_list_services', args)
  expect(answer.isError, answer.text).toBe(false)
  return answer.data as { items: { team: string, name: string, health: string, sync: string, syncedAt?: string }[], count: number, total: number, next_cursor?: string, note?: string }
}
const names = (page: { items: { team: string, name: string }[] }) => page.items.map(s => `${s.team}/${s.name}`)

/** Every page of a listing, following next_cursor. */
async function allPages(who: McpSession, args: Record<string, unknown>) {
  const seen: string[] = []
  let cursor: string | undefined
  do {
    const page = await list(who, { ...args, ...(cursor ? { cursor } : {}) })
    seen.push(...names(page))
    cursor = page.next_cursor
  } while (cursor)
  return seen
}

beforeAll(async () => {
  k8s = await startKubernetesFake()
  const dir = await tempDir()
  const none = { KUBERNETES_SERVICE_HOST: '' }
  ;[live, bare] = await Promise.all([startServer({ env: { ...none, KUBECONFIG: k8s.kubeconfig(dir) } }), startServer({ env: none })])
  await Promise.all([seed(live), seed(bare)])
  admin = await connect(live.url, ADMIN_TOKEN)
  bob = await connect(live.url, addUser(live.dataDir, 'bob'))
  noCluster = await connect(bare.url, ADMIN_TOKEN)
  for (const [t, services] of Object.entries(SERVICES)) {
    for (const [s, [, , syncedAt]] of Object.entries(services))
      k8s.applications.set(`argocd/${t}-${s}`, application(`${t}-${s}`, 'Synced', 'Healthy', 'abc123', undefined, syncedAt))
  }
  k8s.applications.set('argocd/north-jobs', application('north-jobs', 'OutOfSync', 'Degraded', 'abc123', 'Back-off restarting failed container', '2026-01-01T10:01:00Z'))
  // An Application of another namespace is not ours.
  k8s.applications.set('elsewhere/south-cron', application('south-cron', 'OutOfSync', 'Missing', 'abc123'))
  await eventually(async () => (await list(admin, { limit: 1 })).total === 5)
  await eventually(async () => (await list(noCluster, { limit: 1 })).total === 5)
})
afterAll(async () => {
  await Promise.all([admin, bob, noCluster].map(s => s?.close()))
  await Promise.all([live, bare].map(s => s?.stop()))
  await k8s?.close()
})

describe('the service catalog', () => {
  it('gives every service its Argo CD health and sync, from one list call for the whole page', async () => {
    const before = k8s.requests.length
    const page = await list(admin)
    expect(page.items.map(s => [`${s.team}/${s.name}`, s.health, s.sync, s.syncedAt ?? null])).toEqual([
      ['north/api', 'Healthy', 'Synced', '2026-01-01T10:03:00.000Z'],
      ['north/jobs', 'Degraded', 'OutOfSync', '2026-01-01T10:01:00.000Z'],
      ['north/site', 'Healthy', 'Synced', '2026-01-01T10:05:00.000Z'],
      ['south/api', 'Healthy', 'Synced', '2026-01-01T10:04:00.000Z'],
      ['south/cron', 'Healthy', 'Synced', '2026-01-01T10:02:00.000Z'],
    ])
    expect(page.note).toBeUndefined()
    const calls = k8s.requests.slice(before).map(r => r.path)
    expect(calls.every(p => p === '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications')).toBe(true)
    expect(calls.length).toBeLessThanOrEqual(1)
    // The rest of each item is what it always was.
    expect(page.items[0]).toMatchObject({ team: 'north', name: 'api', imageRepository: 'ghcr.io/acme/api', imageTag: '1.0.0', componentType: 'web', host: 'north-api.apps.example.com' })
  })

  it('follows a status change within seconds (the list is cached briefly, not kept)', async () => {
    k8s.applications.set('argocd/south-api', application('south-api', 'OutOfSync', 'Progressing', 'def456', undefined, '2026-01-01T10:04:00Z'))
    await eventually(async () => (await list(admin, { team: 'south' })).items.find(s => s.name === 'api')?.health === 'Progressing')
    expect((await list(admin, { health: 'Progressing' })).items.map(s => [s.team, s.name, s.sync])).toEqual([['south', 'api', 'OutOfSync']])
    k8s.applications.set('argocd/south-api', application('south-api', 'Synced', 'Healthy', 'def456', undefined, '2026-01-01T10:04:00Z'))
    await eventually(async () => (await list(admin, { team: 'south' })).items.find(s => s.name === 'api')?.health === 'Healthy')
  })

  it('filters by tenant, type, health, sync and search (tenant, name, image, host)', async () => {
    expect(names(await list(admin, { team: 'south' }))).toEqual(['south/api', 'south/cron'])
    expect(names(await list(admin, { type: 'worker' }))).toEqual(['north/jobs', 'south/cron'])
    expect(names(await list(admin, { health: 'Degraded' }))).toEqual(['north/jobs'])
    expect(names(await list(admin, { sync: 'Synced', type: 'worker' }))).toEqual(['south/cron'])
    expect(names(await list(admin, { q: 'API' }))).toEqual(['north/api', 'south/api'])
    expect(names(await list(admin, { q: 'ghcr.io/other' }))).toEqual(['south/cron'])
    expect(names(await list(admin, { q: 'north-site.apps' }))).toEqual(['north/site'])
    expect(names(await list(admin, { q: 'nort' }))).toEqual(['north/api', 'north/jobs', 'north/site'])
    expect(await list(admin, { q: 'nothing-like-this' })).toEqual({ items: [], count: 0, total: 0 })
  })

  it('sorts by tenant (default), by name and by last sync', async () => {
    expect(names(await list(admin, { sort: 'name' }))).toEqual(['north/api', 'south/api', 'south/cron', 'north/jobs', 'north/site'])
    expect(names(await list(admin, { sort: 'updated' }))).toEqual(['north/site', 'south/api', 'north/api', 'south/cron', 'north/jobs'])
  })

  it('pages through filtered and sorted lists by cursor, each service once', async () => {
    const webFirst = await list(admin, { type: 'web', limit: 2 })
    expect([names(webFirst), webFirst.total, webFirst.count]).toEqual([['north/api', 'north/site'], 3, 2])
    expect(await allPages(admin, { type: 'web', limit: 2 })).toEqual(['north/api', 'north/site', 'south/api'])
    expect(await allPages(admin, { sort: 'name', limit: 2 })).toEqual(['north/api', 'south/api', 'south/cron', 'north/jobs', 'north/site'])
    expect(await allPages(admin, { sort: 'updated', limit: 2 })).toEqual(['north/site', 'south/api', 'north/api', 'south/cron', 'north/jobs'])
    expect(await allPages(admin, { q: 'api', sort: 'updated', limit: 1 })).toEqual(['south/api', 'north/api'])
  })

  it('shows a member only the tenants they belong to', async () => {
    expect(names(await list(bob))).toEqual(['south/api', 'south/cron'])
    expect(names(await list(bob, { q: 'north' }))).toEqual([])
    expect(await allPages(bob, { sort: 'updated', limit: 1 })).toEqual(['south/api', 'south/cron'])
  })

  it('answers "Unknown" with the reason when no cluster is connected', async () => {
    const page = await list(noCluster, { team: 'north' })
    expect(page.items.map(s => [s.name, s.health, s.sync, s.syncedAt ?? null])).toEqual([['api', 'Unknown', 'Unknown', null], ['jobs', 'Unknown', 'Unknown', null], ['site', 'Unknown', 'Unknown', null]])
    expect(page.note).toBe('no cluster connected')
    expect(names(await list(noCluster, { health: 'Unknown', sync: 'Unknown', type: 'worker' }))).toEqual(['north/jobs', 'south/cron'])
    expect(await list(noCluster, { health: 'Healthy' })).toEqual({ items: [], count: 0, total: 0, note: 'no cluster connected' })
  })

  it('refuses filters outside their rules, naming the field', async () => {
    for (const [args, field, rule] of [
      [{ health: 'Fine' }, 'health', 'must be one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown'],
      [{ sync: 'synced' }, 'sync', 'must be one of Synced, OutOfSync, Unknown'],
      [{ type: 'cron' }, 'type', 'must be one of web, worker'],
      [{ sort: 'size' }, 'sort', 'expected one of'],
      [{ q: 'x'.repeat(101) }, 'q', '<=100 characters'],
    ] as const) {
      const answer = await admin.call('mctl_list_services', args)
      expect(answer.isError, JSON.stringify(args)).toBe(true)
      expect(answer.text).toContain(field)
      expect(answer.text).toContain(rule)
    }
  })

  it('answers the same filters over REST', async () => {
    const res = await fetch(`${live.url}/api/v1/services?type=worker&health=Degraded&q=jobs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status).toBe(200)
    const body = await res.json() as { items: { team: string, name: string, health: string }[], total: number }
    expect([body.total, body.items.map(s => [s.team, s.name, s.health])]).toEqual([1, [['north', 'jobs', 'Degraded']]])
  })
})
