import { randomBytes } from 'node:crypto'
import { and, eq, like, max, ne } from 'drizzle-orm'
import { canSee, type Subject } from '../../auth/access'
import type { Identity } from '../../auth/identity'
import type { Db } from '../../db'
import type { Analysis, Proposal } from './model'
import { incidents, type Incident, type IncidentEvent } from '../../db/schema'
import type { RepoIndex } from '../../gitops/state'
import { conflict, invalid, notFound } from '../../utils/errors'

/** One alert of an Alertmanager webhook (version 4). */
export interface Alert {
  status: 'firing' | 'resolved'
  labels: Record<string, string>
  annotations?: Record<string, string>
  startsAt?: string
  endsAt?: string
  generatorURL?: string
  fingerprint?: string
}

const TYPES: [RegExp, string][] = [
  [/oom/i, 'oom'], [/crashloop|restart/i, 'crashloop'], [/probe|unhealthy|notready/i, 'probe'],
  [/latency|slow/i, 'latency'], [/error|5xx|failure/i, 'errors'], [/cpu|throttl/i, 'cpu'],
  [/memory/i, 'memory'], [/disk|volume|pvc|storage/i, 'storage'], [/cert/i, 'certificate'],
  [/quota/i, 'quota'], [/watchdog|infoinhibitor|deadman/i, 'meta'],
]

export function incidentType(labels: Record<string, string>): string {
  if (labels.type) return labels.type
  return TYPES.find(([re]) => re.test(labels.alertname ?? ''))?.[1] ?? 'other'
}

/** Tenant from the namespace (when it is one), service from labels or the pod name. */
export function mapAlert(labels: Record<string, string>, index: RepoIndex) {
  const tenant = labels.namespace && index.tenant(labels.namespace) ? labels.namespace : (labels.tenant && index.tenant(labels.tenant) ? labels.tenant : null)
  if (!tenant) return { tenant: null, service: null }
  const known = new Set(index.servicesOf(tenant).map(s => s.name))
  const named = [labels['mctl.dev/service'], labels.service, labels['app.kubernetes.io/name'], labels.app, labels.deployment, labels.container]
    .find(v => v && known.has(v))
  const fromPod = labels.pod ? [...known].filter(s => labels.pod!.startsWith(`${s}-`)).sort((a, b) => b.length - a.length)[0] : undefined
  return { tenant, service: named ?? fromPod ?? null }
}

const fingerprintOf = (a: Alert) => a.fingerprint || Object.keys(a.labels).sort().map(k => `${k}=${a.labels[k]}`).join(',')

/**
 * Alertmanager intake: a firing alert opens an incident or, when one with the same
 * fingerprint is still open, counts another occurrence; a resolved alert resolves it.
 */
export function ingestAlerts(db: Db, index: RepoIndex, alerts: Alert[], now = new Date()) {
  const result = { created: [] as string[], updated: [] as string[], resolved: [] as string[] }
  const at = now.toISOString()
  db.transaction((tx) => {
    for (const alert of alerts) {
      const fingerprint = fingerprintOf(alert)
      const open = tx.select().from(incidents).where(and(eq(incidents.fingerprint, fingerprint), ne(incidents.status, 'resolved'))).get()
      if (alert.status === 'resolved') {
        if (!open) continue
        tx.update(incidents).set({ status: 'resolved', resolvedAt: at, resolvedBy: 'alertmanager', resolveReason: 'The alert resolved', lastSeenAt: at }).where(eq(incidents.id, open.id)).run()
        result.resolved.push(open.id)
      }
      else if (open) {
        tx.update(incidents).set({ occurrences: open.occurrences + 1, lastSeenAt: at, annotations: alert.annotations ?? open.annotations }).where(eq(incidents.id, open.id)).run()
        result.updated.push(open.id)
      }
      else {
        const { tenant, service } = mapAlert(alert.labels, index)
        const id = randomBytes(16).toString('hex')
        // Inside the transaction, so two webhooks cannot take the same number; rows are never
        // deleted, so max + 1 never gives a number out twice.
        const last = tx.select({ n: max(incidents.number) }).from(incidents).get()?.n ?? 0
        tx.insert(incidents).values({
          id,
          number: last + 1,
          fingerprint,
          alertname: alert.labels.alertname ?? 'unnamed',
          severity: alert.labels.severity ?? 'warning',
          type: incidentType(alert.labels),
          tenant,
          service,
          summary: alert.annotations?.summary ?? alert.annotations?.description ?? alert.labels.alertname ?? 'Alert',
          labels: alert.labels,
          annotations: alert.annotations ?? {},
          generatorUrl: alert.generatorURL,
          startsAt: alert.startsAt && !alert.startsAt.startsWith('0001') ? new Date(alert.startsAt).toISOString() : at,
          firstSeenAt: at,
          lastSeenAt: at,
        }).run()
        result.created.push(id)
      }
    }
  })
  return result
}

/** How people name an incident: INC-<number>. */
export const displayId = (i: Pick<Incident, 'number'>) => `INC-${i.number}`

/** The answer for an incident that does not exist (by INC-<number> or by id), whoever asks. */
function noSuchIncident(ref: string) {
  const numbered = /^inc-(\d{1,9})$/i.exec(ref)
  return notFound(`Incident "${numbered ? displayId({ number: Number(numbered[1]) }) : ref}" not found`)
}

/** Who may see an incident: admins all, others those of a tenant they belong to. */
export const visibleTo = (identity: Identity, index: RepoIndex) => (i: Incident) =>
  canSee(identity, i.tenant ? index.tenant(i.tenant) : undefined)

/**
 * An incident by INC-<number> (any case), full id or a prefix of at least 8 characters;
 * an ambiguous prefix is a 409. Only the incidents `visible` are matched against a prefix,
 * and only those are listed: another tenant's incidents neither make a prefix ambiguous nor
 * show their ids (one that is not visible is then told apart by the access rule, as unknown).
 */
export function findIncident(db: Db, ref: string, visible: (i: Incident) => boolean = () => true): Incident {
  const numbered = /^inc-(\d{1,9})$/i.exec(ref)
  if (numbered) {
    const row = db.select().from(incidents).where(eq(incidents.number, Number(numbered[1]))).get()
    if (!row) throw noSuchIncident(ref)
    return row
  }
  if (!/^[0-9a-f]{8,32}$/.test(ref)) throw invalid('id: must be INC-<number>, an incident id or a prefix of at least 8 hex characters')
  const all = db.select().from(incidents).where(like(incidents.id, `${ref}%`)).all()
  const matches = all.filter(visible)
  // None visible: the first of the others, which the access rule then answers as not found.
  if (!matches.length) {
    if (!all.length) throw noSuchIncident(ref)
    return all[0]!
  }
  if (matches.length > 1) throw conflict(`Incident id prefix "${ref}" is ambiguous: it matches ${matches.length > 10 ? 'more than 10' : matches.length} incidents`, { matches: matches.slice(0, 10).map(m => ({ id: m.id, alertname: m.alertname, status: m.status })) })
  return matches[0]!
}

/** Whose incident it is: someone who may not see its tenant is told it does not exist. */
export const incidentSubject = (incident: Incident, ref: string): Subject =>
  ({ tenant: incident.tenant ?? undefined, unknown: noSuchIncident(ref) })

export function incidentView(i: Incident) {
  return {
    id: i.id,
    number: i.number,
    displayId: displayId(i),
    fingerprint: i.fingerprint,
    alertname: i.alertname,
    status: i.status,
    severity: i.severity,
    type: i.type,
    team: i.tenant,
    service: i.service,
    summary: i.summary,
    labels: i.labels,
    annotations: i.annotations,
    generatorUrl: i.generatorUrl,
    startsAt: i.startsAt,
    firstSeenAt: i.firstSeenAt,
    lastSeenAt: i.lastSeenAt,
    occurrences: i.occurrences,
    evidence: i.evidence,
    acknowledgedBy: i.acknowledgedBy,
    acknowledgedAt: i.acknowledgedAt,
    resolvedBy: i.resolvedBy,
    resolvedAt: i.resolvedAt,
    resolveReason: i.resolveReason,
    stage: i.stage,
    stageReason: i.stageReason,
    outcome: i.outcome,
    classification: i.classification,
    verifyUntil: i.verifyUntil,
  }
}

export function incidentDetail(i: Incident, events: IncidentEvent[]) {
  return {
    ...incidentView(i),
    analysis: (i.analysis ?? null) as Analysis | null,
    proposal: (i.proposal ?? null) as Proposal | null,
    history: events.map(e => ({ time: e.time, stage: e.stage, actor: e.actor, via: e.via, message: e.message })),
  }
}
