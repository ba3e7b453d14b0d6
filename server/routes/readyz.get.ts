import { servicesIfReady } from '../app'
import { readiness } from '../health'

export default defineEventHandler(async (event) => {
  const report = await readiness(await servicesIfReady())
  setResponseStatus(event, report.status === 'ready' ? 200 : 503)
  return report
})
