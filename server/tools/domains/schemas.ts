import { z } from 'zod'
import { HOST } from '../services/inputs'

/** A custom domain as typed: case and a trailing dot do not matter. */
export const domainName = (description: string) => z.string().trim().toLowerCase().overwrite(s => s.replace(/\.$/, ''))
  .max(253, 'must be at most 253 characters')
  .regex(HOST, 'must be a DNS name such as "shop.example.com" (lowercase letters, digits and "-", at least two labels)')
  .describe(description)

export const domainStatus = z.enum(['pending', 'verified', 'active', 'failed'])

const Record = z.object({ type: z.enum(['CNAME', 'TXT']), name: z.string(), value: z.string() })

export const Domain = z.object({
  domain: z.string(),
  service: z.string(),
  status: domainStatus.describe('pending: waiting for DNS; verified: DNS proven, activation running; active: on the Ingress with a certificate; failed: see lastError'),
  expectedRecord: Record.nullable().describe('The DNS record to create: a CNAME to the service host (null for a worker, which has none)'),
  alternativeRecord: Record.nullable().describe('Or this TXT record, for an apex domain that cannot have a CNAME (null for a domain added by hand in service.yaml)'),
  lastCheckedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  operationId: z.string().nullable().describe('The latest activation operation (mctl_get_workflow_status)'),
})
export type Domain = z.infer<typeof Domain>

export const OperationRef = z.object({ operation_id: z.string(), workflow_name: z.string(), status: z.string() })
