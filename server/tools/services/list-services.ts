import { z } from 'zod'
import { canSee } from '../../auth/access'
import { tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { Service } from '../schemas'
import { serviceView } from './view'

export default defineTool({
  name: 'mctl_list_services',
  title: 'List services',
  description: 'List the services you can see (all for admins), optionally of one team (tenant).',
  input: z.object({ team: tenantRef('Only services of this tenant').optional() }),
  output: z.object({ items: z.array(Service), count: z.number().int() }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/services' },
  async handler({ identity, services: { index } }, { team }) {
    const tenants = (team ? [team] : [...index.services.keys()]).filter(t => canSee(identity, index.tenant(t)))
    const items = tenants.sort().flatMap(t => index.servicesOf(t).sort((a, b) => a.name.localeCompare(b.name)).map(s => serviceView(s, index.platform)))
    return { items, count: items.length }
  },
})
