import { servicesIfReady } from '../app'
import { surfaceOf } from '../metrics'

/** Counts and times every HTTP request by surface (mcp, rest, oauth, health, web). */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    event.context.startedAt = performance.now()
  })
  nitroApp.hooks.hook('afterResponse', async (event) => {
    const services = await servicesIfReady()
    if (!services || event.context.startedAt === undefined) return
    const surface = surfaceOf(event.path.split('?')[0]!)
    services.metrics.httpRequests.inc({ surface, method: event.method, status: String(event.node.res.statusCode) })
    services.metrics.httpDuration.observe({ surface }, (performance.now() - event.context.startedAt) / 1000)
  })
})
