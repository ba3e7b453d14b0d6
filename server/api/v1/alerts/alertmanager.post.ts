import { useServices } from '../../../app'
import { receiveAlertmanager } from '../../../domain/incidents/intake'
import { errorResponse, header, readJson } from '../../../utils/http'

export default defineEventHandler(async (event) => {
  const services = await useServices()
  try {
    return receiveAlertmanager(services, header(event, 'authorization'), await readJson(event))
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('alerts.failed', { error: String(e) }))
  }
})
