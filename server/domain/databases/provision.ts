import { randomBytes } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { SecretStore } from '../../adapters/secrets'
import { operations } from '../../db/schema'
import { databaseChanges, databaseSecretKey, databaseSecretName } from '../../gitops/databases'
import { serviceChanges } from '../../gitops/render/service'
import type { Changes } from '../../gitops/repo'
import type { RepoIndex } from '../../gitops/state'
import type { SubmitGuard } from '../../operations/engine'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { conflict, notFound } from '../../utils/errors'

export interface ProvisionParams { team_name: string, app_name: string }

/** Refuses a database that exists (a new one takes names no other database holds). */
export function checkProvisionable(index: RepoIndex, tenant: string, app: string) {
  if (!index.tenant(tenant)) throw notFound(`Tenant "${tenant}" not found`)
  const existing = index.database(tenant, app)
  if (existing) throw conflict(`Database of "${tenant}/${app}" already exists (${existing.dbName})`)
}

/**
 * The generated password, kept if one is already stored (a retried provisioning must not
 * rotate what a running app uses). Never returned, logged or committed.
 */
export async function ensureDatabasePassword(secrets: SecretStore, tenant: string, app: string) {
  const key = databaseSecretKey(tenant, app)
  if ((await secrets.names(key)).includes('password')) return
  await secrets.merge(key, { password: randomBytes(24).toString('base64url') })
}

/** The database's files and, when the app is an onboarded service, its pods reading the secret. */
export function provisionChanges(index: RepoIndex, tenant: string, app: string): Changes {
  const changes = databaseChanges(tenant, app, index)
  const service = index.service(tenant, app)
  if (service && !service.spec.database) {
    for (const [path, content] of serviceChanges(tenant, app, { ...service.spec, database: true }, index.platform)) changes.set(path, content)
  }
  return changes
}

export const provisionInFlight = (tenant: string, app: string): SubmitGuard => tx => tx.select().from(operations).where(and(
  eq(operations.name, 'provision-database'),
  eq(operations.tenant, tenant),
  inArray(operations.status, ['queued', 'running']),
  sql`json_extract(${operations.params}, '$.app_name') = ${app}`,
)).get()

export const provisionOperation = defineOperation<ProvisionParams>({
  name: 'provision-database',
  description: 'Provision a PostgreSQL database on the shared CloudNativePG cluster: managed role, Database object and the ExternalSecrets giving the app its connection variables, in one commit',
  riskLevel: 'medium',
  steps: [
    commitStep<ProvisionParams>({
      title: (p, index) => ({ verb: 'database', subject: `${p.team_name}/${p.app_name}`, detail: index.database(p.team_name, p.app_name)?.dbName }),
      build(p, index) {
        checkProvisionable(index, p.team_name, p.app_name)
        return provisionChanges(index, p.team_name, p.app_name)
      },
      output: (p, index) => ({ database: index.database(p.team_name, p.app_name)?.dbName }),
    }),
    syncStep,
  ],
  summary: (p, outputs) => `Database ${outputs.database} provisioned for "${p.team_name}/${p.app_name}": the app reads DATABASE_URL, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME from the secret "${databaseSecretName(p.app_name)}"`,
})
