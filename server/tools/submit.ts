import { isFinished, type SubmitGuard } from '../operations/engine'
import type { Operation } from '../db/schema'
import { authorOf } from '../auth/identity'
import type { ToolContext } from './define'

export interface Submission {
  operation: string
  params: Record<string, unknown>
  tenant?: string
  /** Only for a tenant being created: the incarnation it will have. */
  incarnation?: string
  service?: string
  waitSeconds?: number
  /** Run only after this operation succeeded. */
  after?: string
  /** An operation already doing this, checked atomically with the submission. */
  unless?: SubmitGuard
}

/** The answer of every write: the operation as it stands (at once, or after waiting). */
export function operationResult(op: Operation) {
  return {
    operation_id: op.id,
    workflow_name: op.workflowName,
    status: op.status,
    message: op.status === 'failed' ? `${op.name} failed: ${op.error}` : (op.message ?? op.status),
    ...(op.commitSha ? { commit: op.commitSha } : {}),
    ...(op.error ? { error: op.error } : {}),
    ...(isFinished(op) && op.result ? { result: op.result } : {}),
  }
}

/** Persists the operation (before answering) and optionally waits for its end. */
export async function submitOperation(ctx: ToolContext, s: Submission) {
  return operationResult(await waitFor(ctx, enqueue(ctx, s), s.waitSeconds))
}

/** Persists the operation, requested by the caller; answers before it ran. */
export function enqueue(ctx: ToolContext, s: Omit<Submission, 'waitSeconds'>): Operation {
  const author = authorOf(ctx.identity)
  return ctx.services.engine.submit({
    name: s.operation,
    params: s.params,
    tenant: s.tenant,
    incarnation: s.incarnation,
    service: s.service,
    requester: { id: ctx.identity.userId, name: author.name, email: author.email },
    client: ctx.client,
    after: s.after,
  }, s.unless)
}

export function waitFor(ctx: ToolContext, op: Operation, waitSeconds = 0): Promise<Operation> {
  return ctx.services.engine.wait(op.id, waitSeconds * 1000)
}
