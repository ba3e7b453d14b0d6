import { useServices } from '../../../app'
import { listSkills } from '../../../agent/http'
import { clientIp, errorResponse, header } from '../../../utils/http'

// The agent's skills at the GitOps head, and the YAML skill files it could not use.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    await services.verifier.verify(header(event, 'authorization'), event.path, clientIp(event, services.settings.trustProxy))
    return await listSkills(services)
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('agent.skills_failed', { error: String(e) }))
  }
})
