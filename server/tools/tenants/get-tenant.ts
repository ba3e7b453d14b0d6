import { z } from 'zod'
import { tenantRef } from '../../gitops/names'
import { notFound } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { Service, Tenant } from '../schemas'
import { Usage } from '../services/schemas'
import { tenantUsage } from '../../domain/services/usage'
import { serviceView } from '../../domain/services/view'
import { tenantView } from '../../domain/tenants/view'

export default defineTool({
  name: 'mctl_get_tenant',
  title: 'Get a tenant',
  description: 'One tenant: settings, members, quotas, services and (with a cluster) quota usage.',
  input: z.object({ name: tenantRef('Tenant name') }),
  output: z.object({ tenant: Tenant, services: z.array(Service), usage: Usage.optional().describe('Quota usage from the cluster (present when a cluster is connected)') }),
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.name }),
  rest: { method: 'GET', path: '/api/v1/tenants/{name}' },
  async handler({ services: all }, { name }) {
    const { index, cluster } = all
    const spec = index.tenant(name)
    if (!spec) throw notFound(`Tenant "${name}" not found`)
    const services = index.servicesOf(name).sort((a, b) => a.name.localeCompare(b.name)).map(s => serviceView(s, index.platform))
    return { tenant: tenantView(name, spec, index), services, ...(cluster ? { usage: await tenantUsage(all, name) } : {}) }
  },
})
