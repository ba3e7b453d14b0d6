import { dirname } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { parse } from 'yaml'
import type { SecretStore } from '../../adapters/secrets'
import type { Db } from '../../db'
import { domains } from '../../db/schema'
import { databaseRemoval, databaseSecretKey } from '../../gitops/databases'
import { hostsOf } from '../../gitops/hosts'
import { secretStoreKey } from '../../gitops/names'
import type { Changes, GitRepo } from '../../gitops/repo'
import { type RepoIndex, serviceDir, tenantDir } from '../../gitops/state'
import type { WriteResult } from '../../gitops/store'
import { commitFor } from '../../operations/steps'
import type { StepContext } from '../../operations/types'
import { requireService } from './view'

/** Preview folders of a service: `previews/<service>-<id>/preview.yaml` naming it as `service`. */
async function previewDirs(repo: GitRepo, rev: string | null, tenant: string, service: string): Promise<string[]> {
  if (!rev) return []
  const specs = (await repo.listFiles(rev, `${tenantDir(tenant)}/previews`)).filter(f => f.endsWith('/preview.yaml'))
  const texts = await repo.readFiles(rev, specs)
  const named = (f: string) => {
    try { return (parse(texts.get(f) ?? '') as { service?: string } | null)?.service === service }
    catch { return false }
  }
  return specs.filter(named).map(f => dirname(f)).sort()
}

/** Everything a retirement removes from the repository; removing what is already gone is a no-op. */
async function retireChanges(repo: GitRepo, index: RepoIndex, tenant: string, service: string): Promise<Changes> {
  return new Map<string, string | null>([
    [serviceDir(tenant, service), null],
    ...(await previewDirs(repo, index.sha, tenant, service)).map(d => [d, null] as [string, null]),
    ...databaseRemoval(tenant, service, index),
  ])
}

/** What mctl_retire_service and mctl_delete_tenant show before they remove a service. */
export async function retirePlan(services: { index: RepoIndex, repo: GitRepo, secrets: SecretStore, db: Db }, tenant: string, service: string, deleteSecrets: boolean) {
  const { index, repo, secrets, db } = services
  const spec = requireService(index, tenant, service)
  const rev = index.sha
  const files = rev ? await repo.listFiles(rev, serviceDir(tenant, service)) : []
  const previews = await previewDirs(repo, rev, tenant, service)
  const database = index.database(tenant, service)
  const registered = db.select({ domain: domains.domain }).from(domains).where(and(eq(domains.tenant, tenant), eq(domains.service, service))).all()
  return {
    service: `${tenant}/${service}`,
    files,
    previews: previews.map(d => d.split('/').pop()!),
    hosts: hostsOf(tenant, service, spec, index.platform),
    domains: [...new Set([...spec.domains.map(d => d.name), ...registered.map(r => r.domain)])].sort(),
    database: database ? { file: database.path, name: database.dbName, role: database.owner || database.dbName, note: 'the database is dropped with its data and its role removed' } : null,
    secrets: deleteSecrets ? { store: secrets.kind, key: secretStoreKey(tenant, service), names: await secrets.names(secretStoreKey(tenant, service)) } : null,
  }
}

/**
 * The retirement commit of one service. Used by mctl_retire_service and by the tenant
 * deletion, so both remove the same things. Idempotent: run again, it finds nothing to do.
 */
export function retireCommit(ctx: StepContext<unknown>, tenant: string, service: string, detail?: string): Promise<WriteResult> {
  const { store, repo } = ctx.services
  return commitFor(ctx.operation, store, { verb: 'retire', subject: `${tenant}/${service}`, detail },
    index => retireChanges(repo, index, tenant, service))
}

/** After the commit: the service's secret values leave the store (missing is fine). */
export async function removeSecrets(secrets: SecretStore, tenant: string, service: string) {
  await secrets.remove(secretStoreKey(tenant, service))
}

/** After the commit: its database's password (the role is gone, so it opens nothing). */
export async function removeDatabasePassword(secrets: SecretStore, tenant: string, app: string) {
  await secrets.remove(databaseSecretKey(tenant, app))
}

/** After the commit: the service's custom-domain registrations (the Ingress that served them is gone). */
export function unregisterDomains(db: Db, tenant: string, service?: string) {
  return db.delete(domains).where(and(eq(domains.tenant, tenant), service ? eq(domains.service, service) : undefined)).returning({ domain: domains.domain }).all().map(r => r.domain)
}
