import { z } from 'zod'
import { and, count, notInArray } from 'drizzle-orm'
import { incidents } from '../../db/schema'
import { defineTool, READ } from '../define'
import { visibleTo } from '../../domain/operations/visibility'

const counts = z.record(z.string(), z.number().int())

export default defineTool({
  name: 'mctl_incident_summary',
  title: 'Incident summary',
  description: 'Exact counts of the active incidents you can see, by status, severity and type.',
  input: z.object({}),
  output: z.object({ total: z.number().int(), byStatus: counts, bySeverity: counts, byType: counts }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/incidents/summary' },
  async handler({ identity, services: { db, index } }) {
    const where = and(notInArray(incidents.status, ['resolved', 'suppressed']), visibleTo(identity, index, incidents.tenant))
    const by = (column: typeof incidents.status | typeof incidents.severity | typeof incidents.type) => Object.fromEntries(
      db.select({ key: column, n: count() }).from(incidents).where(where).groupBy(column).all().map(r => [r.key, r.n]))
    const byStatus = by(incidents.status)
    return {
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      bySeverity: by(incidents.severity),
      byType: by(incidents.type),
    }
  },
})
