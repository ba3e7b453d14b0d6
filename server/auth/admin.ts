import { defineEventHandler, type EventHandler } from 'h3'
import { useServices } from '../app'
import type { Services } from '../services'
import { forbidden } from '../utils/errors'
import { errorResponse } from '../utils/http'
import { requestIdentity } from './web'

/**
 * A read-only route of the admin console (server/api/admin/*): a bearer token or the browser
 * session, platform admins only (401 signed out, 403 for everyone else).
 */
export function defineAdminRoute(what: string, answer: (services: Services) => unknown): EventHandler {
  return defineEventHandler(async (event) => {
    const services = await useServices()
    try {
      const identity = await requestIdentity(event, services)
      if (!identity.isAdmin) throw forbidden(`Only a platform admin may see ${what}`)
      return await answer(services)
    }
    catch (err) {
      return errorResponse(event, err, e => services.logger.error('admin.failed', { what, error: String(e) }))
    }
  })
}
