import { eq, inArray, or, type SQL, type Column } from 'drizzle-orm'
import { canSee } from '../../auth/access'
import type { Identity } from '../../auth/identity'
import type { RepoIndex } from '../../gitops/state'

/** Lists are filtered to what the caller may see: their tenants and their own requests. */
export function visibleTo(identity: Identity, index: RepoIndex, tenant: Column, user: Column): SQL | undefined {
  if (identity.isAdmin) return undefined
  const tenants = [...index.tenants].filter(([, spec]) => canSee(identity, spec)).map(([name]) => name)
  return or(inArray(tenant, tenants), eq(user, identity.userId))
}
