import { randomUUID } from 'node:crypto'
import { canSee, type Subject } from '../auth/access'
import type { Caller } from '../auth/identity'
import type { RateLimiter } from '../auth/rate-limit'
import type { Db } from '../db'
import { auditEvents } from '../db/schema'
import { incarnationOf } from '../gitops/specs'
import type { Settings } from '../settings'
import { errorMessage } from '../utils/errors'
import type { Engine } from './engine'
import type { RiskLevel } from './types'

/** What an act leaves in the audit log once it ran: one row each (one per operation it started). */
export interface Outcome {
  operation?: string | null
  operationId?: string
  reason?: string
}

/**
 * One act through the gate: a tool call, an approval, a background actor's write. `caller`
 * is who acts: a person, or a system actor (its `client`, e.g. `reaper`) acting as the
 * identity it names — the person who asked, or MCTL itself.
 */
export interface Act<T> {
  /** As the audit log names it: a tool (`mctl_deploy_service`), `incident.approve`, `preview-reaper`. */
  action: string
  caller: Caller
  /** The rate-limit bucket it counts against; none for system actors, paced by their own schedule. */
  limit?: 'read' | 'write'
  /** Whether it leaves audit rows: every write does, reads do not. */
  audited: boolean
  /** The operation it starts, named on its rows unless an outcome names another. */
  operation?: string
  risk: RiskLevel
  /** The parameters as they may be stored: secret values already replaced. */
  params: Record<string, unknown>
  /** Checks scope and access, filling in the subject it checked (its tenant goes on the rows). */
  authorize(subject: Subject): void | Promise<void>
  run(subject: Subject): T | Promise<T>
  /** The rows of an act that ran; one plain row when left out. */
  outcomes?(result: T): Outcome[]
}

export interface GateDeps {
  db: Db
  engine: Engine
  limits: RateLimiter
  settings: Pick<Settings, 'rateLimit'>
}

/**
 * The one way in for every act that changes state: rate limit → authorize → run → audit.
 * A refusal is audited as denied, a failure as allowed with its reason, a success with the
 * operations it started; whatever the act came through (MCP, REST, the console, Telegram,
 * a background worker).
 */
export class Gate {
  constructor(private readonly deps: GateDeps) {}

  async pass<T>(act: Act<T>): Promise<T> {
    const { db, engine, limits, settings: { rateLimit } } = this.deps
    const { identity, client, ip } = act.caller
    if (act.limit) {
      const write = act.limit === 'write'
      limits.take(`${act.limit}:${identity.userId}`, write ? rateLimit.writesPerMinute : rateLimit.readsPerMinute, write ? 'write calls' : 'read calls')
    }
    const subject: Subject = {}
    const audit = (decision: 'allowed' | 'denied', o: Outcome = {}) => {
      if (!act.audited) return
      const operationId = o.operationId
      db.insert(auditEvents).values({
        id: randomUUID(),
        userId: identity.userId,
        client,
        sourceIp: ip,
        tool: act.action,
        operation: o.operation === undefined ? act.operation : o.operation,
        operationId,
        tenant: subject.tenant,
        // The operation's (a tenant being created has its incarnation only there), else the tenant's.
        incarnation: (operationId ? engine.get(operationId)?.incarnation : undefined) ?? (subject.tenant ? incarnationOf(subject.spec) : null),
        params: act.params,
        decision,
        reason: o.reason,
        riskLevel: act.risk,
      }).run()
    }
    try {
      await act.authorize(subject)
    }
    catch (err) {
      // A caller's own audit entries are theirs to list (mctl_list_recent_operations): a refusal
      // about a tenant they may not see names no tenant, as for one that does not exist (what
      // they asked for stays in the parameters). MCTL's own actors list nothing.
      if (identity.tokenType !== 'system' && !canSee(identity, subject.spec)) delete subject.tenant
      audit('denied', { reason: errorMessage(err) })
      throw err
    }
    try {
      const result = await act.run(subject)
      for (const o of act.outcomes?.(result) ?? [{}]) audit('allowed', o)
      return result
    }
    catch (err) {
      audit('allowed', { reason: `failed: ${errorMessage(err)}` })
      throw err
    }
  }
}
