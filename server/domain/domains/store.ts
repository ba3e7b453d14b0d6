import { randomBytes } from 'node:crypto'
import { and, eq, inArray, ne } from 'drizzle-orm'
import type { Db } from '../../db'
import { domains, type DomainRow } from '../../db/schema'
import { serviceHost } from '../../gitops/hosts'
import type { RepoIndex } from '../../gitops/state'
import type { Engine } from '../../operations/engine'

/** The name under which the TXT alternative is looked for. */
export const challengeName = (domain: string) => `_mctl-challenge.${domain}`
export const newChallenge = () => `mctl-verify-${randomBytes(16).toString('hex')}`

/** A tenant's claim of a domain. */
export function findDomain(db: Db, domain: string, tenant: string): DomainRow | undefined {
  return db.select().from(domains).where(and(eq(domains.domain, domain), eq(domains.tenant, tenant))).get()
}

/** The claim DNS proved (verified or active): its tenant holds the domain. At most one. */
export function heldClaim(db: Db, domain: string): DomainRow | undefined {
  return db.select().from(domains).where(and(eq(domains.domain, domain), inArray(domains.status, ['verified', 'active']))).get()
}

/** Drops the other tenants' claims of a domain `tenant` has just proven: the first to verify wins. */
export function dropOtherClaims(db: Db, domain: string, tenant: string): string[] {
  return db.delete(domains).where(and(eq(domains.domain, domain), ne(domains.tenant, tenant))).returning({ tenant: domains.tenant }).all().map(r => r.tenant)
}

export function serviceDomains(db: Db, tenant: string, service?: string): DomainRow[] {
  return db.select().from(domains).where(and(eq(domains.tenant, tenant), service ? eq(domains.service, service) : undefined))
    .orderBy(domains.service, domains.domain).all()
}

export function updateDomain(db: Db, row: Pick<DomainRow, 'domain' | 'tenant'>, values: Partial<DomainRow>) {
  return db.update(domains).set(values).where(and(eq(domains.domain, row.domain), eq(domains.tenant, row.tenant))).returning().get()
}

/** The host a custom domain's CNAME must point at: the service's own host. */
export function targetHost(index: RepoIndex, tenant: string, service: string): string | null {
  const entry = index.service(tenant, service)
  return entry ? serviceHost(tenant, service, entry.spec, index.platform) : null
}

/**
 * A `verified` row as its activation's outcome makes it: the operation decides. Pure, so
 * read tools show the right state without writing; the domain checker records it.
 */
export function settle(engine: Engine, row: DomainRow): DomainRow {
  if (row.status !== 'verified' || !row.operationId) return row
  const op = engine.get(row.operationId)
  if (op?.status === 'failed' || op?.status === 'cancelled')
    return { ...row, status: 'failed', lastError: `activation ${op.id} failed: ${op.error ?? op.status}` }
  if (op?.status === 'succeeded')
    return { ...row, status: 'active', activatedAt: row.activatedAt ?? op.finishedAt }
  return row
}

/** A domain as the tools show it (their output schema, tools/domains/schemas.ts, checks the shape). */
export function domainView(row: DomainRow, host: string | null) {
  return {
    domain: row.domain,
    service: row.service,
    status: row.status,
    expectedRecord: host ? { type: 'CNAME' as const, name: row.domain, value: host } : null,
    alternativeRecord: { type: 'TXT' as const, name: challengeName(row.domain), value: row.token },
    lastCheckedAt: row.lastCheckedAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
    operationId: row.operationId,
  }
}

/** A domain written into service.yaml by hand (no registration): it is on the Ingress, so active. */
export function handAddedView(domain: string, service: string, host: string | null) {
  return {
    domain, service, status: 'active' as const,
    expectedRecord: host ? { type: 'CNAME' as const, name: domain, value: host } : null,
    alternativeRecord: null,
    lastCheckedAt: null, lastError: null, createdAt: null, activatedAt: null, operationId: null,
  }
}
