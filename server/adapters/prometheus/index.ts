import type { Settings } from '../../settings'
import { PrometheusApi } from './client'
import type { Prometheus } from './types'

export type { Prometheus, Series } from './types'

/** The metrics API when NUXT_METRICS_URL is set; otherwise null (tools say so). */
export function createPrometheus(settings: Settings['metrics']): Prometheus | null {
  return settings.url ? new PrometheusApi(settings) : null
}
