import { useServices } from '../../app'
import { handleWellKnown } from '../../auth/oauth/well-known'

export default defineEventHandler(async event => handleWellKnown(event, await useServices()))
