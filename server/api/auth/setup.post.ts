// Redeems a setup link: creates the local account (the first admin, or an invited user) and signs in.
import { z } from 'zod'
import { useServices } from '../../app'
import { redeemSetupToken } from '../../auth/setup'
import { limitSignIn } from '../../auth/signin'
import { LOGIN_PATTERN } from '../../auth/users'
import { assertSameOrigin, signIn } from '../../auth/web'
import { errorResponse, readJson } from '../../utils/http'
import { validationError } from '../../utils/errors'

const Setup = z.object({
  token: z.string().min(1).max(200),
  login: z.string().trim().toLowerCase().regex(LOGIN_PATTERN, 'letters, digits, . _ @ - only'),
  displayName: z.string().trim().max(100).default(''),
  email: z.union([z.email(), z.literal('')]).default(''),
  password: z.string().min(12, 'at least 12 characters').max(1000),
})

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    assertSameOrigin(event, services)
    limitSignIn(event, services)
    const body = Setup.safeParse(await readJson(event) ?? {})
    if (!body.success) throw validationError(body.error)
    const { token, password, ...account } = body.data
    const user = redeemSetupToken(services.db, services.directory, token, { ...account, passwordHash: await hashPassword(password) })
    await signIn(event, services, user)
    services.logger.info('auth.account_created', { user: user.id, admin: user.isAdmin })
    return { user: { id: user.id, name: user.displayName, isAdmin: user.isAdmin } }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
