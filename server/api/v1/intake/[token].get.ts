import { useServices } from '../../../app'
import { intakeStatus } from '../../../domain/optimization/intake'
import { errorResponse } from '../../../utils/http'

// The one-time OpenClaw intake link: its state, for the page (the link itself is the credential).
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return intakeStatus(services.db, getRouterParam(event, 'token') ?? '')
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('intake.failed', { error: String(e) }))
  }
})
