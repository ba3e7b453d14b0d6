import { describe, expect, it } from 'vitest'
import { checkPolicy } from '../../server/gitops/policy'
import { serviceChanges } from '../../server/gitops/render/service'
import { PlatformSpec, ServiceSpec, TenantSpec } from '../../server/gitops/specs'
import { previewChanges } from '../../server/gitops/render/preview'
import type { PreviewEntry, RepoIndex, ServiceEntry } from '../../server/gitops/state'

const platform = PlatformSpec.parse({ baseDomain: 'apps.test' })
const tenants: Record<string, TenantSpec> = {
  acme: TenantSpec.parse({ displayName: 'Acme', quotas: { cpu: '2', memory: '4Gi', pods: 10 } }),
  beta: TenantSpec.parse({ displayName: 'Beta', quotas: { cpu: '2', memory: '4Gi', pods: 10 } }),
}
const spec = (o: Record<string, unknown> = {}) => ServiceSpec.parse({ image: { repository: 'ghcr.io/acme/app', tag: '1' }, ...o })
const existing: ServiceEntry[] = [
  { tenant: 'acme', name: 'web', spec: spec({ replicas: 4 }) },
  { tenant: 'beta', name: 'shop', spec: spec({ host: 'shop.example.com' }) },
]
const previews: PreviewEntry[] = [
  { tenant: 'acme', name: 'web-p1a2b3', id: 'p1a2b3', spec: { service: 'web', imageTag: 'pr-1', createdBy: 'alice', expiresAt: '2030-01-01T00:00:00Z' } },
]
/** Custom domains proven by DNS (the domain store), by domain. */
const holders: Record<string, string> = { 'shop.acme.test': 'acme' }
const index = {
  platform,
  tenant: (t: string) => tenants[t],
  service: (t: string, n: string) => existing.find(s => s.tenant === t && s.name === n),
  previews: new Map([['acme', new Map(previews.map(p => [p.name, p]))]]),
  allServices: () => existing,
  allPreviews: () => previews,
  domainHolder: (d: string) => holders[d],
} as unknown as RepoIndex
const commit = (tenant: string, name: string, s: ServiceSpec) => () => checkPolicy(serviceChanges(tenant, name, s, platform), index)

describe('policy across services', () => {
  it('accepts a service that fits', () => {
    expect(commit('acme', 'api', spec({ replicas: 5 }))).not.toThrow()
  })

  it('counts a new preview against the quota, and a removed one no longer', () => {
    const more = (id: string) => previewChanges('acme', id, { service: 'web', imageTag: 'pr-2', createdBy: 'alice', expiresAt: '2030-01-01T00:00:00Z' }, existing[0]!.spec, platform)
    expect(() => checkPolicy(more('p2'), index)).not.toThrow() // 4 + 1 + 1 pods
    const big = { ...index, allServices: () => [{ ...existing[0]!, spec: spec({ replicas: 9 }) }, existing[1]!] } as unknown as RepoIndex
    expect(() => checkPolicy(more('p2'), big)).toThrow(/need 11 pods \(web 9, web-p1a2b3 \(preview\) 1, web-p2 \(preview\) 1\)/)
    expect(() => checkPolicy(more('p2').set('tenants/acme/previews/web-p1a2b3', null), big)).not.toThrow()
  })

  it.each([
    ['more pods than the quota with the other services and previews', 'acme', spec({ replicas: 6 }), /need 11 pods \(web 4, api 6, web-p1a2b3 \(preview\) 1\) but the tenant quota allows 10/],
    ['an HPA maximum over the quota', 'acme', spec({ autoscaling: { minReplicas: 1, maxReplicas: 8, cpuThreshold: 80 } }), /need 13 pods/],
    ['more CPU than the quota at full scale', 'acme', spec({ replicas: 2, resources: { requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } } }), /request 2500m CPU \(web 4 × 100m, api 2 × 1, web-p1a2b3 \(preview\) 1 × 100m\) but the tenant quota allows 2/],
    ['more memory than the quota', 'acme', spec({ resources: { requests: { cpu: '100m', memory: '4Gi' }, limits: { cpu: '1', memory: '4Gi' } } }), /request 4736Mi memory .* allows 4Gi/],
    ['a host of another tenant', 'acme', spec({ host: 'shop.example.com' }), /host "shop.example.com" of acme\/api is already used by another tenant$/],
    ['a custom domain that is another service\'s host', 'acme', spec({ domains: [{ name: 'shop.example.com' }] }), /already used by another tenant$/],
    ['a host nobody proved', 'acme', spec({ host: 'login.microsoftonline.com' }), /host "login\.microsoftonline\.com" of acme\/api: must be this service's default host acme-api\.apps\.test or a domain this tenant verified/],
    ['another tenant\'s default host', 'beta', spec({ host: 'acme-api.apps.test' }), /host "acme-api\.apps\.test" of beta\/api: must be this service's default host beta-api\.apps\.test/],
    ['another tenant\'s verified domain', 'beta', spec({ host: 'shop.acme.test' }), /host "shop\.acme\.test" of beta\/api: must be/],
    ['another tenant\'s preview host', 'beta', spec({ host: 'web-p1a2b3.acme.preview.apps.test' }), /host "web-p1a2b3\.acme\.preview\.apps\.test" of beta\/api: must be .*; host "web-p1a2b3\.acme\.preview\.apps\.test" of beta\/api is already used by another tenant$/],
    ['a tenant that does not exist', 'gamma', spec(), /tenant "gamma" does not exist/],
  ])('refuses %s', (_, tenant, s, message) => {
    expect(commit(tenant, 'api', s)).toThrow(message)
  })

  it('accepts the default host and a domain the tenant proved; lets a service keep its host; frees the host of a removed one', () => {
    expect(commit('acme', 'api', spec({ host: 'acme-api.apps.test' }))).not.toThrow()
    expect(commit('acme', 'api', spec({ host: 'shop.acme.test' }))).not.toThrow()
    expect(commit('beta', 'shop', spec({ host: 'shop.example.com', replicas: 2 }))).not.toThrow()
    const moved = serviceChanges('acme', 'api', spec({ host: 'shop.example.com' }), platform).set('tenants/beta/services/shop', null)
    expect(() => checkPolicy(moved, { ...index, domainHolder: () => 'acme' } as unknown as RepoIndex)).not.toThrow()
  })

  it('counts preview hosts: a new preview may not answer on a host in use', () => {
    const legacy = { ...index, allServices: () => [...existing, { tenant: 'beta', name: 'old', spec: spec({ host: 'web-p9.acme.preview.apps.test' }) }] } as unknown as RepoIndex
    const preview = previewChanges('acme', 'p9', { service: 'web', imageTag: 'pr-9', createdBy: 'alice', expiresAt: '2030-01-01T00:00:00Z' }, existing[0]!.spec, platform)
    expect(() => checkPolicy(preview, legacy)).toThrow(/host "web-p9\.acme\.preview\.apps\.test" of acme\/web-p9 \(preview\) is already used by another tenant$/)
  })

  it('refuses a service.yaml that does not parse', () => {
    const changes = new Map([['tenants/acme/services/api/service.yaml', 'image: {repository: x}\nport: 70000\n']])
    expect(() => checkPolicy(changes, index)).toThrow(/service\.yaml: image\.tag: .*port: Too big/)
  })
})

describe('Argo CD Application names across tenants', () => {
  const names = (tenantNames: string[], services: [string, string][], previewDirs: [string, string][] = []) => ({
    platform,
    tenant: (t: string) => tenantNames.includes(t) ? tenants.acme : undefined,
    service: (t: string, n: string) => services.some(([st, sn]) => st === t && sn === n) ? { tenant: t, name: n, spec: spec() } : undefined,
    previews: new Map(previewDirs.map(([t, d]) => [t, new Map([[d, {}]])])),
    allServices: () => services.map(([t, n]) => ({ tenant: t, name: n, spec: spec() })),
    allPreviews: () => [],
  }) as unknown as RepoIndex
  const onboard = (tenant: string, name: string, index: RepoIndex) => () => checkPolicy(serviceChanges(tenant, name, spec({ componentType: 'worker' }), platform), index)

  it('refuses a service whose "<tenant>-<service>" another tenant\'s service already is', () => {
    const index = names(['q', 'q-a'], [['q-a', 'b1']])
    expect(onboard('q', 'a-b1', index)).toThrow(/tenants\/q\/services\/a-b1: its Argo CD Application would be named "q-a-b1", the name of another tenant's: choose another name$/)
    // The service's own Application, and one freed in the same commit, are no clash.
    expect(onboard('q-a', 'b1', index)).not.toThrow()
    expect(() => checkPolicy(serviceChanges('q', 'a-b1', spec({ componentType: 'worker' }), platform).set('tenants/q-a/services/b1', null), index)).not.toThrow()
  })

  it('refuses a service named like another tenant\'s tenant or preview Application', () => {
    expect(onboard('tenant', 'x', names(['tenant', 'x'], []))).toThrow(/named "tenant-x", the name of another tenant's/)
    expect(onboard('q', 'preview-web-p1', names(['q'], [], [['q', 'web-p1']]))).toThrow(/named "q-preview-web-p1", the name of tenants\/q\/previews\/web-p1's/)
  })
})
