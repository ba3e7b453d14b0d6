import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { authorize, requireWrite } from '../auth/access'
import { authorOf, type Identity } from '../auth/identity'
import { auditEvents, incidents, operations, type Incident, type Operation } from '../db/schema'
import type { Services } from '../services'
import { displayId, findIncident } from '../tools/incidents/store'
import { conflict, errorMessage, forbidden } from '../utils/errors'
import type { ApplyParams } from './apply'
import { update } from './notify'
import { proposalOf, transition, withProposal } from './state'

export type Verdict = 'approve' | 'reject'

/** Who decided and where: the audit fields of AUTH.md ("user, client, source IP and reason"). */
export interface Decider {
  identity: Identity
  /** api, web, telegram, … */
  client: string
  ip?: string
  /** Where exactly (e.g. the Telegram chat), kept in the audit parameters. */
  place?: Record<string, string>
}

/**
 * Approve or reject an incident's proposal: tenant owner or admin, only while it waits for
 * review. The stage moves with a compare-and-set, so two approvals (a double tap, the console
 * and Telegram at once) apply it once; every decision, allowed or denied, is audited.
 */
export function decide(services: Services, ref: string, verdict: Verdict, who: Decider, note?: string): Incident {
  const { db, index } = services
  const incident = findIncident(db, ref)
  const audit = (decision: 'allowed' | 'denied', reason?: string, operationId?: string) =>
    auditDecision(services, incident, verdict, { userId: who.identity.userId, client: who.client, ip: who.ip, place: { ...who.place, ...(note ? { note } : {}) } }, decision, reason, operationId)

  try {
    requireWrite(who.identity, 'approving or rejecting a fix')
    if (!incident.tenant && !who.identity.isAdmin) throw forbidden('Only an admin may decide on an incident that belongs to no tenant')
    authorize(who.identity, 'owner', incident.tenant ? { tenant: incident.tenant, spec: index.tenant(incident.tenant) } : {})
  }
  catch (err) {
    audit('denied', errorMessage(err))
    throw err
  }

  const proposal = proposalOf(incident)
  const by = { actor: who.identity.userId, via: who.client }
  const decided = { decidedBy: who.identity.userId, decidedVia: who.client, decidedAt: new Date().toISOString(), decisionNote: note ?? null }
  let row: Incident | null = null
  let op: Operation | undefined
  if (incident.stage === 'review' && proposal) {
    if (verdict === 'reject') {
      const reason = `Rejected by ${who.identity.userId} via ${who.client}${note ? `: ${note}` : ''}`
      row = transition(db, incident, 'withdraw', reason, { outcome: 'rejected', proposal: withProposal(incident, { state: 'rejected', ...decided }) }, by)
    }
    else {
      // Synchronous from here: the stage change and the operation land together.
      row = transition(db, incident, 'apply', `Approved by ${who.identity.userId} via ${who.client}; ${proposal.commit ? `merging ${proposal.branch}` : 'asking Argo CD to sync'}`, {
        proposal: withProposal(incident, { state: 'approved', ...decided }),
        // Approving is taking it on: the incident counts as acknowledged by whoever did.
        ...(incident.status === 'firing' ? { status: 'acknowledged', acknowledgedBy: who.identity.userId, acknowledgedAt: decided.decidedAt } : {}),
      }, by)
      if (row) {
        op = submitApply(services, row, who)
        row = db.update(incidents).set({ proposal: withProposal(row, { operationId: op.id }) }).where(eq(incidents.id, row.id)).returning().get()!
      }
    }
  }
  if (!row) {
    const p = proposalOf(incident)
    const why = p?.decidedBy ? `it was already ${p.state} by ${p.decidedBy} via ${p.decidedVia}` : `its stage is ${incident.stage}`
    const err = conflict(`Incident ${displayId(incident)} has no fix waiting for review: ${why}`)
    audit('allowed', `failed: ${err.message}`)
    throw err
  }
  audit('allowed', verdict === 'reject' ? (note ?? 'rejected') : undefined, op?.id)
  void update(services, row, verdict === 'approve' ? `✅ Approved by ${who.identity.userId} via ${who.client}: merging` : `❌ ${row.stageReason}`)
  void services.agent.kick()
  return row
}

/** One audit row per decision, allowed or denied (also for callers MCTL cannot map to a user). */
export function auditDecision(services: Services, incident: Incident, verdict: Verdict, who: { userId: string, client: string, ip?: string, place?: Record<string, string> }, decision: 'allowed' | 'denied', reason?: string, operationId?: string) {
  services.db.insert(auditEvents).values({
    id: randomUUID(),
    userId: who.userId,
    client: who.client,
    sourceIp: who.ip,
    tool: `incident.${verdict}`,
    operation: verdict === 'approve' ? 'apply-fix' : null,
    operationId,
    tenant: incident.tenant,
    params: { id: incident.id, ...who.place },
    decision,
    reason,
    riskLevel: 'medium',
  }).run()
}

/** The apply-fix operation of an approved incident, requested by whoever approved it. */
export function submitApply(services: Services, i: Incident, who: Pick<Decider, 'identity' | 'client'>): Operation {
  const p = proposalOf(i)!
  const author = authorOf(who.identity)
  const params: ApplyParams = { incident: i.id, tenant: p.tenant, service: p.service, title: p.title, skill: p.skill, patch: p.patch, commit: p.commit, branch: p.branch }
  return services.engine.submit({
    name: 'apply-fix',
    params: { ...params },
    tenant: p.tenant,
    service: p.service,
    requester: { id: who.identity.userId, name: author.name, email: author.email },
    client: who.client,
  })
}

/** The apply-fix operation already submitted for an incident, if any (a crash may have lost its id). */
export function applyOperationOf(services: Services, incidentId: string): Operation | undefined {
  return services.db.select().from(operations)
    .where(and(eq(operations.name, 'apply-fix'), sql`json_extract(${operations.params}, '$.incident') = ${incidentId}`)).get()
}
