import type { TenantSpec } from '../../gitops/specs'
import type { RepoIndex } from '../../gitops/state'

export function tenantView(name: string, spec: TenantSpec, index: RepoIndex) {
  return {
    name,
    displayName: spec.displayName,
    description: spec.description,
    contactEmail: spec.contactEmail,
    quotas: { cpu: spec.quotas.cpu, memory: spec.quotas.memory, pods: spec.quotas.pods },
    networking: { allowInternetEgress: spec.networking.allowInternetEgress },
    members: spec.members.map(m => ({ userId: m.userId, role: m.role })),
    teams: spec.groups,
    serviceCount: index.services.get(name)?.size ?? 0,
  }
}
