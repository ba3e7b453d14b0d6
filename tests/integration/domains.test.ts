import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parse, parseAllDocuments } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsFake, type FakeDns } from '../fakes/dns'
import { commits, show, trailer } from '../helpers/git'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { addUser, eventually } from '../helpers/users'

// Custom domains against a real DNS server on loopback: MCTL's resolver (NUXT_DNS_RESOLVER)
// asks it over UDP, exactly as it would ask the platform's resolver. The domain checker's own
// passes are an hour apart here: it acts only when mctl_verify_domain finds a proof and wakes it.
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
  server = await startServer({ env: { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '', NUXT_DNS_RESOLVER: dns.address, NUXT_DNS_TIMEOUT_MS: '400', NUXT_DOMAINS_CHECK_SECONDS: '3600' } })
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

  it('stays pending while DNS has no record or a record pointing elsewhere, saying what it found and when the checker looks again', async () => {
    const [absent] = await verify()
    expect(absent).toMatchObject({ domain: 'shop.example.com', status: 'pending', verified: false, method: null, found: { cname: [], txt: [] }, nextCheckAt: expect.any(String) })
    expect(absent.message).toBe(`no CNAME record for shop.example.com and no TXT record at _mctl-challenge.shop.example.com yet; the domain checker acts at ${absent.nextCheckAt}`)
    expect(dns.queries).toEqual(expect.arrayContaining(['CNAME shop.example.com', 'TXT _mctl-challenge.shop.example.com']))

    dns.cname.set('shop.example.com', 'old-lb.example.net')
    const [wrong] = await verify('shop.example.com')
    expect(wrong).toMatchObject({ status: 'pending', verified: false, found: { cname: ['old-lb.example.net'], txt: [] } })
    expect(wrong.message).toMatch(new RegExp(`^CNAME shop\\.example\\.com points to old-lb\\.example\\.net, not ${HOST.replace(/\./g, '\\.')}; the domain checker acts at `))
    // A read: nothing was recorded.
    expect((await alice.call('mctl_list_domains', { team: 'shop' })).data.items[0]).toMatchObject({ status: 'pending', lastCheckedAt: null, lastError: null })
  })

  it('changes nothing when the resolver does not answer, and says which resolver', async () => {
    dns.silent = true
    try {
      const [silent] = await verify()
      expect(silent.status).toBe('pending')
      expect(silent.verified).toBe(false)
      expect(silent.message).toMatch(new RegExp(`^DNS could not be asked, status unchanged: asking ${dns.address.replace(/\./g, '\\.')} for the CNAME record of shop\\.example\\.com: ETIMEOUT`))
    }
    finally { dns.silent = false }
  })

  it('is verified by the CNAME and activated by the domain checker\'s add-custom-domain operation: Ingress host and Certificate committed', async () => {
    dns.cname.set('shop.example.com', `${HOST}.`)
    const [ok] = await verify()
    expect(ok).toMatchObject({ domain: 'shop.example.com', status: 'pending', verified: true, method: 'cname', found: { cname: [HOST] } })
    expect(ok.message).toMatch(new RegExp(`^DNS proves control of shop\\.example\\.com \\(CNAME → ${HOST.replace(/\./g, '\\.')}\\): the domain checker acts at `))
    expect(ok.operation).toBeUndefined()
    const operationId = await eventually(async () => (await alice.call('mctl_list_domains', { team: 'shop', service: 'api' })).data.items[0].operationId as string | null ?? undefined)
    const end = await finished(alice, operationId)
    expect(end.status, end.error).toBe('succeeded')
    expect(end.steps.map((s: { name: string }) => s.name)).toEqual(['commit', 'activate', 'sync'])

    const c = head()
    expect(c.subject).toBe('domain: shop/api shop.example.com')
    // The registrant's commit (their add was the audited write), made by the domain checker.
    expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client'), trailer(c.body, 'Mctl-Operation')]).toEqual(['Alice', 'alice', 'mctl-domain-checker', operationId])
    expect(c.files.sort()).toEqual([`${svc}/manifests/certificates.yaml`, `${svc}/manifests/ingress.yaml`, `${svc}/service.yaml`])
    expect(parse(show(repo, 'main', `${svc}/service.yaml`)).domains).toEqual([{ name: 'shop.example.com' }])
    const ingress = parse(show(repo, 'main', `${svc}/manifests/ingress.yaml`))
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual([HOST, 'shop.example.com'])
    expect(ingress.spec.tls).toContainEqual({ hosts: ['shop.example.com'], secretName: 'api-shop-example-com-tls' })
    const certs = parseAllDocuments(show(repo, 'main', `${svc}/manifests/certificates.yaml`)).map(d => d.toJS())
    expect(certs.map(c => [c.metadata.name, c.spec.dnsNames])).toEqual([['api-tls', [HOST]], ['api-shop-example-com-tls', ['shop.example.com']]])

    const listed = await alice.call('mctl_list_domains', { team: 'shop', service: 'api' })
    expect(listed.data.items).toEqual([expect.objectContaining({ domain: 'shop.example.com', status: 'active', lastError: null, operationId, activatedAt: expect.any(String) })])
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
    expect(ok).toMatchObject({ status: 'pending', verified: true, method: 'txt', found: { txt: ['v=spf1 -all', added.data.alternativeRecord.value] } })
    await eventually(() => head().subject === 'domain: shop/api example.org')
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
    ['a caller outside the tenant', 'bob', { team: 'shop', service: 'api', domain: 'x.example.com' }, /^Tenant "shop" not found$/],
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

describe('mctl_verify_domain is a read', () => {
  const table = (name: string) => {
    const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
    try { return db.prepare(`select * from ${name} order by rowid`).all() }
    finally { db.close() }
  }
  const state = () => ({ commits: commits(repo).length, domains: table('domains'), operations: table('operations'), audit: table('audit_events') })

  it('writes nothing for a read-only token; the activation it wakes is the adder\'s, made and audited by the domain checker', async () => {
    await done(alice, 'mctl_deploy_service', { action: 'onboard', team_name: 'shop', component_name: 'www', image: 'ghcr.io/acme/www:1.0.0' })
    await alice.call('mctl_add_custom_domain', { team: 'shop', service: 'www', domain: 'www.example.net' })
    const reader = await connect(server.url, addUser(server.dataDir, 'alice', { scopes: ['read'] }), 'reader')
    try {
      for (const record of ['elsewhere.example.net', undefined]) {
        if (record) dns.cname.set('www.example.net', record)
        else dns.cname.delete('www.example.net')
        const before = state()
        const look = await reader.call('mctl_verify_domain', { team: 'shop', service: 'www' })
        expect(look.isError, look.text).toBe(false)
        expect(look.data.results[0]).toMatchObject({ domain: 'www.example.net', status: 'pending', verified: false })
        expect(state()).toEqual(before)
      }

      dns.cname.set('www.example.net', 'shop-www.apps.example.com')
      const before = commits(repo).length
      const [proof] = (await reader.call('mctl_verify_domain', { team: 'shop', service: 'www', domain: 'www.example.net' })).data.results
      expect(proof).toMatchObject({ status: 'pending', verified: true, method: 'cname' })
      expect(proof.operation).toBeUndefined()
      const c = await eventually(() => commits(repo).length > before && commits(repo).find(x => x.subject === 'domain: shop/www www.example.net'))
      expect([c.author, trailer(c.body, 'Mctl-Requested-By'), trailer(c.body, 'Mctl-Client')]).toEqual(['Alice', 'alice', 'mctl-domain-checker'])
      const operationId = trailer(c.body, 'Mctl-Operation')
      expect(table('audit_events').filter((e: any) => e.operation_id === operationId).map((e: any) => [e.user_id, e.client, e.tool, e.operation, e.decision]))
        .toEqual([['alice', 'mctl-domain-checker', 'domain-checker', 'add-custom-domain', 'allowed']])
      // Nothing is the reader's.
      expect(table('operations').filter((o: any) => o.client === 'reader')).toEqual([])
      expect(table('audit_events').filter((e: any) => e.client === 'reader')).toEqual([])
    }
    finally { await reader.close() }
  })
})
