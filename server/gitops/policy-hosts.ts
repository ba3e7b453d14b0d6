import { hostsOf, serviceHost } from './hosts'
import { defaultHost } from './names'
import { previewHost } from './render/preview'
import type { PreviewEntry, RepoIndex, ServiceEntry } from './state'

const key = (s: { tenant: string, name: string }) => `${s.tenant}/${s.name}`

/** A preview's host, from its name `<service>-<id>`. */
const hostOfPreview = (p: PreviewEntry, baseDomain: string) =>
  previewHost(p.tenant, p.spec.service, p.name.slice(p.spec.service.length + 1), baseDomain)

/**
 * Why a service may not take `host` as its public host, or null. A host written through MCTL
 * is the service's default host, a custom domain its tenant proved by DNS (the domain store,
 * or on the Ingress of one of its services), or the host it already had: never a name of
 * another tenant, another tenant's default or preview host, or a domain nobody proved.
 */
export function hostProblem(tenant: string, service: string, host: string, index: RepoIndex): string | null {
  const own = defaultHost(tenant, service, index.platform.baseDomain)
  if (host === own) return null
  const services = [...index.allServices()]
  const before = services.find(s => s.tenant === tenant && s.name === service)
  if (before && serviceHost(tenant, service, before.spec, index.platform) === host) return null
  if (index.domainHolder(host) === tenant) return null
  if (services.some(s => s.tenant === tenant && s.spec.domains.some(d => d.name === host))) return null
  return `must be this service's default host ${own} or a domain this tenant verified (mctl_add_custom_domain, then DNS proves it: mctl_verify_domain)`
}

/** Another tenant's services are not named to whoever asked: they may not know that tenant exists. */
const sameTenant = (a: string, b: string) => a.split('/')[0] === b.split('/')[0]

/**
 * GITOPS.md "Policy before commit", hosts: the host of each changed service must be one it may
 * take (hostProblem), and a name answers for one service or preview across all tenants.
 * `after` and `previewsAfter` are every service and preview as they will be after the commit.
 */
export function hostViolations(changed: ServiceEntry[], changedPreviews: PreviewEntry[], after: ServiceEntry[], previewsAfter: PreviewEntry[], index: RepoIndex): string[] {
  const problems: string[] = []
  const base = index.platform.baseDomain
  const isChanged = new Set(changed.map(key))
  const isChangedPreview = new Set(changedPreviews.map(key))
  const owners = new Map<string, string>()
  for (const s of after.filter(s => !isChanged.has(key(s)))) {
    for (const host of hostsOf(s.tenant, s.name, s.spec, index.platform)) owners.set(host, key(s))
  }
  for (const p of previewsAfter.filter(p => !isChangedPreview.has(key(p)))) owners.set(hostOfPreview(p, base), `${key(p)} (preview)`)
  const claim = (host: string, who: string) => {
    const owner = owners.get(host)
    if (owner && owner !== who) problems.push(`host "${host}" of ${who} is already used by ${sameTenant(owner, who) ? owner : 'another tenant'}`)
    owners.set(host, who)
  }
  for (const s of changed) {
    const problem = s.spec.componentType === 'web' && s.spec.host ? hostProblem(s.tenant, s.name, s.spec.host, index) : null
    if (problem) problems.push(`host "${s.spec.host}" of ${key(s)}: ${problem}`)
    for (const host of hostsOf(s.tenant, s.name, s.spec, index.platform)) claim(host, key(s))
  }
  for (const p of changedPreviews) claim(hostOfPreview(p, base), `${key(p)} (preview)`)
  return problems
}
