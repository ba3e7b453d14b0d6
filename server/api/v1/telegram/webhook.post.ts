import { useServices } from '../../../app'
import { receiveTelegram } from '../../../agent/telegram'
import { errorResponse, header, readJson } from '../../../utils/http'

// The Telegram bot's webhook (setWebhook with secret_token = NUXT_TELEGRAM_WEBHOOK_SECRET).
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return await receiveTelegram(services, header(event, 'x-telegram-bot-api-secret-token'), await readJson(event), getRequestIP(event))
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('telegram.failed', { error: String(e) }))
  }
})
