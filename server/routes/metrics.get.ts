import { useServices } from '../app'

// Prometheus scrape endpoint. Cluster-internal by design; NUXT_METRICS_TOKEN adds a bearer check.
export default defineEventHandler(async (event) => {
  const { metrics, settings } = await useServices()
  if (settings.metricsToken && getRequestHeader(event, 'authorization') !== `Bearer ${settings.metricsToken}`) {
    setResponseStatus(event, 401)
    return { error: 'Metrics need Authorization: Bearer <NUXT_METRICS_TOKEN>' }
  }
  setResponseHeader(event, 'content-type', metrics.registry.contentType)
  return metrics.registry.metrics()
})
