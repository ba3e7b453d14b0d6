import { z } from 'zod'

/**
 * The agent's durable state of an incident, as mctl_get_incident and the console show it.
 * Stored as JSON columns of `incidents` (db/schema.ts); parsed through these on the way out.
 */

export const STAGES = ['detect', 'analyze', 'propose', 'review', 'apply', 'verify', 'withdraw', 'done'] as const
export const OUTCOMES = ['informational', 'suppressed', 'no-fix', 'duplicate', 'rejected', 'resolved', 'escalated', 'failed'] as const

export const Classification = z.object({
  kind: z.enum(['informational', 'suppressed', 'actionable']),
  reason: z.string().describe('Why it was classified so'),
})

export const SkillVerdict = z.object({
  skill: z.string(),
  source: z.enum(['built-in', 'yaml', 'remote']),
  result: z.enum(['proposed', 'skipped', 'refused', 'reported', 'failed']).describe('proposed a change; skipped (does not apply); refused by policy; reported a finding only; failed'),
  reason: z.string(),
})
export type SkillVerdict = z.infer<typeof SkillVerdict>

export const Analysis = z.object({
  summary: z.string().describe('One line: what the rules found'),
  findings: z.array(z.string()).describe('Facts from the evidence, in words'),
  llm: z.object({ model: z.string(), text: z.string() }).nullable().describe('The language model\'s analysis, when one is configured (it never acts by itself)'),
  llmNote: z.string().nullable().describe('Why there is no language-model analysis'),
  skills: z.array(SkillVerdict).describe('What each skill said about this incident: the answer to "why did the agent not act?"'),
  skillProblems: z.array(z.string()).describe('YAML skill files that could not be used, with the file and field'),
})
export type Analysis = z.infer<typeof Analysis>

export const ProposalState = z.enum(['open', 'approved', 'merged', 'rejected', 'withdrawn', 'failed'])

export const Proposal = z.object({
  skill: z.string(),
  source: z.enum(['built-in', 'yaml', 'remote']),
  title: z.string(),
  reason: z.string().describe('Why this change should fix the incident'),
  confidence: z.number().min(0).max(1),
  patch: z.record(z.string(), z.unknown()).describe('The edit of service.yaml, re-applied on the current head when approved'),
  tenant: z.string(),
  service: z.string(),
  branch: z.string(),
  commit: z.string().nullable(),
  base: z.string().nullable(),
  prUrl: z.string().nullable(),
  prNumber: z.number().int().nullable(),
  diffSummary: z.string().describe('Files and the change in words, e.g. "memory limit 512Mi → 1Gi"'),
  files: z.array(z.object({ path: z.string(), added: z.number().int(), removed: z.number().int() })),
  diff: z.string().describe('Unified diff of the branch against the base (capped)'),
  state: ProposalState,
  operationId: z.string().nullable().describe('The apply-fix operation once approved'),
  mergedCommit: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedVia: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
})
export type Proposal = z.infer<typeof Proposal>

export const HistoryEntry = z.object({
  time: z.string(),
  stage: z.string(),
  actor: z.string(),
  via: z.string(),
  message: z.string(),
})
