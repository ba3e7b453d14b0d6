import { z } from 'zod'
import { eq } from 'drizzle-orm'
import { incidents } from '../../db/schema'
import { conflict } from '../../utils/errors'
import { defineTool, WRITE_IDEMPOTENT } from '../define'
import { Incident, incidentRef } from '../../domain/incidents/schemas'
import { displayId, findIncident, incidentSubject, incidentView, visibleTo } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_acknowledge_incident',
  title: 'Acknowledge an incident',
  description: 'Acknowledge an incident (someone is on it). Idempotent.',
  input: z.object({ id: incidentRef }),
  output: Incident,
  annotations: WRITE_IDEMPOTENT,
  access: 'member',
  subject: ({ id }, { identity, services: { db, index } }) => incidentSubject(findIncident(db, id, visibleTo(identity, index)), id),
  rest: { method: 'POST', path: '/api/v1/incidents/{id}/acknowledge' },
  async handler({ identity, services: { db, index } }, { id }) {
    const incident = findIncident(db, id, visibleTo(identity, index))
    if (incident.status === 'resolved') throw conflict(`Incident ${displayId(incident)} is already resolved`)
    if (incident.status === 'acknowledged') return incidentView(incident)
    const updated = db.update(incidents).set({ status: 'acknowledged', acknowledgedBy: identity.userId, acknowledgedAt: new Date().toISOString() })
      .where(eq(incidents.id, incident.id)).returning().get()!
    return incidentView(updated)
  },
})
