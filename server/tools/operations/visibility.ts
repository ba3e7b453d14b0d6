import { eq, inArray, or, type SQL, type Column } from 'drizzle-orm'
import { canSee } from '../../auth/access'
import type { Identity } from '../../auth/identity'
import type { RepoIndex } from '../../gitops/state'

/** The tenants an identity may see (all of them for admins). */
export function visibleTenants(identity: Identity, index: RepoIndex): string[] {
  return [...index.tenants].filter(([, spec]) => canSee(identity, spec)).map(([name]) => name)
}

/**
 * Lists are filtered to what the caller may see: their tenants and, when `user` is given,
 * their own requests. Admins see everything (no filter).
 */
export function visibleTo(identity: Identity, index: RepoIndex, tenant: Column, user?: Column): SQL | undefined {
  if (identity.isAdmin) return undefined
  const tenants = inArray(tenant, visibleTenants(identity, index))
  return user ? or(tenants, eq(user, identity.userId)) : tenants
}
