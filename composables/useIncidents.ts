/** Incidents and what the self-healing agent did, as mctl_list_incidents / mctl_get_incident answer. */
export type IncidentStatus = 'firing' | 'acknowledged' | 'resolved' | 'suppressed'

/** What the agent gathered before analysing (server/agent/evidence.ts; the parts the page shows). */
export interface Evidence {
  collectedAt: string
  service: { image: string, replicas: number | null, autoscaling: { minReplicas: number, maxReplicas: number } | null, resources: { requests: { cpu: string, memory: string }, limits: { cpu: string, memory: string } } } | null
  pods: { name: string, phase: string, ready: boolean, restarts: number, waitingReason: string | null, startedAt: string | null }[] | null
  lastTermination: { pod: string, reason: string, exitCode: number, finishedAt: string | null } | null
  argocd: { syncStatus: string, healthStatus: string, revision: string | null, message: string | null } | null
  deploys: { tag: string, image: string, time: string, author: string, commit: string }[]
  logs: { source: string, lines: { timestamp: string, pod: string | null, line: string }[] } | null
  notes: string[]
}

export interface Incident {
  id: string
  number: number
  /** INC-<number>: how people name it. */
  displayId: string
  alertname: string
  status: IncidentStatus
  severity: string
  type: string
  team: string | null
  service: string | null
  summary: string
  labels: Record<string, string>
  annotations: Record<string, string>
  firstSeenAt: string
  lastSeenAt: string
  occurrences: number
  evidence: Evidence | null
  acknowledgedBy: string | null
  acknowledgedAt: string | null
  resolvedBy: string | null
  resolvedAt: string | null
  resolveReason: string | null
  stage: string
  stageReason: string | null
  outcome: string | null
  classification: { kind: 'informational' | 'suppressed' | 'actionable', reason: string } | null
}

export interface Proposal {
  skill: string
  title: string
  reason: string
  confidence: number
  branch: string
  prUrl: string | null
  diffSummary: string
  diff: string
  state: 'open' | 'approved' | 'merged' | 'rejected' | 'withdrawn' | 'failed'
  operationId: string | null
  decidedBy: string | null
  decidedVia: string | null
  decidedAt: string | null
  decisionNote: string | null
}

export interface IncidentDetail extends Incident {
  analysis: {
    summary: string
    findings: string[]
    llm: { model: string, text: string } | null
    llmNote: string | null
    skills: { skill: string, source: string, result: string, reason: string }[]
  } | null
  proposal: Proposal | null
  history: { time: string, stage: string, actor: string, via: string, message: string }[]
}

export const statusColor = { firing: 'error', acknowledged: 'warning', resolved: 'success', suppressed: 'neutral' } as const

/** Acknowledge, resolve, approve or reject: each one REST call, the server's answer back. */
export function useIncidentActions() {
  const api = useApi()
  const path = (id: string, action: string) => `/api/v1/incidents/${encodeURIComponent(id)}/${action}`
  return {
    acknowledge: (id: string) => api<Incident>(path(id, 'acknowledge'), { method: 'POST', body: {} }),
    resolve: (id: string) => api<Incident>(path(id, 'resolve'), { method: 'POST', body: { reason: 'Resolved in the console' } }),
    decide: (id: string, verdict: 'approve' | 'reject') => api<IncidentDetail>(path(id, verdict), { method: 'POST', body: {} }),
  }
}
