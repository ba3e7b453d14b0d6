import { z } from 'zod'
import { notFound } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { team } from './inputs'
import { Usage } from './schemas'
import { tenantUsage } from '../../domain/services/usage'

export default defineTool({
  name: 'mctl_get_resource_usage',
  title: 'Get resource usage',
  description: 'A tenant\'s quota (CPU, memory, pods) against what is in use and what its services ask for at full scale.',
  input: z.object({ team }),
  output: Usage,
  annotations: READ,
  access: 'member',
  subject: input => ({ tenant: input.team }),
  rest: { method: 'GET', path: '/api/v1/tenants/{team}/usage' },
  async handler({ services }, { team }) {
    if (!services.index.tenant(team)) throw notFound(`Tenant "${team}" not found`)
    return tenantUsage(services, team)
  },
})
