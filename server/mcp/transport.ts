import type { H3Event } from 'h3'
import Negotiator from 'negotiator'
import { getQuery, setResponseHeader, setResponseHeaders, setResponseStatus } from 'h3'
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js'
import type { Services } from '../services'
import { type Answer, Headed, type Toolset } from './dispatcher'
import { AppError } from '../utils/errors'
import { callerOf } from '../auth/web'
import { clientIp, errorResponse, header, readBodyText } from '../utils/http'

const rpcError = (event: H3Event, status: number, code: number, message: string) => {
  setResponseStatus(event, status)
  return { jsonrpc: '2.0', id: null, error: { code, message } }
}

/** POST /mcp: the checks of the Streamable HTTP transport, then dispatch. */
export async function handleMcpPost(event: H3Event, services: Services) {
  setResponseHeader(event, 'content-type', 'application/json')
  const origin = header(event, 'origin')
  // DNS-rebinding protection: browsers always send Origin; non-browser clients may omit it.
  if (origin && !services.settings.allowedOrigins.includes(origin))
    return rpcError(event, 403, -32000, `Forbidden: origin ${origin} is not allowed`)
  const accept = header(event, 'accept')
  if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept))
    return rpcError(event, 406, -32000, 'Not Acceptable: the client must accept application/json')
  const contentType = header(event, 'content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(contentType))
    return rpcError(event, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json')
  const version = header(event, 'mcp-protocol-version')
  if (version && !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
    return rpcError(event, 400, -32000, `Bad Request: unsupported protocol version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`)

  const query = getQuery(event).toolsets
  let toolset: Toolset
  try {
    toolset = services.mcp.select(Array.isArray(query) ? query.join(',') : typeof query === 'string' ? query : undefined)
  }
  catch (err) {
    if (err instanceof AppError) return rpcError(event, err.status, -32602, err.message)
    throw err
  }

  let identity
  try {
    identity = await services.verifier.verify(header(event, 'authorization'), '/mcp', clientIp(event, services.settings.trustProxy))
  }
  catch (err) {
    return errorResponse(event, err)
  }

  let message: unknown
  try {
    message = JSON.parse(await readBodyText(event))
  }
  catch (err) {
    if (err instanceof AppError) return rpcError(event, err.status, -32000, err.message)
    return rpcError(event, 400, -32700, 'Parse error: invalid JSON')
  }
  const caller = { ...callerOf(event, identity, 'mcp', services.settings.trustProxy), via: 'mcp' as const }
  if (Array.isArray(message)) {
    // Batches left MCP in 2025-06-18: refused whole for those versions, nothing run. Older
    // clients (no version header means 2025-03-26) get every element answered on its own.
    if ((version ?? BATCH_LAST_VERSION) > BATCH_LAST_VERSION)
      return rpcError(event, 400, -32600, `Invalid Request: JSON-RPC batches are not part of MCP ${version}; send one message per request`)
    const answers = (await Promise.all(message.map(m => services.mcp.handle(m, caller, toolset)))).filter(a => a !== null)
    if (!answers.length) return accepted(event)
    for (const a of answers) if (a instanceof Headed) setResponseHeaders(event, a.headers)
    return `[${answers.map(text).join(',')}]`
  }
  const answer = await services.mcp.handle(message as object, caller, toolset)
  if (answer === null) return accepted(event)
  if (answer instanceof Headed) {
    setResponseStatus(event, answer.status)
    setResponseHeaders(event, answer.headers)
    return answer.body
  }
  if (typeof answer === 'string') return answer
  // The prebuilt tools/list: written as it is (gzip when the client takes it, as fetch does),
  // never copied into one buffer.
  const res = event.node.res
  const gzip = new Negotiator(event.node.req).encodings(['gzip']).length > 0
  const chunks = gzip ? answer.answer.gzip(answer.tail) : answer.answer.plain(answer.tail)
  res.setHeader('vary', 'accept-encoding')
  if (gzip) res.setHeader('content-encoding', 'gzip')
  res.setHeader('content-length', chunks.reduce((n, b) => n + b.length, 0))
  for (const chunk of chunks) res.write(chunk)
  res.end()
}

/** The last MCP version with JSON-RPC batching. */
const BATCH_LAST_VERSION = '2025-03-26'

const text = (a: Answer) => typeof a === 'string' ? a : a instanceof Headed ? a.body : Buffer.concat(a.answer.plain(a.tail)).toString()

/**
 * GET and DELETE /mcp: a stateless server has no server-initiated stream to open (GET) and
 * no session to end (DELETE).
 */
export function mcpMethodNotAllowed(event: H3Event) {
  setResponseStatus(event, 405)
  setResponseHeader(event, 'allow', 'POST')
  return { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; use POST' } }
}

/** A person's browser asks for HTML by name; MCP clients ask for event streams or JSON. */
export function acceptsHtml(event: H3Event): boolean {
  return /\btext\/html\b/i.test(header(event, 'accept') ?? '')
}

function accepted(event: H3Event) {
  setResponseStatus(event, 202)
  return null
}
