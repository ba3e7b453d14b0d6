import type { EventHandler } from 'h3'
import { useServices } from '../../app'
import { githubSignIn } from '../../auth/signin'
import { notFound } from '../../utils/errors'
import { errorResponse } from '../../utils/http'

let handler: EventHandler | undefined

export default defineEventHandler(async (event) => {
  const services = await useServices()
  if (!services.settings.github.clientId) return errorResponse(event, notFound('GitHub sign-in is not configured (NUXT_OAUTH_GITHUB_CLIENT_ID)'))
  handler ??= githubSignIn(services)
  try {
    return await handler(event)
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
