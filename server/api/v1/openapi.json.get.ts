import { useServices } from '../../app'

export default defineEventHandler(async (event) => {
  setResponseHeader(event, 'content-type', 'application/json')
  return (await useServices()).openapi
})
