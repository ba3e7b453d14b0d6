import { useServices } from '../../../app'
import { receiveGitHubWebhook } from '../../../domain/previews/pull-requests'
import { errorResponse, header, readBodyText } from '../../../utils/http'

// The GitHub App's webhook (pull_request events), signed with NUXT_GITHUB_APP_WEBHOOK_SECRET.
export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return await receiveGitHubWebhook(services, {
      signature: header(event, 'x-hub-signature-256'),
      event: header(event, 'x-github-event'),
      delivery: header(event, 'x-github-delivery'),
    }, await readBodyText(event))
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('github.webhook_failed', { error: String(e) }))
  }
})
