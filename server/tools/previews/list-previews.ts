import { z } from 'zod'
import { serviceName, tenantRef } from '../../gitops/names'
import { errorMessage, notFound } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { NO_CLUSTER } from '../../domain/services/view'
import { previewView } from '../../domain/previews/preview'
import { Preview } from './schemas'

export default defineTool({
  name: 'mctl_list_previews',
  title: 'List preview environments',
  description: 'A tenant\'s preview environments (or one service\'s): id, tag, host, creator, expiry, Argo CD sync and health.',
  input: z.object({
    team: tenantRef('Tenant'),
    service: serviceName('Only previews of this service').optional(),
  }),
  output: z.object({ items: z.array(Preview), count: z.number().int(), note: z.string().optional() }),
  annotations: READ,
  access: 'member',
  subject: ({ team }) => ({ tenant: team }),
  rest: { method: 'GET', path: '/api/v1/tenants/{team}/previews' },
  async handler({ services: { index, cluster } }, { team, service }) {
    if (service && !index.service(team, service) && !index.previewsOf(team).some(p => p.spec.service === service))
      throw notFound(`Service "${team}/${service}" not found`)
    const now = Date.now()
    const views = index.previewsOf(team).filter(p => !service || p.spec.service === service)
      .map(p => previewView(p, index, now)).sort((a, b) => a.service.localeCompare(b.service) || a.expiresAt.localeCompare(b.expiresAt))
    const notes = new Set<string>()
    const items = await Promise.all(views.map(async (v) => {
      if (!cluster) return { ...v, sync: 'Unknown', health: 'Unknown' }
      try {
        const app = await cluster.application(v.application)
        return { ...v, sync: app?.syncStatus ?? 'Unknown', health: app?.healthStatus ?? 'Missing' }
      }
      catch (err) {
        notes.add(errorMessage(err))
        return { ...v, sync: 'Unknown', health: 'Unknown' }
      }
    }))
    if (!cluster && items.length) notes.add(NO_CLUSTER)
    return { items, count: items.length, ...(notes.size ? { note: [...notes].join('; ') } : {}) }
  },
})
