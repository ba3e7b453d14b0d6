import { z } from 'zod'
import { defineTool, READ } from '../define'
import { history } from '../../domain/incidents/state'
import { detailFlag, wantsDetail } from '../schemas'
import { compactIncident, IncidentAnswer, incidentRef } from '../../domain/incidents/schemas'
import { findIncident, incidentDetail, incidentSubject } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_get_incident',
  title: 'Get an incident',
  description: 'One incident: status, the self-healing agent\'s stage and why, and its proposed fix. detail: true adds labels, evidence, analysis, diff and history.',
  input: z.object({ id: incidentRef, detail: detailFlag('labels, evidence, analysis, diff, history') }),
  output: IncidentAnswer,
  annotations: READ,
  access: 'member',
  subject: ({ id }, { services: { db } }) => incidentSubject(findIncident(db, id), id),
  rest: { method: 'GET', path: '/api/v1/incidents/{id}' },
  async handler({ services: { db }, via }, { id, detail }) {
    const incident = findIncident(db, id)
    const full = incidentDetail(incident, history(db, incident.id))
    return wantsDetail(detail, via) ? full : compactIncident(full)
  },
})
