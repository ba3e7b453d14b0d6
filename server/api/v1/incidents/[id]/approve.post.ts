import { useServices } from '../../../../app'
import { decideOverHttp } from '../../../../agent/http'
import { errorResponse } from '../../../../utils/http'

// Approve the incident's proposed fix (tenant owner or admin): it is merged through the write path.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return await decideOverHttp(event, services, 'approve')
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('incidents.approve_failed', { error: String(e) }))
  }
})
