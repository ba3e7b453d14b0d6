import type { EventHandler } from 'h3'
import { useServices } from '../../app'
import { oidcSignIn } from '../../auth/signin'
import { notFound } from '../../utils/errors'
import { errorResponse } from '../../utils/http'

let handler: EventHandler | undefined

export default defineEventHandler(async (event) => {
  const services = await useServices()
  if (!services.oidc) return errorResponse(event, notFound('OIDC sign-in is not configured (NUXT_OAUTH_OIDC_ISSUER)'))
  handler ??= oidcSignIn(services)
  try {
    return await handler(event)
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
