// Local accounts: login + password (scrypt), rate-limited per IP, same-origin only.
import { z } from 'zod'
import { useServices } from '../../app'
import { limitSignIn } from '../../auth/signin'
import { assertSameOrigin, signIn } from '../../auth/web'
import { forbidden, invalid, unauthorized } from '../../utils/errors'
import { errorResponse, readJson } from '../../utils/http'

const Login = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(1000) })
// Unknown logins still pay for one hash check, so timing does not reveal which logins exist.
let dummyHash: Promise<string> | undefined

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    assertSameOrigin(event, services)
    limitSignIn(event, services)
    const body = Login.safeParse(await readJson(event))
    if (!body.success) throw invalid('Send a login and a password')
    const user = services.directory.account(body.data.login.trim().toLowerCase())
    const hash = user?.provider === 'local' && user.passwordHash ? user.passwordHash : await (dummyHash ??= hashPassword('not a real password'))
    const ok = await verifyPassword(hash, body.data.password)
    if (!ok || !user || user.provider !== 'local' || !user.passwordHash) throw unauthorized('Wrong login or password')
    // Said only to the person who knows the password.
    if (user.deactivatedAt) throw forbidden('This account is deactivated; ask a platform admin')
    await signIn(event, services, user)
    services.logger.info('auth.signed_in', { user: user.id, provider: 'local' })
    return { user: { id: user.id, name: user.displayName } }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
