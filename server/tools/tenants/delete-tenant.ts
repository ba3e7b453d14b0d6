import { z } from 'zod'
import { tenantRef } from '../../gitops/names'
import { serviceDir, tenantDir } from '../../gitops/state'
import { commitFor, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { notFound } from '../../utils/errors'
import { consumeConfirmation, issueConfirmation } from '../confirm'
import { defineTool, DESTRUCTIVE } from '../define'
import { confirmInput, DestructiveResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'

const input = z.object({
  tenant_name: tenantRef('Tenant to delete'),
  confirm: confirmInput,
  wait_seconds: waitSeconds,
})
type Params = { tenant_name: string }

export const deleteTenantOperation = defineOperation<Params>({
  name: 'delete-tenant',
  description: 'Delete a tenant: retire every service, then remove the tenant folder',
  riskLevel: 'high',
  steps: [
    {
      // One commit per service, each a complete state; removal is idempotent, so a resumed
      // step simply finds less to remove.
      name: 'retire-services',
      async run({ operation: op, params, services: { store, index } }) {
        const retired: string[] = []
        for (const svc of index.servicesOf(params.tenant_name)) {
          const result = await commitFor(op, store, { verb: 'retire', subject: `${params.tenant_name}/${svc.name}`, detail: '(tenant deletion)' },
            () => new Map([[serviceDir(params.tenant_name, svc.name), null]]))
          if (result.changed) retired.push(svc.name)
        }
        return { message: retired.length ? `Retired ${retired.join(', ')}` : 'No services to retire', output: { retired } }
      },
    },
    {
      name: 'remove-tenant',
      async run({ operation: op, params, services: { store } }) {
        const result = await commitFor(op, store, { verb: 'tenant-delete', subject: params.tenant_name },
          () => new Map([[tenantDir(params.tenant_name), null]]))
        return { message: result.changed ? `Removed tenants/${params.tenant_name}` : 'Tenant folder already gone', commit: result.changed ? result.sha : undefined, output: { commit: result.sha } }
      },
    },
    syncStep,
  ],
  summary: p => `Tenant "${p.tenant_name}" deleted`,
})

export default defineTool({
  name: 'mctl_delete_tenant',
  title: 'Delete a tenant',
  description: 'Delete a tenant and everything in it. Runs in two calls: without "confirm" it returns the plan (every service, preview, database and domain that will be removed) and a confirm token; call again with that token to run it.',
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
      const plan = {
        tenant: name,
        services: index.servicesOf(name).map(s => s.name).sort(),
        previews: [] as string[],
        databases: [] as string[],
        domains: index.servicesOf(name).flatMap(s => s.spec.domains.map(d => d.name)).sort(),
      }
      return {
        status: 'confirmation_required' as const,
        message: `Deleting tenant "${name}" removes ${plan.services.length} service(s) and the tenant itself. Call again with "confirm" to proceed.`,
        plan,
        ...issueConfirmation(ctx, args),
      }
    }
    consumeConfirmation(ctx, args, confirm)
    return submitOperation(ctx, { operation: 'delete-tenant', params: args, tenant: name, waitSeconds: wait_seconds })
  },
})
