import { useServices } from '../../../../app'
import { decideOverHttp } from '../../../../agent/http'
import { errorResponse } from '../../../../utils/http'

// Reject the incident's proposed fix (tenant owner or admin): main stays, the branch is deleted.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return await decideOverHttp(event, services, 'reject')
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('incidents.reject_failed', { error: String(e) }))
  }
})
