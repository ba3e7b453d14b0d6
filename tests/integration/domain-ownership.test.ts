import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsFake, type FakeDns } from '../fakes/dns'
import { commits, show, trailer } from '../helpers/git'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { startServer, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// Issue 16: who may put which hostname on an Ingress. Two ordinary users own two tenants:
// alice "shop", bob "other". A host written through MCTL is the service's default host or a
// domain its tenant proved by DNS; default and preview hosts belong to their tenant; a
// pending claim never blocks a tenant that proves the domain. The domain checker runs every
// second here, against a real DNS server on loopback.
let dns: FakeDns
let server: TestServer
let repo: string
let alice: McpSession, bob: McpSession
const tokens: Record<'alice' | 'bob', string> = { alice: '', bob: '' }
const BOB_HOST = 'other-web.apps.example.com'
let previewHost: string

const done = async (who: McpSession, name: string, args: Record<string, unknown>) => {
  const answer = await who.call(name, { wait_seconds: 20, ...args })
  expect(answer.isError, answer.text).toBe(false)
  expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  return answer.data
}
function sql<T>(query: string, ...args: unknown[]): T[] {
  const db = new Database(join(server.dataDir, 'mctl.db'))
  try { return query.trim().startsWith('select') ? db.prepare(query).all(...args) as T[] : (db.prepare(query).run(...args), []) }
  finally { db.close() }
}
const claims = (domain: string) => sql<{ tenant: string, status: string }>('select tenant, status from domains where domain = ? order by tenant', domain)
/** A claim DNS has proven whose activation has not committed yet: the window in which it is verified but not on an Ingress. */
const provenClaim = (domain: string, tenant: string, service: string) => sql(
  `insert into domains (domain, tenant, service, status, token, requested_by, requester_name, requester_email, verified_at) values (?, ?, ?, 'verified', 'mctl-verify-x', ?, 'x', 'x@example.com', '2026-01-01T00:00:00Z')`,
  domain, tenant, service, tenant === 'shop' ? 'alice' : 'bob')
const deploy = (who: 'alice' | 'bob', body: Record<string, unknown>) => fetch(`${server.url}/api/v1/services`, {
  method: 'POST',
  headers: { 'authorization': `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
  body: JSON.stringify({ action: 'update-config', wait_seconds: 20, ...body }),
})
const specOf = (path: string) => parse(show(repo, 'main', `tenants/${path}/service.yaml`))

beforeAll(async () => {
  dns = await startDnsFake()
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', NUXT_DNS_RESOLVER: dns.address, NUXT_DNS_TIMEOUT_MS: '400', NUXT_DOMAINS_CHECK_SECONDS: '1' } })
  repo = join(server.dataDir, 'gitops')
  tokens.alice = addUser(server.dataDir, 'alice')
  tokens.bob = addUser(server.dataDir, 'bob')
  alice = await connect(server.url, tokens.alice, 'cursor')
  bob = await connect(server.url, tokens.bob, 'claude-code')
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop' })
  await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0' })
  await done(bob, 'mctl_create_tenant', { tenant_name: 'other' })
  await done(bob, 'mctl_deploy_service', { action: 'onboard', team_name: 'other', component_name: 'web', image: 'ghcr.io/acme/web:1.0.0' })
  previewHost = (await done(alice, 'mctl_create_preview', { team_name: 'shop', component_name: 'api', image_tag: 'pr-1' })).preview.host
  expect((await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'pending.shop.test' })).isError).toBe(false)
  provenClaim('proven.shop.test', 'shop', 'api')
})
afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close()])
  await server?.stop()
  await dns?.close()
})

describe('the host of a service', () => {
  it.each([
    ['a domain nobody verified', 'login.microsoftonline.com'],
    ['another tenant\'s future default host', 'shop-admin.apps.example.com'],
    ['another tenant\'s current default host', 'shop-api.apps.example.com'],
    ['another tenant\'s pending custom domain', 'pending.shop.test'],
    ['another tenant\'s DNS-verified custom domain', 'proven.shop.test'],
    ['another tenant\'s preview host', 'preview'],
  ])('refuses %s with 4xx and no commit', async (_, wanted) => {
    const host = wanted === 'preview' ? previewHost : wanted
    const before = commits(repo).length
    for (const body of [
      { team_name: 'other', component_name: 'web', host },
      { action: 'onboard', team_name: 'other', component_name: 'site', image: 'ghcr.io/acme/site:1', host },
    ]) {
      const res = await deploy('bob', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).details).toEqual([{ field: 'host', rule: `must be this service's default host other-${body.component_name}.apps.example.com or a domain this tenant verified (mctl_add_custom_domain, then DNS proves it: mctl_verify_domain)` }])
    }
    expect(commits(repo).length).toBe(before)
    expect(specOf('other/services/web').host).toBeUndefined()
  })

  it('accepts the service\'s own default host and a domain its tenant verified', async () => {
    const own = await (await deploy('bob', { team_name: 'other', component_name: 'web', host: BOB_HOST })).json()
    expect(own.status).toBe('succeeded')
    expect(specOf('other/services/web').host).toBe(BOB_HOST)

    provenClaim('www.other.test', 'other', 'web')
    const verified = await (await deploy('bob', { team_name: 'other', component_name: 'web', host: 'www.other.test' })).json()
    expect(verified.status, JSON.stringify(verified)).toBe('succeeded')
    expect(commits(repo)[0]!.subject).toBe('config: other/web host www.other.test')
    expect(specOf('other/services/web').host).toBe('www.other.test')
    // The tenant's own later writes keep it (a restart, a scale).
    await done(bob, 'mctl_deploy_service', { action: 'update-config', team_name: 'other', component_name: 'web', env_vars: { A: '1' } })
    expect(specOf('other/services/web').host).toBe('www.other.test')
    await done(bob, 'mctl_deploy_service', { action: 'update-config', team_name: 'other', component_name: 'web', host: BOB_HOST })
  })

  it('gives a host to exactly one of two concurrent deploys claiming it', async () => {
    provenClaim('both.shop.test', 'shop', 'api')
    await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'www', image: 'ghcr.io/acme/www:1' })
    const before = commits(repo).length
    // Both may pass the check at accept time; the commit step checks again, one write after the other.
    const outcomes = await Promise.all(['api', 'www'].map(async (name) => {
      const res = await deploy('alice', { team_name: 'shop', component_name: name, host: 'both.shop.test', wait_seconds: 0 })
      const body = await res.json()
      if (!body.operation_id) return { status: res.status, error: body.error as string }
      const end = await finished(alice, body.operation_id)
      return { status: end.status, error: end.error as string }
    }))
    const won = outcomes.filter(o => o.status === 'succeeded')
    const lost = outcomes.filter(o => o.status !== 'succeeded')
    expect(won, JSON.stringify(outcomes)).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(['failed', 422]).toContain(lost[0]!.status)
    expect(lost[0]!.error).toMatch(/host "both\.shop\.test" of shop\/(api|www) is already used by shop\/(api|www)/)
    const made = commits(repo).slice(0, commits(repo).length - before)
    expect(made.map(c => c.subject)).toEqual([expect.stringMatching(/^config: shop\/(api|www) host both\.shop\.test$/)])
    expect(['api', 'www'].filter(name => specOf(`shop/services/${name}`).host === 'both.shop.test')).toHaveLength(1)
  })
})

describe('a pending claim', () => {
  it('does not stop another tenant who proves the domain by DNS: the first to verify keeps it, the other claim is dropped', async () => {
    const a = await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'contested.test' })
    expect(a.data).toMatchObject({ status: 'pending', team: 'shop' })
    const b = await bob.call('mctl_add_custom_domain', { team: 'other', service: 'web', domain: 'contested.test' })
    expect(b.isError, b.text).toBe(false)
    expect(b.data).toMatchObject({ status: 'pending', team: 'other' })
    expect(b.data.alternativeRecord.value).not.toBe(a.data.alternativeRecord.value)
    expect(claims('contested.test')).toEqual([{ tenant: 'other', status: 'pending' }, { tenant: 'shop', status: 'pending' }])

    dns.txt.set('_mctl-challenge.contested.test', [b.data.alternativeRecord.value])
    const [seen] = (await bob.call('mctl_verify_domain', { team: 'other', service: 'web', domain: 'contested.test' })).data.results
    expect(seen).toMatchObject({ verified: true, method: 'txt' })
    await eventually(() => claims('contested.test')[0]?.status === 'active')
    expect(claims('contested.test')).toEqual([{ tenant: 'other', status: 'active' }])

    const c = commits(repo).find(c => c.subject === 'domain: other/web contested.test')!
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['Bob', 'bob', 'mctl-domain-checker'])
    expect(specOf('other/services/web').domains).toEqual([{ name: 'contested.test' }])
    // Alice may not take it back by claiming or by host.
    expect((await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'contested.test' })).text).toMatch(/already held by another tenant/)
    expect((await deploy('alice', { team_name: 'shop', component_name: 'api', host: 'contested.test' })).status).toBe(400)
  })
})

describe('the domain checker', () => {
  it('activates a domain once its DNS record appears, as a write of the person who added it', async () => {
    const added = await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'auto.shop.test' })
    dns.txt.set('_mctl-challenge.auto.shop.test', [added.data.alternativeRecord.value])
    // Nobody calls mctl_verify_domain: the checker's own pass finds it.
    const c = await eventually(() => commits(repo).find(c => c.subject === 'domain: shop/api auto.shop.test'), 30_000)
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['Alice', 'alice', 'mctl-domain-checker'])
    const op = trailer(c.body, 'Mctl-Operation')
    expect(sql('select user_id, client, tool, operation, tenant, decision from audit_events where operation_id = ?', op)).toEqual([
      { user_id: 'alice', client: 'mctl-domain-checker', tool: 'domain-checker', operation: 'add-custom-domain', tenant: 'shop', decision: 'allowed' },
    ])
    await eventually(() => claims('auto.shop.test')[0]?.status === 'active')
  })
})
