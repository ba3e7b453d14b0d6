import type { RepoIndex } from '../../gitops/state'

/** Tenants in which `userId` is listed as owner. */
export function ownedTenants(userId: string, index: RepoIndex): string[] {
  return [...index.tenants].filter(([, t]) => t.members.some(m => m.userId === userId && m.role === 'owner')).map(([n]) => n)
}
