import { defineAdminRoute } from '../../http/admin-route'
import { pendingInvites } from '../../auth/setup'

// Invites not yet used and not expired (never their links: only a hash of each is stored).
export default defineAdminRoute('the pending invites', ({ db }) => ({ items: pendingInvites(db) }))
