import type { H3Event } from 'h3'
import { setResponseHeader, setResponseStatus } from 'h3'
import type { Services } from '../services'
import { callerOf, clientKind, requestIdentity } from '../auth/web'
import { invokeTool } from '../tools/invoke'
import { AppError, invalid, notFound } from '../utils/errors'
import { errorResponse, readJson } from '../utils/http'
import { decodeParam, statusOf } from './router'

const EXECUTE = /^\/api\/v1\/operations\/([^/]+)\/execute\/?$/

/** /api/v1/**: the registry's REST face. Same input, same handler, same output as MCP. */
export async function handleRest(event: H3Event, services: Services) {
  try {
    // The URL as sent: h3's event.path has the path percent-decoded, and an encoded "?" or
    // ".." in a parameter (team "%3F") would then move the request to another route.
    const [pathname = '/', search = ''] = (event.node.req.originalUrl ?? event.node.req.url ?? '/').split(/\?(.*)/s)
    const method = event.method.toUpperCase()
    const identity = await requestIdentity(event, services, pathname)

    let tool, params: Record<string, string> = {}
    const execute = method === 'POST' && EXECUTE.exec(pathname)
    if (execute) {
      const name = decodeParam('name', execute[1]!)
      const entry = services.catalog.find(o => o.name === name)
      if (!entry) throw notFound(`Operation not found: "${name}". Operations: ${services.catalog.map(o => o.name).join(', ')}`, { operations: services.catalog.map(o => o.name) })
      tool = services.tools.find(t => t.name === entry.tool)!
    }
    else {
      const match = services.router.match(method, pathname)
      if (!match) throw notFound(`No such API route: ${method} ${pathname}`)
      if ('allow' in match) {
        setResponseHeader(event, 'allow', match.allow.join(', '))
        throw new AppError(405, `Method ${method} is not allowed on ${pathname} (allowed: ${match.allow.join(', ')})`)
      }
      ;({ tool, params } = match)
    }

    const query = services.router.coerceQuery(tool, Object.fromEntries(new URLSearchParams(search)))
    const body = method === 'GET' ? undefined : await readJson(event)
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
      throw invalid('Request body must be a JSON object')
    const args = { ...query, ...(body as object | undefined), ...params }

    const output = await invokeTool(tool, args, callerOf(event, identity, clientKind(identity), services.settings.trustProxy), services)
    setResponseStatus(event, statusOf(tool, output))
    return output
  }
  catch (err) {
    return errorResponse(event, err, e => services.logger.error('rest.failed', { error: String(e) }))
  }
}
