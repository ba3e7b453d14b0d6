import { z } from 'zod'
import { Analysis, Classification, HistoryEntry, OUTCOMES, Proposal, STAGES } from './model'

export const incidentStatus = z.enum(['firing', 'acknowledged', 'resolved', 'suppressed'])
export const incidentRef = z.string().min(1).max(32).describe('INC-<number>, or an id prefix of 8+ characters')

export const Incident = z.object({
  id: z.string(),
  number: z.number().int(),
  displayId: z.string().describe('INC-<number>: how people name it'),
  fingerprint: z.string(),
  alertname: z.string(),
  status: incidentStatus,
  severity: z.string(),
  type: z.string().describe('oom, crashloop, probe, latency, errors, cpu, memory, storage, certificate, quota, meta or other'),
  team: z.string().nullable(),
  service: z.string().nullable(),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  generatorUrl: z.string().nullable(),
  startsAt: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolveReason: z.string().nullable(),
  stage: z.enum(STAGES).describe('Where the self-healing agent is: detect, analyze, propose, review (waiting for approval), apply, verify, withdraw, done'),
  stageReason: z.string().nullable().describe('Why the incident is at this stage; for done, why the agent did or did not act'),
  outcome: z.enum(OUTCOMES).nullable().describe('How the agent finished: informational, suppressed, no-fix, duplicate, rejected, resolved, escalated or failed'),
  classification: Classification.nullable(),
  verifyUntil: z.string().nullable().describe('After a fix was applied: when the incident is escalated if the alert still fires'),
})

/** One incident with everything the agent recorded: analysis, proposal and history. */
export const IncidentDetail = Incident.extend({
  analysis: Analysis.nullable(),
  proposal: Proposal.nullable().describe('The proposed fix: branch, pull request, diff summary, confidence and the decision'),
  history: z.array(HistoryEntry).describe('Every stage change and decision, oldest first, with who and where'),
})

/**
 * mctl_get_incident's answer: in full (IncidentDetail), or compact — what the incident is,
 * where the agent is and its proposed fix in one line each, without labels, evidence, the
 * analysis' findings, the diff or the history.
 */
export const IncidentAnswer = IncidentDetail.partial({
  fingerprint: true, labels: true, annotations: true, generatorUrl: true, startsAt: true, evidence: true,
  acknowledgedAt: true, resolvedAt: true, history: true,
}).extend({
  analysis: Analysis.partial().nullable(),
  proposal: Proposal.partial().nullable(),
})

export function compactIncident(full: z.infer<typeof IncidentDetail>): z.infer<typeof IncidentAnswer> {
  const { fingerprint: _f, labels: _l, annotations: _a, generatorUrl: _g, startsAt: _s, evidence: _e, acknowledgedAt: _aa, resolvedAt: _ra, history: _h, analysis, proposal, ...rest } = full
  return {
    ...rest,
    analysis: analysis && { summary: analysis.summary },
    proposal: proposal && { title: proposal.title, state: proposal.state, confidence: proposal.confidence, diffSummary: proposal.diffSummary, prUrl: proposal.prUrl, operationId: proposal.operationId },
  }
}
