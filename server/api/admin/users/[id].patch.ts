import { z } from 'zod'
import { defineAdminRoute } from '../../../http/admin-route'
import { forbidden } from '../../../utils/errors'
import { readJson } from '../../../utils/http'
import { validationError } from '../../../utils/errors'

const Change = z.object({ deactivated: z.boolean() }).strict()

// Deactivates or reactivates a person: deactivated, they cannot sign in, and their browser
// sessions and tokens stop working at once (server/auth/users.ts Directory.setDeactivated).
export default defineAdminRoute('people\'s accounts', async ({ directory, verifier, logger }, { event, identity }) => {
  const body = Change.safeParse(await readJson(event) ?? {})
  if (!body.success) throw validationError(body.error)
  const id = getRouterParam(event, 'id')!
  if (body.data.deactivated && id === identity.userId) throw forbidden('You cannot deactivate your own account; ask another platform admin')
  const user = directory.setDeactivated(id, body.data.deactivated)
  // Personal tokens verified in the last seconds are cached: drop them so none outlives this.
  verifier.forgetTokens()
  logger.info(body.data.deactivated ? 'auth.user_deactivated' : 'auth.user_reactivated', { user: id, by: identity.userId })
  return { id: user.id, deactivatedAt: user.deactivatedAt }
})
