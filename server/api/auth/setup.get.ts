// What a setup link is for (first admin or an invite), so the page can show the right form.
import { useServices } from '../../app'
import { peekSetupToken } from '../../auth/setup'
import { notFound } from '../../utils/errors'
import { errorResponse } from '../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  const found = peekSetupToken(services.db, String(getQuery(event).token ?? ''))
  if (!found) return errorResponse(event, notFound('This setup link is invalid, expired or already used; ask an admin for a new one'))
  return { kind: found.kind, login: found.login, isAdmin: found.isAdmin }
})
