import { z } from 'zod'

/** Output and input pieces several tools share. */

export const waitSeconds = z.number().int().min(0).max(25).default(0)
  .describe('Seconds to wait for the operation to finish; 0 answers at once')

export const operationStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])

export const OperationResult = z.object({
  operation_id: z.string().describe('Operation id (op_…); mctl_get_workflow_status shows progress'),
  workflow_name: z.string().describe('Workflow name, <operation>-<8 hex>'),
  status: operationStatus,
  message: z.string(),
  commit: z.string().optional().describe('The GitOps commit, once made'),
  error: z.string().optional(),
  result: z.record(z.string(), z.unknown()).optional(),
})

/** Destructive tools answer a plan and a confirm token first, the operation second. */
export const DestructiveResult = OperationResult.partial().extend({
  status: z.enum(['confirmation_required', ...operationStatus.options]),
  message: z.string(),
  plan: z.record(z.string(), z.unknown()).optional().describe('Exactly what will be removed'),
  confirm: z.string().optional().describe('Pass as "confirm" within 5 minutes to run the plan'),
  expires_at: z.string().optional(),
})

export const confirmInput = z.string().optional()
  .describe('The first call\'s confirm token; omit it to get the plan')

export const Quotas = z.object({ cpu: z.string(), memory: z.string(), pods: z.number().int() })

export const Tenant = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  contactEmail: z.string(),
  quotas: Quotas,
  networking: z.object({ allowInternetEgress: z.boolean() }),
  members: z.array(z.object({ userId: z.string(), role: z.enum(['owner', 'member']) })),
  teams: z.array(z.string()).describe('IdP groups or teams whose members belong to the tenant'),
  serviceCount: z.number().int(),
})

export const Service = z.object({
  team: z.string(),
  name: z.string(),
  imageRepository: z.string(),
  imageTag: z.string(),
  host: z.string().nullable().describe('Public host (web components); null for workers'),
  port: z.number().int(),
  componentType: z.enum(['web', 'worker']),
  replicas: z.number().int().nullable().describe('Fixed replica count, or null when autoscaling'),
  autoscaling: z.object({ minReplicas: z.number().int(), maxReplicas: z.number().int(), cpuThreshold: z.number().int() }).nullable(),
  hasDatabase: z.boolean(),
  domains: z.array(z.string()),
})

/**
 * The `detail` flag of the tools that answer compactly by default over MCP (where every byte
 * is a token the model pays for) and in full over REST (the console shows everything).
 */
export const detailFlag = (full: string) => z.boolean().optional().describe(`true: the full answer (${full}); default over MCP: compact`)

/** Whether a call asked for (or, over REST, gets by default) the full answer. */
export const wantsDetail = (detail: boolean | undefined, via: 'mcp' | undefined) => detail ?? via !== 'mcp'
