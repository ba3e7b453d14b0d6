import { z } from 'zod'
import { and, desc, eq } from 'drizzle-orm'
import { auditEvents, operations } from '../../db/schema'
import { tenantRef } from '../../gitops/names'
import { defineTool, READ } from '../define'
import { visibleTo } from '../../domain/operations/visibility'

export default defineTool({
  name: 'mctl_list_recent_operations',
  title: 'Recent operations (audit log)',
  description: 'The audit log of writes, newest first: who asked what, via which client, with which parameters (secrets redacted), and the outcome.',
  input: z.object({
    limit: z.number().int().min(1).max(200).default(50).describe('How many entries'),
    tenant: tenantRef('Only entries of this tenant').optional(),
  }),
  output: z.object({
    items: z.array(z.object({
      id: z.string(),
      time: z.string(),
      user: z.string(),
      client: z.string(),
      tool: z.string(),
      operation: z.string().nullable(),
      tenant: z.string().nullable(),
      parameters: z.record(z.string(), z.unknown()),
      workflowName: z.string().nullable(),
      status: z.string().describe('The operation status, or "denied" / "rejected" when no operation ran'),
      commit: z.string().nullable(),
      riskLevel: z.string(),
      message: z.string().nullable(),
    })),
    count: z.number().int(),
  }),
  annotations: READ,
  access: 'authenticated',
  rest: { method: 'GET', path: '/api/v1/audit' },
  async handler({ identity, services: { db, index } }, { limit, tenant }) {
    const rows = db.select().from(auditEvents).leftJoin(operations, eq(operations.id, auditEvents.operationId))
      .where(and(tenant ? eq(auditEvents.tenant, tenant) : undefined, visibleTo(identity, index, auditEvents.tenant, auditEvents.userId, auditEvents.incarnation)))
      .orderBy(desc(auditEvents.time), desc(auditEvents.id)).limit(limit).all()
    const items = rows.map(({ audit_events: a, operations: op }) => ({
      id: a.id,
      time: a.time,
      user: a.userId,
      client: a.client,
      tool: a.tool,
      operation: a.operation,
      tenant: a.tenant,
      parameters: a.params,
      workflowName: op?.workflowName ?? null,
      status: op?.status ?? (a.decision === 'denied' ? 'denied' : a.reason === 'plan requested' ? 'planned' : 'rejected'),
      commit: op?.commitSha ?? null,
      riskLevel: a.riskLevel,
      message: op?.message ?? a.reason,
    }))
    return { items, count: items.length }
  },
})
