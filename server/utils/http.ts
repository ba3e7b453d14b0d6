import type { H3Event } from 'h3'
import { getRequestIP, setResponseHeaders, setResponseStatus } from 'h3'
import { AppError, tooLarge, invalid } from './errors'

export const BODY_LIMIT = 1024 * 1024

/**
 * A request header, read straight from Node's parsed headers (h3's getRequestHeader copies
 * all of them on every call, which shows on the /mcp hot path).
 */
export function header(event: H3Event, name: string): string | undefined {
  const value = event.node.req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** The request body, refused past 1 MiB whatever Content-Length claims. */
export function readBodyText(event: H3Event, limit = BODY_LIMIT): Promise<string> {
  const tooBig = () => tooLarge(`Request body too large: the limit is ${limit} bytes`)
  if (Number(header(event, 'content-length') ?? 0) > limit) return Promise.reject(tooBig())
  const req = event.node.req
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooBig())
      }
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function readJson(event: H3Event): Promise<unknown> {
  const text = await readBodyText(event)
  if (!text.trim()) return undefined
  try { return JSON.parse(text) }
  catch { throw invalid('Request body is not valid JSON') }
}

/** REST errors: the status and `{ error, details? }` (ARCHITECTURE.md "Conventions"). */
export function errorResponse(event: H3Event, err: unknown, log?: (e: unknown) => void) {
  const e = err instanceof AppError ? err : new AppError(500, 'Internal error')
  if (!(err instanceof AppError)) log?.(err)
  setResponseStatus(event, e.status)
  if (e.headers) setResponseHeaders(event, e.headers)
  return e.details === undefined ? { error: e.message } : { error: e.message, details: e.details }
}

const GENERIC_AGENTS = /^(node|undici|mozilla|curl|python-requests|axios|go-http-client|okhttp|bun|deno)$/i

/** Who the call came through, for the Mctl-Client trailer and the audit log. */
export function clientOf(event: H3Event, fallback: string): string {
  const explicit = header(event, 'x-mctl-client')
  if (explicit) return explicit.slice(0, 64).replace(/[^\w.-]/g, '')
  const product = header(event, 'user-agent')?.split(/[\s/]/)[0] ?? ''
  return product && !GENERIC_AGENTS.test(product) ? product.slice(0, 64).replace(/[^\w.-]/g, '').toLowerCase() : fallback
}

/**
 * The caller's address: the socket peer, or behind a trusted proxy the address that proxy
 * appended to X-Forwarded-For (the last entry; earlier ones are whatever the client sent).
 */
export function clientIp(event: H3Event, trustProxy: boolean): string {
  const forwarded = trustProxy ? getRequestHeader(event, 'x-forwarded-for')?.split(',').map(s => s.trim()).filter(Boolean).at(-1) : undefined
  return forwarded ?? getRequestIP(event) ?? 'unknown'
}
