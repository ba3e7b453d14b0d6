import { z } from 'zod'
import { and, desc, eq } from 'drizzle-orm'
import { operations } from '../../db/schema'
import { tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { operationStatus } from '../schemas'
import { Workflow } from './schemas'
import { visibleTo } from '../../domain/operations/visibility'
import { workflowView } from '../../domain/operations/view'

export default defineTool({
  name: 'mctl_list_workflows',
  title: 'List workflow runs',
  description: 'Operation runs you can see, newest first, optionally by tenant and status.',
  input: z.object({
    team: tenantRef('Only runs of this tenant').optional(),
    status: operationStatus.optional().describe('Only runs with this status'),
    limit: z.number().int().min(1).max(200).default(50).describe('How many runs'),
  }),
  output: z.object({ items: z.array(Workflow), count: z.number().int() }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/workflows' },
  async handler({ identity, services: { db, index } }, { team, status, limit }) {
    const rows = db.select().from(operations).where(and(
      team ? eq(operations.tenant, team) : undefined,
      status ? eq(operations.status, status) : undefined,
      visibleTo(identity, index, operations.tenant, operations.requestedBy, operations.incarnation),
    )).orderBy(desc(operations.createdAt), desc(operations.id)).limit(limit).all()
    return { items: rows.map(workflowView), count: rows.length }
  },
})
