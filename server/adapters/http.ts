import { upstream } from '../utils/errors'

export interface HttpAnswer { status: number, body: any }

export interface HttpCall {
  method?: string
  headers?: Record<string, string>
  /** Sent as JSON. */
  body?: unknown
  timeoutMs: number
}

/** Why a fetch failed, in words a person can act on (timeouts, refused connections, DNS). */
export function fetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string, message?: string, cause?: { code?: string, message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`
  return e?.cause?.message ?? e?.cause?.code ?? e?.message ?? String(err)
}

/**
 * One HTTP call to an outside system: always bounded by a timeout (headers and body), and a
 * failure says what we were doing (`what`). Non-2xx answers are returned, not thrown: callers
 * know which statuses are answers (404 from Vault is "no secret yet").
 */
export async function callHttp(what: string, url: string, call: HttpCall): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, {
      method: call.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs),
    })
    const text = await res.text()
    let body: unknown = text
    try { body = text ? JSON.parse(text) : null }
    catch { /* not JSON: keep the text */ }
    return { status: res.status, body }
  }
  catch (err) {
    throw upstream(`${what}: ${fetchFailure(err, call.timeoutMs)}`)
  }
}

/** A short reason from an error answer body (Vault `errors`, Loki text, Kubernetes Status). */
export function answerReason(answer: HttpAnswer): string {
  const b = answer.body
  const said = typeof b === 'string' ? b : Array.isArray(b?.errors) ? b.errors.join('; ') : b?.message ?? b?.error ?? ''
  return `HTTP ${answer.status}${said ? `: ${String(said).trim().slice(0, 300)}` : ''}`
}
