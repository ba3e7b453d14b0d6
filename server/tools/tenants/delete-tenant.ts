import { z } from 'zod'
import { tenantRef, tenantSecretPrefix } from '../../gitops/names'
import { tenantDir } from '../../gitops/state'
import { commitFor, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { notFound } from '../../utils/errors'
import { consumeConfirmation, issueConfirmation } from '../confirm'
import { defineTool, DESTRUCTIVE } from '../define'
import { confirmInput, DestructiveResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { databaseRemoval } from '../../gitops/databases'
import { forgetIntakes } from '../../domain/optimization/intake'
import { unregister } from '../../domain/repos/grants'
import { removeDatabasePassword, removeSecrets, retireCommit, retirePlan, unregisterDomains } from '../../domain/services/retire'

const input = z.object({
  tenant_name: tenantRef('Tenant to delete'),
  confirm: confirmInput,
  wait_seconds: waitSeconds,
})
/** `services`: the ones the plan showed, so a resumed run still cleans their secrets. */
type Params = { tenant_name: string, services?: string[], databases?: string[] }

export const deleteTenantOperation = defineOperation<Params>({
  name: 'delete-tenant',
  description: 'Delete a tenant: retire every service, then remove the tenant folder and everything it kept in MCTL',
  riskLevel: 'high',
  steps: [
    {
      // One commit per service, each a complete state, through the same retirement as
      // mctl_retire_service. Removal is idempotent, so a resumed step simply finds less to do.
      name: 'retire-services',
      async run(ctx) {
        const { params, services } = ctx
        const names = [...new Set([...(params.services ?? []), ...services.index.servicesOf(params.tenant_name).map(s => s.name)])].sort()
        const retired: string[] = []
        for (const name of names) {
          const result = await retireCommit(ctx, params.tenant_name, name, '(tenant deletion)')
          await removeSecrets(services.secrets, params.tenant_name, name)
          await removeDatabasePassword(services.secrets, params.tenant_name, name)
          unregisterDomains(services.db, params.tenant_name, name)
          if (result.changed) retired.push(name)
        }
        return { message: retired.length ? `Retired ${retired.join(', ')}` : 'No services to retire', output: { retired } }
      },
    },
    {
      name: 'remove-tenant',
      async run({ operation: op, params, services: { store, secrets, db } }) {
        const tenant = params.tenant_name
        // Databases of apps that were never services go with the tenant too.
        const apps = new Set(params.databases ?? [])
        const result = await commitFor(op, store, { verb: 'tenant-delete', subject: tenant }, (index) => {
          for (const d of index.databasesOf(tenant)) if (d.app) apps.add(d.app)
          return new Map([[tenantDir(tenant), null], ...[...apps].flatMap(app => [...databaseRemoval(tenant, app, index)])])
        })
        // Everything else the tenant left behind goes too, or a later tenant of the same name
        // would inherit it: every secret-store key under mctl/<tenant>/ (database passwords, a
        // bot token saved before its service was onboarded...), intake links, repositories.
        await secrets.removeUnder(tenantSecretPrefix(tenant))
        forgetIntakes(db, tenant)
        unregister(db, tenant)
        unregisterDomains(db, tenant)
        return { message: result.changed ? `Removed tenants/${tenant}` : 'Tenant folder already gone', commit: result.changed ? result.sha : undefined, output: { commit: result.sha } }
      },
    },
    syncStep,
  ],
  summary: p => `Tenant "${p.tenant_name}" deleted`,
})

export default defineTool({
  name: 'mctl_delete_tenant',
  title: 'Delete a tenant',
  description: 'Delete a tenant and everything in it. Two calls: the first returns the plan (all that will be removed) and a confirm token; call again with confirm to run it.',
  input,
  output: DestructiveResult,
  annotations: DESTRUCTIVE,
  access: 'owner',
  subject: input => ({ tenant: input.tenant_name }),
  rest: { method: 'DELETE', path: '/api/v1/tenants/{tenant_name}' },
  operation: deleteTenantOperation,
  async handler(ctx, { confirm, wait_seconds, ...args }) {
    const { index } = ctx.services
    const name = args.tenant_name
    if (!index.tenant(name)) throw notFound(`Tenant "${name}" not found`)
    if (!confirm) {
      const services = await Promise.all(index.servicesOf(name).map(s => retirePlan(ctx.services, name, s.name, true)))
      const plan = {
        tenant: name,
        services: services.map(s => s.service.split('/')[1]!).sort(),
        previews: services.flatMap(s => s.previews).sort(),
        databases: index.databasesOf(name).map(d => d.dbName).sort(),
        domains: services.flatMap(s => s.domains).sort(),
        secrets: services.flatMap(s => s.secrets?.names.length ? [`${s.secrets.key} (${s.secrets.names.join(', ')})`] : []).sort(),
      }
      return {
        status: 'confirmation_required' as const,
        message: `Deleting tenant "${name}" removes ${plan.services.length} service(s) and the tenant itself. Call again with "confirm" to proceed.`,
        plan,
        ...issueConfirmation(ctx, args),
      }
    }
    consumeConfirmation(ctx, args, confirm)
    const services = index.servicesOf(name).map(s => s.name).sort()
    const databases = index.databasesOf(name).flatMap(d => d.app ? [d.app] : []).sort()
    return submitOperation(ctx, { operation: 'delete-tenant', params: { ...args, services, databases }, tenant: name, waitSeconds: wait_seconds })
  },
})
