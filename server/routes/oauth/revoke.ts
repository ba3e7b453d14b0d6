import { useServices } from '../../app'
import { passToOAuth } from '../../auth/oauth/mount'

export default defineEventHandler(async event => passToOAuth(event, await useServices(), 'token requests'))
