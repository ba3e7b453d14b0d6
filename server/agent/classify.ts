import type { Incident } from '../db/schema'

export type Classification = NonNullable<Incident['classification']>

/** Alerts that exist to prove the alerting pipeline works, or to inhibit others. */
const META = /^(watchdog|deadmansswitch|deadmanssnitch|infoinhibitor|alertmanager.*heartbeat)$/i
const INFO = new Set(['info', 'informational', 'none', 'notice', 'debug'])

/**
 * Built-in rules first (ARCHITECTURE.md): meta-alerts are suppressed, info-level alerts are
 * recorded only, everything else is actionable. Each answer carries its reason, because
 * "why did the agent not act?" must always have one.
 */
export function classify(i: Pick<Incident, 'alertname' | 'severity' | 'type' | 'labels' | 'tenant' | 'service'>): Classification {
  if (META.test(i.alertname) || i.type === 'meta')
    return { kind: 'suppressed', reason: `${i.alertname} is a meta-alert (it fires to prove alerting works, or to inhibit other alerts): there is nothing to fix` }
  if (INFO.has(i.severity.toLowerCase()))
    return { kind: 'informational', reason: `severity "${i.severity}": informational alerts are recorded and shown, never acted on` }
  const where = i.service ? `${i.tenant}/${i.service}` : i.tenant ? `tenant ${i.tenant}` : 'no known tenant'
  return { kind: 'actionable', reason: `${i.severity} alert ${i.alertname} (${i.type}) on ${where}` }
}
