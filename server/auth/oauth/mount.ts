import type { H3Event } from 'h3'
import { setResponseHeaders, setResponseStatus } from 'h3'
import type { Services } from '../../services'
import { AppError } from '../../utils/errors'
import { clientIp } from '../../utils/http'

/**
 * Hands an /oauth/* or discovery request to oidc-provider. Token and registration endpoints
 * are rate-limited per client IP first (AUTH.md); a refusal is an OAuth-style JSON error.
 */
export async function passToOAuth(event: H3Event, services: Services, limited?: 'token requests' | 'client registrations') {
  if (limited && event.method === 'POST') {
    try {
      services.limits.take(`ip:${limited}:${clientIp(event, services.settings.trustProxy)}`, services.settings.rateLimit.authPerMinute, limited)
    }
    catch (err) {
      if (!(err instanceof AppError)) throw err
      setResponseStatus(event, err.status)
      if (err.headers) setResponseHeaders(event, err.headers)
      return { error: 'rate_limited', error_description: err.message }
    }
  }
  await services.oauth.handle(event)
}
