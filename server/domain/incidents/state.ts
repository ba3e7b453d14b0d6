import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../db'
import { incidentEvents, incidents, type AgentStage, type Incident, type IncidentEvent } from '../../db/schema'
import type { Proposal } from './model'

export interface Actor { actor: string, via: string }
export const AGENT: Actor = { actor: 'agent', via: 'agent' }

export function history(db: Db, incidentId: string): IncidentEvent[] {
  return db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.id)).all()
}

export function note(db: Db, incident: Pick<Incident, 'id' | 'stage'>, message: string, who: Actor = AGENT) {
  db.insert(incidentEvents).values({ incidentId: incident.id, stage: incident.stage, actor: who.actor, via: who.via, message }).run()
}

/**
 * Moves an incident from the stage it was read in to `to`, with the reason, in one
 * transaction with its history entry. A compare-and-set on the stage: when someone else
 * moved it first (two approvals, a restart racing a decision), nothing happens and null
 * comes back.
 */
export function transition(db: Db, from: Incident, to: AgentStage, reason: string, set: Partial<Incident> = {}, who: Actor = AGENT, event = reason): Incident | null {
  return db.transaction((tx) => {
    const row = tx.update(incidents).set({ ...set, stage: to, stageReason: reason, agentAttempts: 0 })
      .where(and(eq(incidents.id, from.id), eq(incidents.stage, from.stage))).returning().get()
    if (!row) return null
    tx.insert(incidentEvents).values({ incidentId: from.id, stage: to, actor: who.actor, via: who.via, message: event }).run()
    return row
  })
}

export const proposalOf = (i: Incident) => i.proposal as Proposal | null

export function withProposal(i: Incident, changes: Partial<Proposal>): Record<string, unknown> {
  return { ...proposalOf(i)!, ...changes }
}
