import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db'
import type { RepoIndex } from '../../gitops/state'
import type { Settings } from '../../settings'
import { AppError, unauthorized, validationError } from '../../utils/errors'
import type { Logger } from '../../utils/logger'
import { ingestAlerts } from './store'

const strings = z.record(z.string(), z.string())

/** The Alertmanager webhook payload, version 4 (only what intake reads). */
export const AlertmanagerPayload = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  alerts: z.array(z.object({
    status: z.enum(['firing', 'resolved']),
    labels: strings,
    annotations: strings.optional(),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().optional(),
  })).max(1000),
})

const digest = (s: string) => createHash('sha256').update(s).digest()

export interface AlertIntake {
  settings: Pick<Settings, 'alertmanagerToken'>
  db: Db
  index: RepoIndex
  logger: Logger
  /** Whoever works on incidents (the agent), told when some are new or resolved. */
  agent: { kick(): unknown }
}

/** POST /api/v1/alerts/alertmanager: shared-secret bearer, then dedupe into incidents. */
export function receiveAlertmanager(services: AlertIntake, authorization: string | undefined, body: unknown) {
  const secret = services.settings.alertmanagerToken
  if (!secret) throw new AppError(503, 'Alert intake is not configured: set NUXT_ALERTMANAGER_TOKEN and the same bearer token in Alertmanager\'s webhook http_config')
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? ''
  if (!timingSafeEqual(digest(presented), digest(secret))) throw unauthorized('Invalid or missing alert intake token')
  const parsed = AlertmanagerPayload.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  const result = ingestAlerts(services.db, services.index, parsed.data.alerts)
  // New incidents go to the agent at once; a resolved one may end its verification.
  if (result.created.length || result.resolved.length) void services.agent.kick()
  services.logger.info('alerts.received', { alerts: parsed.data.alerts.length, created: result.created.length, updated: result.updated.length, resolved: result.resolved.length })
  return result
}
