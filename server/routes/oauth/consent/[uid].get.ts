// What /oauth/consent shows: the client, where it sends the person back, the access asked.
import { useServices } from '../../../app'
import { consentDetails } from '../../../auth/oauth/consent'
import { requireWebUser } from '../../../auth/web'
import { errorResponse } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    await requireWebUser(event, services)
    return await consentDetails(services.oauth, event, getRouterParam(event, 'uid')!)
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
