import type { Settings } from '../../settings'
import { LokiLogs } from './client'
import type { LogStore } from './types'

export type { LogStore } from './types'

/** Loki when NUXT_LOKI_URL is set; otherwise null (logs come from the Kubernetes API). */
export function createLogStore(settings: Settings['loki']): LogStore | null {
  return settings.url ? new LokiLogs(settings) : null
}
