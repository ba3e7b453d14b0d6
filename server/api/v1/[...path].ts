import { useServices } from '../../app'
import { handleRest } from '../../rest/handler'

export default defineEventHandler(async event => handleRest(event, await useServices()))
