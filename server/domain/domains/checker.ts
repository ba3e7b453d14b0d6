import { inArray } from 'drizzle-orm'
import { systemIdentity } from '../../auth/identity'
import { domains, type DomainRow, type Operation } from '../../db/schema'
import { hostsOf } from '../../gitops/hosts'
import type { Dns } from '../../adapters/dns'
import type { Db } from '../../db'
import type { RepoIndex } from '../../gitops/state'
import type { GitOpsStore } from '../../gitops/store'
import type { Engine } from '../../operations/engine'
import type { Gate } from '../../operations/gate'
import type { Logger } from '../../utils/logger'
import { errorMessage } from '../../utils/errors'
import { type DomainParams, inFlight } from './activation'
import { judge, lookup, type Verdict } from './check'
import { dropOtherClaims, findDomain, heldClaim, settle, targetHost, updateDomain } from './store'

/** The client of the activations the checker submits (the requester is whoever added the domain). */
export const CHECKER_CLIENT = 'mctl-domain-checker'

const key = (row: Pick<DomainRow, 'domain' | 'tenant'>) => `${row.tenant}/${row.domain}`

/**
 * Activates custom domains DNS proves, like cert-manager does certificates: a background
 * worker that looks at DNS for every claim not active yet, records what it saw, and submits
 * the add-custom-domain operation — requested by the person who added the domain, audited as
 * theirs — for the first claim DNS proves (the other tenants' claims of that domain are
 * dropped). Reads (mctl_verify_domain) never write; they may only wake it.
 *
 * A failed activation is not retried on every pass (it would fail again each minute); it is
 * retried when someone asks for that domain to be verified again (a wake naming it).
 */
export class DomainChecker {
  private timer?: NodeJS.Timeout
  private started = false
  private everyMs = 60_000
  private running = false
  private again = false
  /** Claims a wake named: checked next pass even when their activation failed. */
  private readonly retry = new Set<string>()
  /** When the next pass starts; null when stopped. */
  nextCheckAt: Date | null = null

  constructor(private readonly services: { logger: Logger, db: Db, engine: Engine, store: GitOpsStore, dns: Dns, index: RepoIndex, gate: Gate }) {}

  start(everySeconds: number) {
    this.started = true
    this.everyMs = everySeconds * 1000
    this.schedule(0) // at start-up: what was proven while MCTL was down goes now
  }

  stop() {
    clearTimeout(this.timer)
    this.started = false
    this.nextCheckAt = null
  }

  /** A pass now (or right after the running one); the claims named are retried even if their activation failed. */
  wake(claims: Pick<DomainRow, 'domain' | 'tenant'>[]): Date | null {
    if (!this.started) return null
    for (const c of claims) this.retry.add(key(c))
    if (this.running) this.again = true
    else this.schedule(0)
    return this.nextCheckAt
  }

  private schedule(ms: number) {
    clearTimeout(this.timer)
    this.nextCheckAt = new Date(Date.now() + ms)
    this.timer = setTimeout(() => void this.run(), ms).unref()
  }

  private async run() {
    const services = this.services
    if (!this.started) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    try { await this.pass() }
    catch (err) { services.logger.warn('domains.check_failed', { error: errorMessage(err) }) }
    finally {
      this.running = false
      const soon = this.again
      this.again = false
      if (this.started) this.schedule(soon ? 0 : this.everyMs)
    }
  }

  /** One pass over every claim that is not active. */
  async pass(): Promise<void> {
    const services = this.services
    if (!this.started) return
    const { db, engine } = services
    await services.store.sync(false) // a service retired or a host changed by hand counts at once
    const retry = new Set(this.retry)
    this.retry.clear()
    const rows = db.select().from(domains).where(inArray(domains.status, ['pending', 'verified', 'failed'])).all()
    for (const row of rows) {
      const settled = settle(engine, row)
      if (settled !== row) updateDomain(db, row, { status: settled.status, lastError: settled.lastError, activatedAt: settled.activatedAt })
      if (settled.status === 'pending' || (settled.status === 'failed' && (!settled.operationId || retry.has(key(row))))) await this.check(settled)
    }
  }

  private async check(row: DomainRow) {
    const { db, dns, index } = this.services
    const host = targetHost(index, row.tenant, row.service)
    const { found, errors } = await lookup(dns, row.domain)
    const verdict = judge(row.domain, found, errors, host, row.token)
    const lastCheckedAt = new Date().toISOString()
    if (verdict.result === 'match') return this.activate(row, verdict, host, lastCheckedAt)
    updateDomain(db, row, verdict.result === 'unreachable'
      ? { lastCheckedAt, lastError: verdict.reason }
      : { lastCheckedAt, status: verdict.result === 'mismatch' ? 'failed' : 'pending', lastError: verdict.reason })
  }

  /**
   * DNS proves the claim: the checker activates it through the gate, on behalf of the person
   * who added the domain (audited as theirs, client mctl-domain-checker). Everything in
   * `run` is synchronous (no await): no other check, add or verify runs in between, so the
   * first claim proven is the one kept.
   */
  private async activate(row: DomainRow, verdict: Extract<Verdict, { result: 'match' }>, host: string | null, lastCheckedAt: string) {
    const { db, engine, index, logger, gate } = this.services
    const params: DomainParams = { team: row.tenant, service: row.service, domain: row.domain }
    const requester = { id: row.requestedBy, name: row.requesterName, email: row.requesterEmail }
    let existing: Operation | undefined
    let dropped: string[] = []
    const op = await gate.pass({
      action: 'domain-checker',
      caller: { identity: systemIdentity(requester), client: CHECKER_CLIENT },
      audited: true,
      operation: 'add-custom-domain',
      risk: 'medium',
      params: { ...params },
      authorize: (subject) => { subject.tenant = row.tenant },
      run: () => {
        // Removed, retired or dropped while DNS was asked: nothing to activate.
        if (!findDomain(db, row.domain, row.tenant) || !index.service(row.tenant, row.service)) return undefined
        const holder = heldClaim(db, row.domain)
        const user = [...index.allServices()].find(s => s.tenant !== row.tenant && hostsOf(s.tenant, s.name, s.spec, index.platform).includes(row.domain))
        if ((holder && holder.tenant !== row.tenant) || user) {
          updateDomain(db, row, { lastCheckedAt, status: 'failed', lastError: `${row.domain} is already held by another tenant` })
          return undefined
        }
        const op = engine.submit({
          name: 'add-custom-domain',
          params: { ...params },
          tenant: row.tenant,
          service: row.service,
          requester,
          client: CHECKER_CLIENT,
        }, tx => (existing = inFlight('add-custom-domain', row.domain)(tx)))
        dropped = dropOtherClaims(db, row.domain, row.tenant)
        updateDomain(db, row, { lastCheckedAt, status: 'verified', verifiedAt: lastCheckedAt, operationId: op.id, lastError: null })
        return op
      },
      outcomes: (op) => {
        if (!op || existing) return []
        const proof = verdict.method === 'cname' ? `CNAME → ${host}` : 'TXT challenge'
        return [{ operationId: op.id, reason: `DNS proves control of ${row.domain} (${proof})${dropped.length ? `; the pending claims of ${dropped.join(', ')} were dropped` : ''}` }]
      },
    })
    if (op && !existing) logger.info('domains.activating', { tenant: row.tenant, service: row.service, domain: row.domain, operation: op.id, dropped })
  }
}
