// The person approves or denies; the answer is where the browser goes next.
import { z } from 'zod'
import { useServices } from '../../../app'
import { decideConsent } from '../../../auth/oauth/consent'
import { requireWebUser } from '../../../auth/web'
import { invalid } from '../../../utils/errors'
import { errorResponse, readJson } from '../../../utils/http'

const Decision = z.object({ approve: z.boolean() })

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    const body = Decision.safeParse(await readJson(event))
    if (!body.success) throw invalid('Send {"approve": true} or {"approve": false}')
    const redirectTo = await decideConsent(services.oauth, event, getRouterParam(event, 'uid')!, user.id, body.data.approve)
    services.logger.info('oauth.consent', { user: user.id, approved: body.data.approve })
    return { redirectTo }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
