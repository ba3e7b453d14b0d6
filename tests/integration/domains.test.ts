import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsFake, type FakeDns } from '../fakes/dns'
import { commits, show, trailer } from '../helpers/git'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser } from '../helpers/users'

// Custom domains against a real DNS server on loopback: MCTL's resolver (NUXT_DNS_RESOLVER)
// asks it over UDP, exactly as it would ask the platform's resolver.
let dns: FakeDns
let server: TestServer
let repo: string
let admin: McpSession, alice: McpSession, bob: McpSession
const HOST = 'shop-api.apps.example.com'
const svc = 'tenants/shop/services/api'

const done = async (who: McpSession, name: string, args: Record<string, unknown>) => {
  const answer = await who.call(name, { wait_seconds: 20, ...args })
  expect(answer.isError, answer.text).toBe(false)
  expect(answer.data, answer.text).toMatchObject({ status: 'succeeded' })
  return answer.data
}
const head = () => commits(repo)[0]!
const verify = async (domain?: string) => {
  const answer = await alice.call('mctl_verify_domain', { team: 'shop', service: 'api', ...(domain ? { domain } : {}) })
  expect(answer.isError, answer.text).toBe(false)
  return answer.data.results as any[]
}
function rows(): { domain: string, tenant: string, service: string, status: string }[] {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try { return db.prepare('select domain, tenant, service, status from domains order by domain').all() as never }
  finally { db.close() }
}

beforeAll(async () => {
  dns = await startDnsFake()
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', NUXT_DNS_RESOLVER: dns.address, NUXT_DNS_TIMEOUT_MS: '400' } })
  repo = join(server.dataDir, 'gitops')
  admin = await connect(server.url, ADMIN_TOKEN)
  alice = await connect(server.url, addUser(server.dataDir, 'alice'), 'cursor')
  bob = await connect(server.url, addUser(server.dataDir, 'bob'))
  await done(alice, 'mctl_create_tenant', { tenant_name: 'shop' })
  await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'api', image: 'ghcr.io/acme/api:1.0.0' })
  await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'jobs', image: 'ghcr.io/acme/jobs:1.0.0', component_type: 'worker' })
  await done(bob, 'mctl_create_tenant', { tenant_name: 'other' })
  await done(bob, 'mctl_deploy_service', { action: 'onboard', team_name: 'other', component_name: 'web', image: 'ghcr.io/acme/web:1.0.0' })
})
afterAll(async () => {
  await Promise.all([admin?.close(), alice?.close(), bob?.close()])
  await server?.stop()
  await dns?.close()
})

describe('a custom domain from pending to active', () => {
  let token: string

  it('registers it pending and returns the record to create, committing nothing', async () => {
    const before = commits(repo).length
    const added = await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'Shop.Example.com.' })
    expect(added.isError, added.text).toBe(false)
    token = added.data.alternativeRecord.value
    expect(token).toMatch(/^mctl-verify-[0-9a-f]{32}$/)
    expect(added.data).toMatchObject({
      domain: 'shop.example.com', team: 'shop', service: 'api', status: 'pending',
      expectedRecord: { type: 'CNAME', name: 'shop.example.com', value: HOST },
      alternativeRecord: { type: 'TXT', name: '_mctl-challenge.shop.example.com', value: token },
      lastCheckedAt: null, lastError: null, activatedAt: null,
    })
    expect(added.data.message).toBe(`Registered shop.example.com for "shop/api" (pending): create a CNAME record shop.example.com → ${HOST} (or, for an apex domain, a TXT record _mctl-challenge.shop.example.com with the value ${token}), then call mctl_verify_domain`)
    expect(commits(repo).length).toBe(before)
    expect(rows()).toEqual([{ domain: 'shop.example.com', tenant: 'shop', service: 'api', status: 'pending' }])
    // Idempotent: the same registration, the same challenge.
    const again = await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'shop.example.com' })
    expect(again.data).toMatchObject({ status: 'pending', alternativeRecord: { value: token } })
    expect(again.data.message).toMatch(/^shop\.example\.com is already registered for "shop\/api" \(pending\)/)
  })

  it('stays pending while DNS has no record, and fails on a record pointing elsewhere', async () => {
    const [absent] = await verify()
    expect(absent).toMatchObject({ domain: 'shop.example.com', status: 'pending', verified: false, method: null, found: { cname: [], txt: [] }, lastError: 'no CNAME record for shop.example.com and no TXT record at _mctl-challenge.shop.example.com yet' })
    expect(absent.lastCheckedAt).toEqual(expect.any(String))
    expect(dns.queries).toEqual(expect.arrayContaining(['CNAME shop.example.com', 'TXT _mctl-challenge.shop.example.com']))

    dns.cname.set('shop.example.com', 'old-lb.example.net')
    const [wrong] = await verify('shop.example.com')
    expect(wrong).toMatchObject({ status: 'failed', verified: false, found: { cname: ['old-lb.example.net'], txt: [] }, lastError: `CNAME shop.example.com points to old-lb.example.net, not ${HOST}` })
    expect((await alice.call('mctl_list_domains', { team: 'shop' })).data.items[0]).toMatchObject({ status: 'failed', lastError: wrong.lastError })
  })

  it('changes nothing when the resolver does not answer, and says which resolver', async () => {
    dns.silent = true
    try {
      const [silent] = await verify()
      expect(silent.status).toBe('failed')
      expect(silent.verified).toBe(false)
      expect(silent.message).toMatch(new RegExp(`^DNS could not be asked, status unchanged: asking ${dns.address.replace(/\./g, '\\.')} for the CNAME record of shop\\.example\\.com: ETIMEOUT`))
    }
    finally { dns.silent = false }
  })

  it('is verified by the CNAME and activated by the add-custom-domain operation: Ingress host and Certificate committed', async () => {
    dns.cname.set('shop.example.com', `${HOST}.`)
    const [ok] = await verify()
    expect(ok).toMatchObject({ domain: 'shop.example.com', status: 'verified', verified: true, method: 'cname', found: { cname: [HOST] }, lastError: null, operation: { status: 'queued', workflow_name: expect.stringMatching(/^add-custom-domain-[0-9a-f]{8}$/) } })
    const end = await finished(alice, ok.operation.operation_id)
    expect(end.status, end.error).toBe('succeeded')
    expect(end.steps.map((s: { name: string }) => s.name)).toEqual(['commit', 'activate', 'sync'])

    const c = head()
    expect(c.subject).toBe('domain: shop/api shop.example.com')
    // The registrant's commit (their add was the audited write), through the client that verified.
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client'), trailer(c.body, 'Mctl-Operation')]).toEqual(['Alice', 'alice', 'cursor', ok.operation.operation_id])
    expect(c.files.sort()).toEqual([`${svc}/manifests/certificates.yaml`, `${svc}/manifests/ingress.yaml`, `${svc}/service.yaml`])
    expect(parse(show(repo, 'main', `${svc}/service.yaml`)).domains).toEqual([{ name: 'shop.example.com' }])
    const ingress = parse(show(repo, 'main', `${svc}/manifests/ingress.yaml`))
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual([HOST, 'shop.example.com'])
    expect(ingress.spec.tls).toContainEqual({ hosts: ['shop.example.com'], secretName: 'api-shop-example-com-tls' })
    const certs = parseAllDocuments(show(repo, 'main', `${svc}/manifests/certificates.yaml`)).map(d => d.toJS())
    expect(certs.map(c => [c.metadata.name, c.spec.dnsNames])).toEqual([['api-tls', [HOST]], ['api-shop-example-com-tls', ['shop.example.com']]])

    const listed = await alice.call('mctl_list_domains', { team: 'shop', service: 'api' })
    expect(listed.data.items).toEqual([expect.objectContaining({ domain: 'shop.example.com', status: 'active', lastError: null, operationId: ok.operation.operation_id, activatedAt: expect.any(String) })])
    expect((await alice.call('mctl_list_services', { team: 'shop' })).data.items.find((s: { name: string }) => s.name === 'api').domains).toEqual(['shop.example.com'])

    // Checked again: still proven, nothing new queued.
    const [still] = await verify('shop.example.com')
    expect(still).toMatchObject({ status: 'active', verified: true, message: 'shop.example.com is active and DNS still points here' })
    expect(still.operation).toBeUndefined()
  })

  it('verifies an apex domain by the TXT challenge', async () => {
    const added = await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'example.org' })
    dns.txt.set('_mctl-challenge.example.org', ['v=spf1 -all', added.data.alternativeRecord.value])
    const [ok] = await verify('example.org')
    expect(ok).toMatchObject({ status: 'verified', method: 'txt', found: { txt: ['v=spf1 -all', added.data.alternativeRecord.value] } })
    expect((await finished(alice, ok.operation.operation_id)).status).toBe('succeeded')
    expect(head().subject).toBe('domain: shop/api example.org')
    expect(parse(show(repo, 'main', `${svc}/service.yaml`)).domains).toEqual([{ name: 'example.org' }, { name: 'shop.example.com' }])
  })
})

describe('hostname rules and conflicts', () => {
  it.each<[string, 'alice' | 'bob', Record<string, unknown>, RegExp]>([
    ['a domain another tenant holds', 'bob', { team: 'other', service: 'web', domain: 'shop.example.com' }, /Domain "shop\.example\.com" is already held by another tenant/],
    ['an apex domain another tenant holds', 'bob', { team: 'other', service: 'web', domain: 'EXAMPLE.org' }, /Domain "example\.org" is already held by another tenant/],
    ['a worker service', 'alice', { team: 'shop', service: 'jobs', domain: 'jobs.example.com' }, /service: "shop\/jobs" is a worker: only web services have an Ingress/],
    ['the platform base domain', 'alice', { team: 'shop', service: 'api', domain: 'apps.example.com' }, /domain: "apps\.example\.com" is the platform's base domain or a name under it \(apps\.example\.com\)/],
    ['a name under the base domain', 'bob', { team: 'other', service: 'web', domain: 'shop-api.apps.example.com' }, /domain: "shop-api\.apps\.example\.com" is the platform's base domain or a name under it/],
    ['a name that is not a DNS name', 'alice', { team: 'shop', service: 'api', domain: 'shop_1.example.com' }, /domain: must be a DNS name such as "shop\.example\.com"/],
    ['a single label', 'alice', { team: 'shop', service: 'api', domain: 'localhost' }, /domain: must be a DNS name/],
    ['a label over 63 characters', 'alice', { team: 'shop', service: 'api', domain: `${'a'.repeat(64)}.example.com` }, /domain: must be a DNS name/],
    ['an unknown service', 'alice', { team: 'shop', service: 'nope', domain: 'x.example.com' }, /Service "shop\/nope" not found/],
    ['a caller outside the tenant', 'bob', { team: 'shop', service: 'api', domain: 'x.example.com' }, /not a member of tenant "shop"/],
  ])('refuses %s', async (_, who, args, message) => {
    const before = { commits: commits(repo).length, rows: rows() }
    const answer = await ({ alice, bob }[who]).call('mctl_add_custom_domain', args)
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
    expect({ commits: commits(repo).length, rows: rows() }).toEqual(before)
  })

  it.each<[string, string, Record<string, unknown>, RegExp]>([
    ['verifying an unregistered domain', 'mctl_verify_domain', { team: 'shop', service: 'api', domain: 'nope.example.com' }, /Domain "nope\.example\.com" is not registered for "shop\/api"/],
    ['verifying a malformed domain', 'mctl_verify_domain', { team: 'shop', service: 'api', domain: '-x.example.com' }, /domain: must be a DNS name/],
    ['listing the domains of an unknown service', 'mctl_list_domains', { team: 'shop', service: 'nope' }, /Service "shop\/nope" not found/],
    ['removing a domain the service does not have', 'mctl_remove_custom_domain', { team: 'shop', service: 'api', domain: 'nope.example.com' }, /Domain "nope\.example\.com" is not a custom domain of "shop\/api"/],
    ['removing with a forged confirm token', 'mctl_remove_custom_domain', { team: 'shop', service: 'api', domain: 'example.org', confirm: 'confirm_forged' }, /The confirm token is invalid/],
  ])('refuses %s', async (_, tool, args, message) => {
    const before = { commits: commits(repo).length, rows: rows() }
    const answer = await alice.call(tool, args)
    expect(answer.isError).toBe(true)
    expect(answer.text).toMatch(message)
    expect({ commits: commits(repo).length, rows: rows() }).toEqual(before)
  })

  it('answers the REST status of each rule', async () => {
    const post = (body: unknown, path = 'other/web') => fetch(`${server.url}/api/v1/services/${path}/domains`, { method: 'POST', headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post({ domain: 'shop.example.com' })).status).toBe(409)
    const base = await post({ domain: 'apps.example.com' })
    expect(base.status).toBe(400)
    expect((await base.json()).details).toEqual([{ field: 'domain', rule: expect.stringMatching(/platform's base domain/) }])
    const listed = await fetch(`${server.url}/api/v1/tenants/shop/domains`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect((await listed.json()).items.map((d: { domain: string }) => d.domain)).toEqual(['example.org', 'shop.example.com'])
  })
})

describe('removal', () => {
  it('removes the Ingress host and certificate by commit through plan → confirm, and the registration', async () => {
    const plan = await alice.call('mctl_remove_custom_domain', { team: 'shop', service: 'api', domain: 'shop.example.com' })
    expect(plan.data).toMatchObject({ status: 'confirmation_required', plan: { domain: 'shop.example.com', service: 'shop/api', status: 'active', ingressHost: 'shop.example.com', certificate: 'api-shop-example-com-tls', registration: 'deleted' } })
    const out = await done(alice, 'mctl_remove_custom_domain', { team: 'shop', service: 'api', domain: 'shop.example.com', confirm: plan.data.confirm })
    expect(out.message).toBe('Custom domain shop.example.com removed from "shop/api"')
    expect(head().subject).toBe('domain-remove: shop/api shop.example.com')
    expect(parse(show(repo, 'main', `${svc}/manifests/ingress.yaml`)).spec.rules.map((r: { host: string }) => r.host)).toEqual([HOST, 'example.org'])
    expect(show(repo, 'main', `${svc}/manifests/certificates.yaml`)).not.toContain('shop.example.com')
    expect(rows().map(r => r.domain)).toEqual(['example.org'])
    // Now free: another tenant may take it.
    const taken = await bob.call('mctl_add_custom_domain', { team: 'other', service: 'web', domain: 'shop.example.com' })
    expect(taken.data).toMatchObject({ status: 'pending', team: 'other' })
  })

  it('retiring a service removes its domains and their registrations', async () => {
    await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'api', domain: 'pending.example.com' })
    const plan = await alice.call('mctl_retire_service', { team_name: 'shop', component_name: 'api' })
    expect(plan.data.plan.domains).toEqual(['example.org', 'pending.example.com'])
    const out = await done(alice, 'mctl_retire_service', { team_name: 'shop', component_name: 'api', confirm: plan.data.confirm })
    const status = await alice.call('mctl_get_workflow_status', { workflow_name: out.workflow_name })
    expect(status.data.steps.map((s: { name: string }) => s.name)).toEqual(['commit', 'delete-secrets', 'unregister-domains', 'sync'])
    expect(rows()).toEqual([{ domain: 'shop.example.com', tenant: 'other', service: 'web', status: 'pending' }])
  })
})
