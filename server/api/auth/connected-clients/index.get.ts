// The AI clients the signed-in person has authorized (OAuth grants), for the tokens page.
import { useServices } from '../../../app'
import { listConnectedClients } from '../../../auth/oauth/grants'
import { requireWebUser } from '../../../auth/web'
import { errorResponse } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    return { items: listConnectedClients(services.db, user.id, services.settings.oauthClients) }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
