import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db'
import { operations } from '../../db/schema'
import type { RepoIndex } from '../../gitops/state'
import { conflict } from '../../utils/errors'

/** Tenants in which `userId` is listed as owner. */
export function ownedTenants(userId: string, index: RepoIndex): string[] {
  return [...index.tenants].filter(([, t]) => t.members.some(m => m.userId === userId && m.role === 'owner')).map(([n]) => n)
}

/** The create-tenant operations not finished yet: each holds its name and counts for its requester. */
export function pendingCreations(db: Db) {
  return db.select({ id: operations.id, by: operations.requestedBy, tenant: operations.tenant }).from(operations)
    .where(and(eq(operations.name, 'create-tenant'), inArray(operations.status, ['queued', 'running']))).all()
}

/** Whether a tenant of that name exists or is being created. */
export function tenantNameTaken(index: RepoIndex, db: Db, name: string): boolean {
  return index.tenant(name) !== undefined || pendingCreations(db).some(p => p.tenant === name)
}

/**
 * A taken name is the one thing a refusal may say about a tenant someone may not see: it is
 * unavoidable, so it says only that, not whose it is nor how far along it is.
 */
export const nameNotAvailable = (name: string) => conflict(`Tenant name "${name}" is not available: choose another name`)
