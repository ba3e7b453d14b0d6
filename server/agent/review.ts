import { and, eq, sql } from 'drizzle-orm'
import { authorize, canSee, requireWrite } from '../auth/access'
import { authorOf, type Identity } from '../auth/identity'
import { incidents, operations, type Incident, type Operation } from '../db/schema'
import type { Services } from '../services'
import { displayId, findIncident, incidentSubject, visibleTo } from '../domain/incidents/store'
import { conflict } from '../utils/errors'
import type { ApplyParams } from './apply'
import { update } from './notify'
import { proposalOf, transition, withProposal } from '../domain/incidents/state'

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
 * and Telegram at once) apply it once. Through the gate like every write: rate-limited, and
 * every decision, allowed or denied, is audited.
 */
export function decide(services: Services, ref: string, verdict: Verdict, who: Decider, note?: string): Promise<Incident> {
  const { db, index } = services
  // Who may not see the incident's tenant (an incident of no tenant is for admins) is told it
  // does not exist, whatever their token's scope, and the refusal is recorded as for an id
  // that does not exist: their own audit entries are theirs to list.
  const act = decision({ id: ref, tenant: null }, verdict, who, note)
  let incident!: Incident
  return services.gate.pass({
    ...act,
    limit: 'write',
    authorize(subject) {
      incident = findIncident(db, ref, visibleTo(who.identity, index))
      const spec = incident.tenant ? index.tenant(incident.tenant) : undefined
      if (canSee(who.identity, spec)) act.params.id = incident.id
      Object.assign(subject, incidentSubject(incident, ref), { spec })
      authorize(who.identity, 'owner', subject)
      requireWrite(who.identity, 'approving or rejecting a fix')
    },
    run: () => {
      const { row, op } = settle(services, incident, verdict, who, note)
      void update(services, row, verdict === 'approve' ? `✅ Approved by ${who.identity.userId} via ${who.client}: merging` : `❌ ${row.stageReason}`)
      void services.agent.kick()
      return { row, op }
    },
    outcomes: ({ op }) => [{ reason: verdict === 'reject' ? (note ?? 'rejected') : undefined, operationId: op?.id }],
  }).then(({ row }) => row)
}

/** What the audit log says of a decision on `incident`, whoever made it. */
export function decision(incident: Pick<Incident, 'id' | 'tenant'>, verdict: Verdict, who: Decider, note?: string) {
  return {
    action: `incident.${verdict}`,
    caller: { identity: who.identity, client: who.client, ip: who.ip },
    audited: true,
    operation: verdict === 'approve' ? 'apply-fix' : undefined,
    risk: 'medium' as const,
    params: { id: incident.id, ...who.place, ...(note ? { note } : {}) } as Record<string, unknown>,
  }
}

/** The decision itself, once allowed: the stage moves (and an approval submits the fix) at once. */
function settle(services: Services, incident: Incident, verdict: Verdict, who: Decider, note?: string): { row: Incident, op?: Operation } {
  const { db } = services
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
    throw conflict(`Incident ${displayId(incident)} has no fix waiting for review: ${why}`)
  }
  return { row, op }
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
