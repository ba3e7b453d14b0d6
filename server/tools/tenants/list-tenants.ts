import { z } from 'zod'
import { defineTool, READ } from '../define'
import { Tenant } from '../schemas'
import { tenantView } from '../../domain/tenants/view'

export default defineTool({
  name: 'mctl_list_tenants',
  title: 'List tenants',
  description: 'Every tenant with its quotas, members and service count (platform admins only).',
  input: z.object({}),
  output: z.object({ items: z.array(Tenant), count: z.number().int() }),
  annotations: READ,
  access: 'admin',
  rest: { method: 'GET', path: '/api/v1/tenants' },
  async handler({ services: { index } }) {
    const items = [...index.tenants].sort(([a], [b]) => a.localeCompare(b)).map(([name, spec]) => tenantView(name, spec, index))
    return { items, count: items.length }
  },
})
