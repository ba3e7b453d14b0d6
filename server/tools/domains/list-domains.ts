import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { requireService } from '../../domain/services/view'
import { Domain } from './schemas'
import { domainView, handAddedView, serviceDomains, settle, targetHost } from '../../domain/domains/store'

export default defineTool({
  name: 'mctl_list_domains',
  title: 'List custom domains',
  description: 'Custom domains of a tenant\'s services (or one service): status, the DNS record each needs, the last check and error.',
  input: z.object({
    team: tenantRef('Tenant'),
    service: serviceName('Only the domains of this service').optional(),
  }),
  output: z.object({ items: z.array(Domain), count: z.number().int() }),
  annotations: READ,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'GET', path: '/api/v1/tenants/{team}/domains' },
  async handler({ services: { db, engine, index } }, { team, service }) {
    if (service) requireService(index, team, service)
    const rows = serviceDomains(db, team, service).map(r => settle(engine, r))
    const registered = new Set(rows.map(r => r.domain))
    const items = [
      ...rows.map(r => domainView(r, targetHost(index, team, r.service))),
      ...index.servicesOf(team).filter(s => !service || s.name === service).flatMap(s => s.spec.domains
        .filter(d => !registered.has(d.name))
        .map(d => handAddedView(d.name, s.name, targetHost(index, team, s.name)))),
    ].sort((a, b) => a.service.localeCompare(b.service) || a.domain.localeCompare(b.domain))
    return { items, count: items.length }
  },
})
