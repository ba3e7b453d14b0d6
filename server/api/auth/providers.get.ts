// Which sign-in methods the login page offers.
import { useServices } from '../../app'
import { browserSignIn } from '../../settings'

export default defineEventHandler(async () => {
  const { settings, directory } = await useServices()
  return {
    github: Boolean(settings.github.clientId),
    oidc: settings.oidc.issuer ? { name: settings.oidc.name } : null,
    local: true,
    setupPending: !directory.adminCanSignIn(browserSignIn(settings)),
  }
})
