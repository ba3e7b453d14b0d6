import { useServices } from '../../../app'
import { completeGrant } from '../../../domain/repos/grants'
import { errorResponse } from '../../../utils/http'

// GitHub's "Setup URL" of the MCTL app: the person comes back here after installing it.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const { tenant, repo } = await completeGrant(services, getQuery(event))
    return sendRedirect(event, `${services.settings.baseUrl}/console/tenants/${tenant}?repo=${encodeURIComponent(repo)}`, 302)
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('repos.callback_failed', { error: String(e) }))
  }
})
