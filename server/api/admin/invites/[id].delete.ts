import { defineAdminRoute } from '../../../http/admin-route'
import { revokeInvite } from '../../../auth/setup'
import { notFound } from '../../../utils/errors'

// Withdraws a pending invite: its setup link stops working.
export default defineAdminRoute('the pending invites', ({ db, logger }, { event, identity }) => {
  const id = getRouterParam(event, 'id')!
  if (!revokeInvite(db, id)) throw notFound('No such pending invite (used, expired or already revoked)')
  logger.info('auth.invite_revoked', { by: identity.userId })
  setResponseStatus(event, 204)
  return null
})
