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
  /** Set by an admin: the person can no longer sign in, and their tokens and sessions stop working. */
  deactivatedAt: text('deactivated_at'),
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

/**
 * Groups a person belongs to, by where they come from: `local` (set by an admin), `github`
 * (`org/team`, learned at sign-in) and `oidc` (the groups claim, learned at sign-in). Tenant
 * roles are derived from these at every request, never stored in a token (AUTH.md).
 */
export const userGroups = sqliteTable('user_groups', {
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  group: text('group').notNull(),
  source: text('source').$type<'local' | 'github' | 'oidc'>().notNull(),
}, t => [primaryKey({ columns: [t.userId, t.source, t.group] })])

/**
 * Signed-in browsers. The sealed session cookie carries a random id; `id` is its SHA-256.
 * A cookie whose row is gone (signed out, revoked, expired, person removed) is signed out.
 */
export const webSessions = sqliteTable('web_sessions', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  userAgent: text('user_agent').notNull().default(''),
  ip: text('ip').notNull().default(''),
}, t => [index('web_sessions_user').on(t.userId)])

/** One-time links to /setup: the first admin (valid until used) and admin invites of local users. */
export const setupTokens = sqliteTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  kind: text('kind').$type<'first-admin' | 'invite'>().notNull(),
  /** The login an invite is for; null lets the first admin choose. */
  login: text('login'),
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  groups: text('groups', { mode: 'json' }).$type<string[]>().notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at'),
  usedAt: text('used_at'),
})

/**
 * The OAuth server's storage (oidc-provider adapter): clients, grants, codes, refresh tokens,
 * sessions and interactions, one row per (model, id). Access tokens are JWTs and not stored.
 * Where the id is a bearer secret (codes, refresh tokens, session ids) `id` is its SHA-256.
 */
export const oauthStore = sqliteTable('oauth_store', {
  model: text('model').notNull(),
  id: text('id').notNull(),
  payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  grantId: text('grant_id'),
  uid: text('uid'),
  userCode: text('user_code'),
  /** Epoch milliseconds; null never expires (registered clients). */
  expiresAt: integer('expires_at'),
  /** Epoch seconds, as oidc-provider reports `consumed`. */
  consumedAt: integer('consumed_at'),
  /** Grants: when one of their access tokens was last accepted (epoch ms, written at most once a minute). */
  usedAt: integer('used_at'),
}, t => [
  primaryKey({ columns: [t.model, t.id] }),
  index('oauth_store_grant').on(t.grantId),
  index('oauth_store_uid').on(t.uid),
  index('oauth_store_expires').on(t.expiresAt),
])

/**
 * Revoked OAuth access tokens (JWTs, valid until they expire) by their `jti`; a row is kept
 * until the token would have expired anyway. A revoked grant needs no rows: its tokens carry
 * its id and are refused once the grant is gone.
 */
export const tokenRevocations = sqliteTable('token_revocations', {
  jti: text('jti').primaryKey(),
  /** Epoch milliseconds: the token's own expiry. */
  expiresAt: integer('expires_at').notNull(),
})

export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** One row per accepted operation, written before the tool answers. */
export const operations = sqliteTable('operations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  workflowName: text('workflow_name').notNull().unique(),
  tenant: text('tenant'),
  /** The incarnation of `tenant` the operation ran for (tenant.yaml `incarnation`; null: none recorded, read as ""). */
  incarnation: text('incarnation'),
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
  /** Runs only after this operation succeeded (e.g. onboarding after its database). */
  afterId: text('after_id'),
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
  /** The incarnation of `tenant` at the decision (as on operations). */
  incarnation: text('incarnation'),
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
  /** Said by people as INC-<number>: per installation, assigned at creation, never reused. */
  number: integer('number').notNull(),
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
  uniqueIndex('incidents_number').on(t.number),
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

/** GitHub webhook deliveries already handled (`X-GitHub-Delivery`): a redelivery does nothing. */
export const githubDeliveries = sqliteTable('github_deliveries', {
  id: text('id').primaryKey(),
  event: text('event').notNull(),
  receivedAt: text('received_at').notNull().default(now),
}, t => [index('github_deliveries_received').on(t.receivedAt)])

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

export type DomainStatus = 'pending' | 'verified' | 'active' | 'failed'

/**
 * Custom domains of services (TOOLS.md "Domains"): registered pending with a challenge token,
 * verified by DNS, active once the add-custom-domain operation committed them. One row per
 * domain and tenant: several tenants may claim a domain while it is pending; the first whose
 * DNS proves it keeps it (verified, then active) and the other claims are dropped.
 */
export const domains = sqliteTable('domains', {
  domain: text('domain').notNull(),
  tenant: text('tenant').notNull(),
  service: text('service').notNull(),
  status: text('status').$type<DomainStatus>().notNull().default('pending'),
  /** The value of the `_mctl-challenge.<domain>` TXT record that proves control. */
  token: text('token').notNull(),
  /** Who registered it: the author of the activation commit. */
  requestedBy: text('requested_by').notNull(),
  requesterName: text('requester_name').notNull(),
  requesterEmail: text('requester_email').notNull(),
  /** The latest activation operation. */
  operationId: text('operation_id'),
  createdAt: text('created_at').notNull().default(now),
  lastCheckedAt: text('last_checked_at'),
  lastError: text('last_error'),
  verifiedAt: text('verified_at'),
  activatedAt: text('activated_at'),
}, t => [primaryKey({ columns: [t.domain, t.tenant] }), index('domains_service').on(t.tenant, t.service)])
export type DomainRow = typeof domains.$inferSelect

/**
 * OpenClaw deployments waiting for their Telegram bot token (mctl_deploy_openclaw): the
 * one-time intake link (only its SHA-256 is kept) and what the onboarding will need.
 */
export const openclawIntakes = sqliteTable('openclaw_intakes', {
  tokenHash: text('token_hash').primaryKey(),
  tenant: text('tenant').notNull(),
  service: text('service').notNull(),
  settings: text('settings', { mode: 'json' }).$type<{ telegramOwnerIds: number[], defaultModel: string, host?: string }>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
  /** Replaced by a newer link (rotated when the token was still missing). */
  revokedAt: text('revoked_at'),
}, t => [index('openclaw_intakes_service').on(t.tenant, t.service, t.createdAt)])
export type OpenclawIntake = typeof openclawIntakes.$inferSelect

export const schema = { users, personalTokens, userGroups, webSessions, setupTokens, oauthStore, tokenRevocations, operations, operationSteps, operationLogs, auditEvents, confirmTokens, incidents, incidentEvents, repositories, githubDeliveries, secrets, domains, openclawIntakes }
export type User = typeof users.$inferSelect
export type PersonalToken = typeof personalTokens.$inferSelect
export type SetupToken = typeof setupTokens.$inferSelect
export type WebSession = typeof webSessions.$inferSelect
export type Operation = typeof operations.$inferSelect
export type OperationStep = typeof operationSteps.$inferSelect
