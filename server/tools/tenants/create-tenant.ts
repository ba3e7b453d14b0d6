import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { newTenantName } from '../../gitops/names'
import { cpuMillis, memoryBytes, CPU_PATTERN, MEMORY_PATTERN } from '../../../shared/utils/quantity'
import { tenantChanges } from '../../gitops/render/tenant'
import { TenantSpec } from '../../gitops/specs'
import { commitStep, syncStep } from '../../operations/steps'
import { defineOperation } from '../../operations/types'
import { forbidden, invalid } from '../../utils/errors'
import { defineTool, WRITE } from '../define'
import { OperationResult, waitSeconds } from '../schemas'
import { submitOperation } from '../submit'
import { nameNotAvailable, ownedTenants, pendingCreations, tenantNameTaken } from '../../domain/tenants/ownership'

const input = z.object({
  tenant_name: newTenantName('Name of the new tenant, also its namespace'),
  display_name: z.string().max(100).optional().describe('Human-friendly name (default: the tenant name)'),
  description: z.string().max(1000).optional().describe('What the tenant is for'),
  contact_email: z.email().optional().describe('Who to contact about this tenant'),
  quota_cpu_req: z.string().regex(new RegExp(CPU_PATTERN), 'must be a CPU quantity such as "2" or "1500m"').optional()
    .describe('CPU requests quota, e.g. "2" or "1500m" (default from mctl.yaml)'),
  quota_memory_req: z.string().regex(new RegExp(MEMORY_PATTERN), 'must be a memory quantity such as "4Gi" or "512Mi"').optional()
    .describe('Memory requests quota, e.g. "4Gi" (default from mctl.yaml)'),
  quota_pods: z.number().int().min(1).optional().describe('Maximum number of pods (default from mctl.yaml)'),
  allow_internet_egress: z.boolean().default(false).describe('Let pods reach the internet'),
  wait_seconds: waitSeconds,
})
/** `incarnation`: drawn when the creation is accepted, so the operation is recorded with it. */
type Params = Omit<z.infer<typeof input>, 'wait_seconds'> & { incarnation?: string }

function tenantSpec(p: Params, owner: string, defaults: TenantSpec['quotas']): TenantSpec {
  return TenantSpec.parse({
    displayName: p.display_name ?? p.tenant_name,
    incarnation: p.incarnation,
    description: p.description ?? '',
    contactEmail: p.contact_email ?? '',
    members: [{ userId: owner, role: 'owner' }],
    groups: [],
    quotas: { cpu: p.quota_cpu_req ?? defaults.cpu, memory: p.quota_memory_req ?? defaults.memory, pods: p.quota_pods ?? defaults.pods },
    networking: { allowInternetEgress: p.allow_internet_egress },
  })
}

export const createTenantOperation = defineOperation<Params>({
  name: 'create-tenant',
  description: 'Create a tenant: namespace, quota, limit range, network policies, RBAC and Argo CD project',
  riskLevel: 'medium',
  steps: [
    commitStep<Params>({
      title: p => ({ verb: 'tenant', subject: p.tenant_name, detail: 'created' }),
      build(p, index, op) {
        if (index.tenant(p.tenant_name)) throw nameNotAvailable(p.tenant_name)
        const spec = tenantSpec(p, op.requestedBy, index.platform.defaultQuotas)
        return tenantChanges(p.tenant_name, spec, index.platform)
      },
    }),
    syncStep,
  ],
  summary: p => `Tenant "${p.tenant_name}" created`,
  bounds: ({ defaultQuotas: d, quotaLimits: max }) => ({
    quota_cpu_req: { default: d.cpu, maximum: max.cpu },
    quota_memory_req: { default: d.memory, maximum: max.memory },
    quota_pods: { default: d.pods, maximum: max.pods },
  }),
})

export default defineTool({
  name: 'mctl_create_tenant',
  title: 'Create a tenant',
  description: 'Create a tenant (a team workspace: namespace, quota, network isolation); you become its owner. A non-admin may own one.',
  input,
  output: OperationResult,
  annotations: WRITE,
  access: 'authenticated',
  subject: input => ({ tenant: input.tenant_name }),
  rest: { method: 'POST', path: '/api/v1/tenants' },
  operation: createTenantOperation,
  async handler(ctx, { wait_seconds, ...params }) {
    const { index, db } = ctx.services
    const name = params.tenant_name
    if (tenantNameTaken(index, db, name)) throw nameNotAvailable(name)

    const limits = index.platform.quotaLimits
    if (params.quota_cpu_req && cpuMillis(params.quota_cpu_req)! > cpuMillis(limits.cpu)!)
      throw invalid(`quota_cpu_req: must be at most ${limits.cpu} (platform limit)`)
    if (params.quota_memory_req && memoryBytes(params.quota_memory_req)! > memoryBytes(limits.memory)!)
      throw invalid(`quota_memory_req: must be at most ${limits.memory} (platform limit)`)
    if (params.quota_pods && params.quota_pods > limits.pods)
      throw invalid(`quota_pods: must be at most ${limits.pods} (platform limit)`)

    if (!ctx.identity.isAdmin) {
      const owned = ownedTenants(ctx.identity.userId, index)
      const creating = pendingCreations(db).filter(p => p.by === ctx.identity.userId).map(p => p.tenant!)
      const max = index.platform.maxTenantsPerUser
      if (owned.length + creating.length >= max)
        throw forbidden(`You already own ${[...owned, ...creating].map(t => `"${t}"`).join(', ')}; a non-admin may own ${max} tenant${max === 1 ? '' : 's'}`)
    }
    const incarnation = randomUUID()
    return submitOperation(ctx, { operation: 'create-tenant', params: { ...params, incarnation }, tenant: name, incarnation, waitSeconds: wait_seconds })
  },
})
