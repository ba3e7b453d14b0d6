import { z } from 'zod'
import { defineTool, READ } from '../define'
import { history } from '../../agent/state'
import { IncidentDetail, incidentRef } from './schemas'
import { findIncident, incidentDetail } from './store'

export default defineTool({
  name: 'mctl_get_incident',
  title: 'Get an incident',
  description: 'Show one incident with its labels, evidence, occurrences, acknowledge/resolve history and what the self-healing agent did: classification, analysis, the proposed fix (branch, pull request, diff, confidence, decision) and its history. Accepts the full id or a prefix of at least 8 characters.',
  input: z.object({ id: incidentRef }),
  output: IncidentDetail,
  annotations: READ,
  access: 'member',
  subject: ({ id }, { services: { db } }) => ({ tenant: findIncident(db, id).tenant ?? undefined }),
  rest: { method: 'GET', path: '/api/v1/incidents/{id}' },
  async handler({ services: { db } }, { id }) {
    const incident = findIncident(db, id)
    return incidentDetail(incident, history(db, incident.id))
  },
})
