import { z } from 'zod'
import { defineTool, READ } from '../define'
import { history } from '../../domain/incidents/state'
import { detailFlag, wantsDetail } from '../schemas'
import { compactIncident, IncidentAnswer, incidentRef } from '../../domain/incidents/schemas'
import { findIncident, incidentDetail } from '../../domain/incidents/store'

export default defineTool({
  name: 'mctl_get_incident',
  title: 'Get an incident',
  description: 'Show one incident (INC-<number>, full id or an 8+ character prefix): status, where the self-healing agent is and why, and its proposed fix. detail: true adds labels, evidence, the analysis, the diff and the history.',
  input: z.object({ id: incidentRef, detail: detailFlag('labels, evidence, findings, the proposal\'s diff and branch, the history') }),
  output: IncidentAnswer,
  annotations: READ,
  access: 'member',
  subject: ({ id }, { services: { db } }) => ({ tenant: findIncident(db, id).tenant ?? undefined }),
  rest: { method: 'GET', path: '/api/v1/incidents/{id}' },
  async handler({ services: { db }, via }, { id, detail }) {
    const incident = findIncident(db, id)
    const full = incidentDetail(incident, history(db, incident.id))
    return wantsDetail(detail, via) ? full : compactIncident(full)
  },
})
