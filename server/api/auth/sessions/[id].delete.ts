// Ends one of the signed-in person's browser sessions: its cookie stops working at once.
import { useServices } from '../../../app'
import { revokeWebSession } from '../../../auth/sessions'
import { requireWebUser } from '../../../auth/web'
import { notFound } from '../../../utils/errors'
import { errorResponse } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    if (!revokeWebSession(services.db, user.id, getRouterParam(event, 'id')!)) throw notFound('No such signed-in browser')
    services.logger.info('auth.session_revoked', { user: user.id })
    setResponseStatus(event, 204)
    return null
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
