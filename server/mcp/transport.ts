import type { H3Event } from 'h3'
import { getRequestHeader, getRequestURL, setResponseHeader, setResponseHeaders, setResponseStatus } from 'h3'
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js'
import type { Services } from '../services'
import { AppError } from '../utils/errors'
import { callerOf, errorResponse, readBodyText } from '../utils/http'

const rpcError = (event: H3Event, status: number, code: number, message: string) => {
  setResponseStatus(event, status)
  return { jsonrpc: '2.0', id: null, error: { code, message } }
}

/** POST /mcp: the checks of the Streamable HTTP transport, then dispatch. */
export async function handleMcpPost(event: H3Event, services: Services) {
  setResponseHeader(event, 'content-type', 'application/json')
  const origin = getRequestHeader(event, 'origin')
  // DNS-rebinding protection: browsers always send Origin; non-browser clients may omit it.
  if (origin && !services.settings.allowedOrigins.includes(origin))
    return rpcError(event, 403, -32000, `Forbidden: origin ${origin} is not allowed`)
  const accept = getRequestHeader(event, 'accept')
  if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept))
    return rpcError(event, 406, -32000, 'Not Acceptable: the client must accept application/json')
  const contentType = getRequestHeader(event, 'content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(contentType))
    return rpcError(event, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json')
  const version = getRequestHeader(event, 'mcp-protocol-version')
  if (version && !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
    return rpcError(event, 400, -32000, `Bad Request: unsupported protocol version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`)

  let identity
  try {
    identity = await services.verifier.verify(getRequestHeader(event, 'authorization'), getRequestURL(event).pathname)
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
  const caller = callerOf(event, identity, 'mcp', services.settings.trustProxy)
  try {
    if (Array.isArray(message)) {
      const answers = (await Promise.all(message.map(m => services.mcp.handle(m, caller)))).filter(a => a !== null)
      if (!answers.length) return accepted(event)
      return `[${answers.join(',')}]`
    }
    const answer = await services.mcp.handle(message as object, caller)
    return answer === null ? accepted(event) : answer
  }
  catch (err) {
    if (!(err instanceof AppError) || err.status !== 429) throw err
    if (err.headers) setResponseHeaders(event, err.headers)
    return rpcError(event, 429, -32000, err.message)
  }
}

function accepted(event: H3Event) {
  setResponseStatus(event, 202)
  return null
}
