// Ends one of the signed-in person's OAuth grants: its refresh and access tokens stop working at once.
import { useServices } from '../../../app'
import { endGrant } from '../../../auth/oauth/grants'
import { requireWebUser } from '../../../auth/web'
import { notFound } from '../../../utils/errors'
import { errorResponse } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    const grant = getRouterParam(event, 'id')!
    if (!endGrant(services.db, user.id, grant)) throw notFound('No such connected client')
    services.logger.info('oauth.grant_revoked', { grant, user: user.id })
    setResponseStatus(event, 204)
    return null
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
