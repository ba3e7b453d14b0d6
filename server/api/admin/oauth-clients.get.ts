import { defineAdminRoute } from '../../http/admin-route'
import { listOAuthClients } from '../../auth/oauth/clients'

// The OAuth server's clients: configured and dynamically registered (never their secrets).
export default defineAdminRoute('the OAuth clients', ({ db, settings }) => ({ items: listOAuthClients(db, settings.oauthClients) }))
