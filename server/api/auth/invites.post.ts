// An admin invites a local user: a one-time /setup link, shown to the admin once.
import { z } from 'zod'
import { useServices } from '../../app'
import { issueInvite } from '../../auth/setup'
import { normalizeLogin } from '../../auth/users'
import { requireWrite } from '../../auth/access'
import { requestIdentity } from '../../auth/web'
import { conflict, forbidden } from '../../utils/errors'
import { errorResponse, readJson } from '../../utils/http'
import { validationError } from '../../utils/errors'

const Invite = z.object({
  login: z.string().min(1).max(100),
  isAdmin: z.boolean().default(false),
  groups: z.array(z.string().min(1).max(200)).max(50).default([]),
})

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const identity = await requestIdentity(event, services)
    if (!identity.isAdmin) throw forbidden('Only a platform admin may invite people')
    requireWrite(identity, 'inviting people')
    const body = Invite.safeParse(await readJson(event) ?? {})
    if (!body.success) throw validationError(body.error)
    const login = normalizeLogin(body.data.login)
    if (services.directory.account(login)) throw conflict(`The login "${login}" is taken`)
    setResponseStatus(event, 201)
    return issueInvite(services.db, services.settings.baseUrl, { ...body.data, login, createdBy: identity.userId })
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
