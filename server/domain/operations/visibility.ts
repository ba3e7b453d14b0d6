import { and, eq, inArray, or, sql, type SQL, type Column } from 'drizzle-orm'
import { canSee } from '../../auth/access'
import type { Identity } from '../../auth/identity'
import { incarnationOf } from '../../gitops/specs'
import type { RepoIndex } from '../../gitops/state'

/** The tenants an identity may see (all of them for admins). */
export function visibleTenants(identity: Identity, index: RepoIndex): string[] {
  return [...index.tenants].filter(([, spec]) => canSee(identity, spec)).map(([name]) => name)
}

/**
 * Whether a row recorded for a tenant (an operation, an audit entry) belongs to the tenant of
 * that name as it is now, not to a deleted one whose name was taken again. No incarnation
 * recorded reads as "", as does a tenant.yaml without one.
 */
export function ofCurrentTenant(index: RepoIndex, row: { tenant: string | null, incarnation: string | null }): boolean {
  if (row.tenant === null) return true
  const spec = index.tenant(row.tenant)
  return spec !== undefined && (row.incarnation ?? '') === incarnationOf(spec)
}

/**
 * Lists are filtered to what the caller may see: their tenants and, when `user` is given,
 * their own requests. With `incarnation`, only the rows of each tenant's current incarnation
 * count as the tenant's (a deleted tenant's history stays with it). Admins see everything (no filter).
 */
export function visibleTo(identity: Identity, index: RepoIndex, tenant: Column, user?: Column, incarnation?: Column): SQL | undefined {
  if (identity.isAdmin) return undefined
  const names = visibleTenants(identity, index)
  // Tenant names are DNS labels: "<tenant>/<incarnation>" is unambiguous.
  const current = incarnation && inArray(sql`${tenant} || '/' || coalesce(${incarnation}, '')`, names.map(t => `${t}/${incarnationOf(index.tenant(t))}`))
  const tenants = and(inArray(tenant, names), current)!
  return user ? or(tenants, eq(user, identity.userId)) : tenants
}
