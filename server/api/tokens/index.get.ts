// The signed-in person's personal access tokens (never the values).
import { useServices } from '../../app'
import { listPersonalTokens } from '../../auth/tokens'
import { requireWebUser } from '../../auth/web'
import { errorResponse } from '../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    return { items: listPersonalTokens(services.db, user.id) }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
