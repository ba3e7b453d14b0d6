import { z } from 'zod'
import { eq, or } from 'drizzle-orm'
import type { Db } from '../../db'
import { operations } from '../../db/schema'
import { notFound } from '../../utils/errors'
import { defineTool, READ } from '../define'
import { WorkflowStatus } from './schemas'
import { workflowView } from '../../domain/operations/view'
import { ofCurrentTenant } from '../../domain/operations/visibility'

const find = (db: Db, name: string) =>
  db.select().from(operations).where(or(eq(operations.workflowName, name), eq(operations.id, name))).get()

export default defineTool({
  name: 'mctl_get_workflow_status',
  title: 'Get workflow status',
  description: 'Progress of one operation run: status, steps, log tail, commit and error.',
  input: z.object({ workflow_name: z.string().min(1).max(100).describe('Operation id (op_…) or workflow name (e.g. create-tenant-3f9a1c2e)') }),
  output: WorkflowStatus,
  annotations: READ,
  access: 'member',
  subject: (input, { identity, services: { db, index } }) => {
    const op = find(db, input.workflow_name)
    const unknown = notFound(`Workflow "${input.workflow_name}" not found`)
    // A run of a deleted tenant is not shown to the tenant that took its name: as if there were none.
    if (!op || !(identity.isAdmin || op.requestedBy === identity.userId || ofCurrentTenant(index, op))) throw unknown
    // Nor is a run to someone who may not see its tenant.
    return { tenant: op.tenant ?? undefined, requester: op.requestedBy, unknown }
  },
  rest: { method: 'GET', path: '/api/v1/workflows/{workflow_name}' },
  async handler({ services: { db, engine } }, { workflow_name }) {
    const op = find(db, workflow_name)
    if (!op) throw notFound(`Workflow "${workflow_name}" not found`)
    return {
      ...workflowView(op),
      steps: engine.steps(op.id).map(s => ({ name: s.name, status: s.status, startedAt: s.startedAt, finishedAt: s.finishedAt, message: s.message })),
      log: engine.logTail(op.id).map(l => ({ time: l.time, level: l.level, message: l.message })),
      commit: op.commitSha,
      error: op.error,
      result: op.result,
    }
  },
})
