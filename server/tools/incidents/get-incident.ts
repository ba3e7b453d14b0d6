import { z } from 'zod'
import { defineTool, READ } from '../define'
import { Incident, incidentRef } from './schemas'
import { findIncident, incidentView } from './store'

export default defineTool({
  name: 'mctl_get_incident',
  title: 'Get an incident',
  description: 'Show one incident with its labels, evidence, occurrences and acknowledge/resolve history. Accepts the full id or a prefix of at least 8 characters.',
  input: z.object({ id: incidentRef }),
  output: Incident,
  annotations: READ,
  access: 'member',
  subject: ({ id }, { services: { db } }) => ({ tenant: findIncident(db, id).tenant ?? undefined }),
  rest: { method: 'GET', path: '/api/v1/incidents/{id}' },
  async handler({ services: { db } }, { id }) {
    return incidentView(findIncident(db, id))
  },
})
