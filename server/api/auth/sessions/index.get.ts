// The signed-in person's browser sessions (never their secret ids).
import { useServices } from '../../../app'
import { listWebSessions } from '../../../auth/sessions'
import { requireWebUser } from '../../../auth/web'
import { errorResponse } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    const user = await requireWebUser(event, services)
    return { items: listWebSessions(services.db, user.id, (await getUserSession(event)).secure?.sid) }
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
