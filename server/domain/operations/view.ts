import type { Operation } from '../../db/schema'

export function workflowView(op: Operation) {
  return {
    workflowName: op.workflowName,
    operationId: op.id,
    operation: op.name,
    status: op.status,
    team: op.tenant,
    service: op.service,
    user: op.requestedBy,
    client: op.client,
    createdAt: op.createdAt,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    message: op.message,
  }
}
