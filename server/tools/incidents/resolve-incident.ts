import { z } from 'zod'
import { eq } from 'drizzle-orm'
import { incidents } from '../../db/schema'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { Incident, incidentRef } from '../../domain/incidents/schemas'
import { findIncident, incidentSubject, incidentView, visibleTo } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_resolve_incident',
  title: 'Resolve an incident',
  description: 'Resolve an incident, with the reason. Idempotent.',
  input: z.object({
    id: incidentRef,
    reason: z.string().min(1).max(1000).optional().describe('What fixed it (shown in the incident history)'),
  }),
  output: Incident,
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: ({ id }, { identity, services: { db, index } }) => incidentSubject(findIncident(db, id, visibleTo(identity, index)), id),
  rest: { method: 'POST', path: '/api/v1/incidents/{id}/resolve' },
  async handler({ identity, services: { db, index } }, { id, reason }) {
    const incident = findIncident(db, id, visibleTo(identity, index))
    if (incident.status === 'resolved') return incidentView(incident)
    const updated = db.update(incidents).set({
      status: 'resolved',
      resolvedBy: identity.userId,
      resolvedAt: new Date().toISOString(),
      resolveReason: reason ?? 'Resolved by hand',
    }).where(eq(incidents.id, incident.id)).returning().get()!
    return incidentView(updated)
  },
})
