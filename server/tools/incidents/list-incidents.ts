import { z } from 'zod'
import { and, desc, eq, notInArray } from 'drizzle-orm'
import { incidents } from '../../db/schema'
import { serviceName, tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { visibleTo } from '../../domain/operations/visibility'
import { Incident, incidentStatus } from '../../domain/incidents/schemas'
import { incidentView } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_list_incidents',
  title: 'List incidents',
  description: 'Incidents (from Alertmanager) you can see, newest first; by default only active ones.',
  input: z.object({
    team: tenantRef('Only incidents of this tenant').optional(),
    service: serviceName('Only incidents of this service').optional(),
    status: z.union([z.literal('active'), z.literal('all'), incidentStatus]).default('active')
      .describe('active (not resolved or suppressed), all, or one status: firing, acknowledged, resolved, suppressed'),
    severity: z.string().min(1).max(32).optional().describe('Only this severity, e.g. critical, warning, info'),
    limit: z.number().int().min(1).max(200).default(20).describe('How many incidents'),
  }),
  output: z.object({ items: z.array(Incident), count: z.number().int() }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/incidents' },
  async handler({ identity, services: { db, index } }, { team, service, status, severity, limit }) {
    const rows = db.select().from(incidents).where(and(
      team ? eq(incidents.tenant, team) : undefined,
      service ? eq(incidents.service, service) : undefined,
      status === 'active' ? notInArray(incidents.status, ['resolved', 'suppressed']) : status === 'all' ? undefined : eq(incidents.status, status),
      severity ? eq(incidents.severity, severity) : undefined,
      visibleTo(identity, index, incidents.tenant),
    )).orderBy(desc(incidents.lastSeenAt), desc(incidents.id)).limit(limit).all()
    return { items: rows.map(incidentView), count: rows.length }
  },
})
