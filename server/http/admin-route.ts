import { defineEventHandler, type EventHandler, type H3Event } from 'h3'
import { useServices } from '../app'
import type { Services } from '../services'
import { forbidden } from '../utils/errors'
import { errorResponse } from '../utils/http'
import { requireWrite } from '../auth/access'
import type { Identity } from '../auth/identity'
import { requestIdentity } from '../auth/web'

/**
 * A route of the admin console (server/api/admin/*): a bearer token or the browser session
 * (CSRF-checked for changes), platform admins only (401 signed out, 403 for everyone else).
 * Anything but GET changes `what` and needs the write scope.
 */
export function defineAdminRoute(what: string, answer: (services: Services, request: { event: H3Event, identity: Identity }) => unknown): EventHandler {
  return defineEventHandler(async (event) => {
    const services = await useServices()
    try {
      const identity = await requestIdentity(event, services)
      const reads = event.method === 'GET' || event.method === 'HEAD'
      if (!identity.isAdmin) throw forbidden(`Only a platform admin may ${reads ? 'see' : 'change'} ${what}`)
      if (!reads) requireWrite(identity, `changing ${what}`)
      return await answer(services, { event, identity })
    }
    catch (err) {
      return errorResponse(event, err, e => services.logger.error('admin.failed', { what, error: String(e) }))
    }
  })
}
