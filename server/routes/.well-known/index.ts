// /.well-known itself answers JSON too (a 404 listing what is published).
import { useServices } from '../../app'
import { handleWellKnown } from '../../auth/oauth/well-known'

export default defineEventHandler(async event => handleWellKnown(event, await useServices()))
