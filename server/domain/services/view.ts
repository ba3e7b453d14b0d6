import { serviceHost } from '../../gitops/hosts'
import type { PlatformSpec, ServiceSpec } from '../../gitops/specs'
import type { RepoIndex, ServiceEntry } from '../../gitops/state'
import { conflict, notFound } from '../../utils/errors'

/** What live-state answers say without a cluster (NUXT_CLUSTER_* unset). */
export const NO_CLUSTER = 'no cluster connected'

/** The current spec of a service, checking it exists (or, for onboarding, that it does not). */
export function existingService(index: RepoIndex, tenant: string, name: string, expect: 'present' | 'absent' = 'present'): ServiceSpec | undefined {
  if (!index.tenant(tenant)) throw notFound(`Tenant "${tenant}" not found`)
  const entry = index.service(tenant, name)
  if (expect === 'absent' && entry)
    throw conflict(`Service "${tenant}/${name}" already exists: use action "deploy" to roll out a new tag or "update-config" to change its configuration`)
  if (expect === 'present' && !entry)
    throw notFound(`Service "${tenant}/${name}" not found: onboard it first (mctl_deploy_service with action "onboard")`)
  return entry?.spec
}

export function serviceView(entry: ServiceEntry, platform: PlatformSpec) {
  const { spec } = entry
  return {
    team: entry.tenant,
    name: entry.name,
    imageRepository: spec.image.repository,
    imageTag: spec.image.tag,
    host: serviceHost(entry.tenant, entry.name, spec, platform),
    port: spec.port,
    componentType: spec.componentType,
    replicas: spec.autoscaling ? null : (spec.replicas ?? 1),
    autoscaling: spec.autoscaling ?? null,
    hasDatabase: spec.database,
    domains: spec.domains.map(d => d.name),
  }
}

export const requireService = (index: RepoIndex, tenant: string, name: string): ServiceSpec => existingService(index, tenant, name)!
