import { z } from 'zod'

/** Output pieces of the service read tools. */

export const ArgoCdStatus = z.object({
  syncStatus: z.string().describe('Synced, OutOfSync or Unknown'),
  healthStatus: z.string().describe('Healthy, Progressing, Degraded, Suspended, Missing or Unknown'),
  revision: z.string().nullable().describe('The GitOps commit Argo CD last synced'),
  message: z.string().nullable(),
  reconciledAt: z.string().nullable(),
  outOfSync: z.array(z.string()).describe('`<Kind>/<name>` of the resources whose live state differs from git (changed in the cluster outside git, or not applied yet)'),
})

export const PodView = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int(),
  waitingReason: z.string().nullable().describe('Why a container waits now, e.g. CrashLoopBackOff or ImagePullBackOff'),
  lastTermination: z.object({ reason: z.string().describe('e.g. OOMKilled, Error, Completed'), exitCode: z.number().int(), finishedAt: z.string().nullable() }).nullable(),
  startedAt: z.string().nullable(),
})

const quantities = z.object({ cpu: z.string(), memory: z.string(), pods: z.number().int() })
export const Usage = z.object({
  allocated: quantities.describe('The tenant quota (requests) from tenant.yaml'),
  used: z.object({ cpu: z.string(), memory: z.string() }).describe('Requests in use, from the ResourceQuota status ("Unknown" without a cluster)'),
  percent: z.object({ cpu: z.number().nullable(), memory: z.number().nullable(), pods: z.number().nullable() }).describe('Used share of the enforced quota'),
  pods: z.object({ used: z.number().int().nullable(), hard: z.number().int() }),
  desired: quantities.describe('What the services ask for at full scale (requests × maximum replicas), from GitOps'),
  note: z.string().optional(),
})
