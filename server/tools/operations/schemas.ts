import { z } from 'zod'
import { operationStatus } from '../schemas'

export const Operation = z.object({
  name: z.string(),
  description: z.string(),
  riskLevel: z.enum(['low', 'medium', 'high']),
  requiresConfirm: z.boolean(),
  engine: z.string(),
  tool: z.string().describe('The tool that runs it'),
  parameters: z.array(z.object({
    name: z.string(),
    type: z.string(),
    required: z.boolean(),
    description: z.string().optional(),
    default: z.unknown().optional(),
    pattern: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
    minimum: z.unknown().optional().describe('Smallest value allowed (a number, or a quantity such as "500m")'),
    maximum: z.unknown().optional().describe('Largest value allowed: for quotas, the platform limit from mctl.yaml'),
    secret: z.boolean(),
  })),
})

/** An operation as mctl_list_operations answers by default over MCP: what it is, without its parameters. */
export const OperationListed = Operation.partial({ engine: true, parameters: true })

export const Workflow = z.object({
  workflowName: z.string(),
  operationId: z.string(),
  operation: z.string(),
  status: operationStatus,
  team: z.string().nullable(),
  service: z.string().nullable(),
  user: z.string(),
  client: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  message: z.string().nullable(),
})

/** One run in full (mctl_get_workflow_status, and each event of its live stream). */
export const WorkflowStatus = Workflow.extend({
  steps: z.array(z.object({ name: z.string(), status: operationStatus, startedAt: z.string().nullable(), finishedAt: z.string().nullable(), message: z.string().nullable() })),
  log: z.array(z.object({ time: z.string(), level: z.string(), message: z.string() })),
  commit: z.string().nullable(),
  error: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
})
