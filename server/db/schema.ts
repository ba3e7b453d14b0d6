import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`

/** People and automation identities. `id` is the login used in tenant.yaml members. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  email: text('email'),
  provider: text('provider').notNull(), // local | github | oidc
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  passwordHash: text('password_hash'),
  createdAt: text('created_at').notNull().default(now),
  lastSeenAt: text('last_seen_at'),
})

/** Personal access tokens (`mctl_pat_…`); only the SHA-256 of the value is stored. */
export const personalTokens = sqliteTable('personal_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at'),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
}, t => [index('personal_tokens_user').on(t.userId)])

export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One row per accepted operation, written before the tool answers. */
export const operations = sqliteTable('operations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  workflowName: text('workflow_name').notNull().unique(),
  tenant: text('tenant'),
  service: text('service'),
  params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  requestedBy: text('requested_by').notNull(),
  requesterName: text('requester_name').notNull(),
  requesterEmail: text('requester_email').notNull(),
  client: text('client').notNull(),
  engine: text('engine').notNull().default('local'),
  status: text('status').$type<OperationStatus>().notNull().default('queued'),
  message: text('message'),
  error: text('error'),
  result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
  commitSha: text('commit_sha'),
  attempts: integer('attempts').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
  startedAt: text('started_at'),
  finishedAt: text('finished_at'),
}, t => [
  index('operations_status').on(t.status),
  index('operations_tenant').on(t.tenant, t.createdAt),
  index('operations_created').on(t.createdAt),
])

export const operationSteps = sqliteTable('operation_steps', {
  operationId: text('operation_id').notNull().references(() => operations.id, { onDelete: 'cascade' }),
  idx: integer('idx').notNull(),
  name: text('name').notNull(),
  status: text('status').$type<OperationStatus>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  message: text('message'),
  output: text('output', { mode: 'json' }).$type<Record<string, unknown>>(),
  startedAt: text('started_at'),
  finishedAt: text('finished_at'),
}, t => [primaryKey({ columns: [t.operationId, t.idx] })])

export const operationLogs = sqliteTable('operation_logs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  operationId: text('operation_id').notNull().references(() => operations.id, { onDelete: 'cascade' }),
  time: text('time').notNull().default(now),
  level: text('level').notNull().default('info'),
  message: text('message').notNull(),
}, t => [index('operation_logs_op').on(t.operationId, t.id)])

/** Every write decision, allowed or denied (AUTH.md "Access rules"). */
export const auditEvents = sqliteTable('audit_events', {
  id: text('id').primaryKey(),
  time: text('time').notNull().default(now),
  userId: text('user_id').notNull(),
  client: text('client').notNull(),
  sourceIp: text('source_ip'),
  tool: text('tool').notNull(),
  operation: text('operation'),
  operationId: text('operation_id'),
  tenant: text('tenant'),
  params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  decision: text('decision').$type<'allowed' | 'denied'>().notNull(),
  reason: text('reason'),
  riskLevel: text('risk_level').notNull(),
}, t => [index('audit_time').on(t.time), index('audit_tenant').on(t.tenant, t.time)])

/** Single-use confirmation tokens of destructive tools, bound to caller, tool and arguments. */
export const confirmTokens = sqliteTable('confirm_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  tool: text('tool').notNull(),
  argsHash: text('args_hash').notNull(),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
})


export type IncidentStatus = 'firing' | 'acknowledged' | 'resolved' | 'suppressed'

/** Alerts turned into incidents: one per fingerprint while it is not resolved. */
export const incidents = sqliteTable('incidents', {
  id: text('id').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  alertname: text('alertname').notNull(),
  status: text('status').$type<IncidentStatus>().notNull().default('firing'),
  severity: text('severity').notNull(),
  type: text('type').notNull(),
  tenant: text('tenant'),
  service: text('service'),
  summary: text('summary').notNull(),
  labels: text('labels', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  annotations: text('annotations', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  generatorUrl: text('generator_url'),
  startsAt: text('starts_at').notNull(),
  firstSeenAt: text('first_seen_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
  occurrences: integer('occurrences').notNull().default(1),
  evidence: text('evidence', { mode: 'json' }).$type<Record<string, unknown>>(),
  acknowledgedBy: text('acknowledged_by'),
  acknowledgedAt: text('acknowledged_at'),
  resolvedBy: text('resolved_by'),
  resolvedAt: text('resolved_at'),
  resolveReason: text('resolve_reason'),
  // The self-healing agent's durable state (server/agent): where the incident is in
  // detect → analyze → propose → review → apply → verify, and why.
  stage: text('stage').$type<AgentStage>().notNull().default('detect'),
  stageReason: text('stage_reason'),
  outcome: text('outcome').$type<AgentOutcome>(),
  classification: text('classification', { mode: 'json' }).$type<{ kind: 'informational' | 'suppressed' | 'actionable', reason: string }>(),
  analysis: text('analysis', { mode: 'json' }).$type<Record<string, unknown>>(),
  proposal: text('proposal', { mode: 'json' }).$type<Record<string, unknown>>(),
  verifyUntil: text('verify_until'),
  /** Failed tries of the current stage; the agent gives up (outcome failed) after a few. */
  agentAttempts: integer('agent_attempts').notNull().default(0),
  /** Where the incident was posted (Telegram chat and message), to edit it as it moves on. */
  notice: text('notice', { mode: 'json' }).$type<{ chatId: string, messageId: number }>(),
}, t => [
  index('incidents_fingerprint').on(t.fingerprint, t.status),
  index('incidents_tenant').on(t.tenant, t.status),
  index('incidents_seen').on(t.lastSeenAt),
  index('incidents_stage').on(t.stage),
])
export type Incident = typeof incidents.$inferSelect

export type AgentStage = 'detect' | 'analyze' | 'propose' | 'review' | 'apply' | 'verify' | 'withdraw' | 'done'
export type AgentOutcome = 'informational' | 'suppressed' | 'no-fix' | 'duplicate' | 'rejected' | 'resolved' | 'escalated' | 'failed'

/** The agent's history of an incident: every stage change and decision, with who and where. */
export const incidentEvents = sqliteTable('incident_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: text('incident_id').notNull().references(() => incidents.id, { onDelete: 'cascade' }),
  time: text('time').notNull().default(now),
  stage: text('stage').notNull(),
  /** `agent`, `alertmanager`, or the user who decided. */
  actor: text('actor').notNull(),
  /** Where it came from: agent, alertmanager, api, web, telegram. */
  via: text('via').notNull(),
  message: text('message').notNull(),
}, t => [index('incident_events_incident').on(t.incidentId, t.id)])
export type IncidentEvent = typeof incidentEvents.$inferSelect

/** Repositories registered for a tenant through the GitHub App (one row per tenant and repo). */
export const repositories = sqliteTable('repositories', {
  tenant: text('tenant').notNull(),
  fullName: text('full_name').notNull(),
  private: integer('private', { mode: 'boolean' }).notNull(),
  defaultBranch: text('default_branch').notNull(),
  installationId: integer('installation_id').notNull(),
  service: text('service'),
  registeredBy: text('registered_by').notNull(),
  registeredAt: text('registered_at').notNull().default(now),
}, t => [primaryKey({ columns: [t.tenant, t.fullName] })])
export type Repository = typeof repositories.$inferSelect

/**
 * The embedded secret store (used when Vault is not configured): one row per store key
 * (`mctl/<tenant>/<service>`), its variables as JSON sealed with AES-256-GCM under the key in
 * `<dataDir>/secret.key`; the store key is the additional authenticated data, so a row cannot
 * be moved to another service.
 */
export const secrets = sqliteTable('secrets', {
  key: text('key').primaryKey(),
  nonce: blob('nonce', { mode: 'buffer' }).notNull(),
  sealed: blob('sealed', { mode: 'buffer' }).notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: text('updated_at').notNull().default(now),
})

export const schema = { users, personalTokens, operations, operationSteps, operationLogs, auditEvents, confirmTokens, incidents, incidentEvents, repositories, secrets }
export type User = typeof users.$inferSelect
export type Operation = typeof operations.$inferSelect
export type OperationStep = typeof operationSteps.$inferSelect
