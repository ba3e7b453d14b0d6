// Revokes one of the signed-in person's tokens.
import { useServices } from '../../app'
import { revokePersonalToken } from '../../auth/tokens'
import { requireWebUser } from '../../auth/web'
import { notFound } from '../../utils/errors'
import { errorResponse } from '../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    if (!revokePersonalToken(services.db, user.id, getRouterParam(event, 'id')!)) throw notFound('No such active token')
    services.verifier.forgetTokens()
    setResponseStatus(event, 204)
    return null
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
