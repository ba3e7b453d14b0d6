import { z } from 'zod'
import { defineTool, READ } from '../define'
import { history } from '../../domain/incidents/state'
import { detailFlag, wantsDetail } from '../schemas'
import { compactIncident, IncidentAnswer, incidentRef } from '../../domain/incidents/schemas'
import { findIncident, incidentDetail, incidentSubject, visibleTo } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_get_incident',
  title: 'Get an incident',
  description: 'One incident: status, the self-healing agent\'s stage and why, and its proposed fix. detail: true adds labels, evidence, analysis, diff and history.',
  input: z.object({ id: incidentRef, detail: detailFlag('labels, evidence, analysis, diff, history') }),
  output: IncidentAnswer,
  annotations: READ,
  access: 'member',
  subject: ({ id }, { identity, services: { db, index } }) => incidentSubject(findIncident(db, id, visibleTo(identity, index)), id),
  rest: { method: 'GET', path: '/api/v1/incidents/{id}' },
  async handler({ identity, services: { db, index }, via }, { id, detail }) {
    const incident = findIncident(db, id, visibleTo(identity, index))
    const full = incidentDetail(incident, history(db, incident.id))
    return wantsDetail(detail, via) ? full : compactIncident(full)
  },
})
