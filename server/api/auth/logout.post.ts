// Sign-out: ends the browser session and the OAuth server's session cookie.
import { useServices } from '../../app'
import { signOut, webUser } from '../../auth/web'
import { errorResponse } from '../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    await webUser(event, services)
    await signOut(event)
    setResponseStatus(event, 204)
    return null
  }
  catch (err) {
    return errorResponse(event, err)
  }
})
