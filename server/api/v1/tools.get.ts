import { toolReference } from '../../docs/reference'
import { tools } from '../../tools/registry'

// Public like /api/v1/openapi.json: the tool list is documentation, not data. A file route
// wins over the [...path] catch-all; it reads the registry itself, so it also answers during
// the build's prerender, when the services are not started.
// Encoded once too: a 160 KB string with non-ASCII text cost ~2 ms to encode and write per request.
const body = Buffer.from(JSON.stringify(tools.map(toolReference)))

export default defineEventHandler((event) => {
  setResponseHeader(event, 'content-type', 'application/json')
  return body
})
