// nuxt-auth-utils' own routes (GET and DELETE /api/_auth/session) follow the server-side
// session record too: a signed-out or revoked session reads as signed out, and clearing the
// cookie, however it happens, ends the record.
import { useServices } from '../app'
import { endWebSession } from '../auth/sessions'
import { webUser } from '../auth/web'

export default defineNitroPlugin(() => {
  if (import.meta.prerender) return
  sessionHooks.hook('fetch', async (session, event) => {
    if (session.user && !await webUser(event, await useServices()))
      throw createError({ statusCode: 401, message: 'This session has ended: sign in again' })
  })
  sessionHooks.hook('clear', async (session) => {
    endWebSession((await useServices()).db, session.secure?.sid)
  })
})
