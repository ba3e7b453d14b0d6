// Creates a personal access token; its value is in this answer only.
import { z } from 'zod'
import { useServices } from '../../app'
import { createPersonalToken } from '../../auth/tokens'
import { requireWebUser } from '../../auth/web'
import { errorResponse, readJson } from '../../utils/http'
import { validationError } from '../../utils/errors'

const NewToken = z.object({
  name: z.string().trim().min(1, 'name the token').max(64, 'use at most 64 characters'),
  scopes: z.array(z.enum(['read', 'write'])).min(1),
  expiresInDays: z.number().int().min(1).max(365).nullable().default(90),
})

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    const body = NewToken.safeParse(await readJson(event) ?? {})
    if (!body.success) throw validationError(body.error)
    const { name, scopes, expiresInDays } = body.data
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000).toISOString() : null
    // Write implies read: a token that may change things may also look at them.
    const { token, row } = createPersonalToken(services.db, user.id, { name, scopes: scopes.includes('write') ? ['read', 'write'] : ['read'], expiresAt })
    setResponseStatus(event, 201)
    return { token, id: row.id, name: row.name, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
