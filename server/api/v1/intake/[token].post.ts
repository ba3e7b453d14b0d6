import { useServices } from '../../../app'
import { receiveBotToken } from '../../../domain/optimization/intake'
import { errorResponse, readJson } from '../../../utils/http'

// The owner pastes the Telegram bot token here: into the secret store, and the link is spent.
// Errors are logged by kind only: the body holds the token.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return await receiveBotToken(services, getRouterParam(event, 'token') ?? '', await readJson(event))
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('intake.failed', { error: (e as Error)?.name ?? 'error' }))
  }
})
