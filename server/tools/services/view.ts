import type { PlatformSpec } from '../../gitops/specs'
import type { ServiceEntry } from '../../gitops/state'

/** The default public host of a web service (GITOPS.md "Names"). */
export const defaultHost = (tenant: string, service: string, platform: PlatformSpec) =>
  `${tenant}-${service}.${platform.baseDomain}`

export function serviceView(entry: ServiceEntry, platform: PlatformSpec) {
  const { spec } = entry
  return {
    team: entry.tenant,
    name: entry.name,
    imageRepository: spec.image.repository,
    imageTag: spec.image.tag,
    host: spec.componentType === 'web' ? (spec.host ?? defaultHost(entry.tenant, entry.name, platform)) : null,
    port: spec.port,
    componentType: spec.componentType,
    replicas: spec.autoscaling ? null : (spec.replicas ?? 1),
    autoscaling: spec.autoscaling ?? null,
    hasDatabase: spec.database,
    domains: spec.domains.map(d => d.name),
  }
}
