// An MCP SDK client against the built server over real HTTP (Streamable HTTP transport).
import { setMaxListeners } from 'node:events'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'

export interface ToolAnswer {
  isError: boolean
  text: string
  data: any
}

/**
 * The SDK hands every request its transport's one AbortSignal, and undici leaves a listener on
 * that signal per request until garbage collection: a session making thousands of calls (the
 * load test polls every write it made) warns of a leak. Each request gets a signal of its own,
 * tied to the transport's while the request runs (as many at once as the test makes calls).
 */
const fetchWithOwnSignal: typeof fetch = async (url, init) => {
  const shared = init?.signal
  if (!shared) return fetch(url, init)
  const own = new AbortController()
  const abort = () => own.abort(shared.reason)
  const untie = () => shared.removeEventListener('abort', abort)
  setMaxListeners(0, shared)
  shared.addEventListener('abort', abort)
  try {
    const response = await fetch(url, { ...init, signal: own.signal })
    if (!response.body || [101, 204, 205, 304].includes(response.status)) { // no body to wait for
      untie()
      return response
    }
    // Tied until the body is read to its end (an event stream may run for a while).
    return new Response(response.body.pipeThrough(new TransformStream({ flush: untie })), response)
  }
  catch (err) {
    untie()
    throw err
  }
}

export async function connect(baseUrl: string, token: string, clientName = 'mctl-tests') {
  const client = new Client({ name: clientName, version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { 'Authorization': `Bearer ${token}`, 'X-Mctl-Client': clientName } },
    fetch: fetchWithOwnSignal,
  })
  await client.connect(transport)
  return {
    client,
    async call(name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
      const result = await client.callTool({ name, arguments: args })
      const text = (result.content as { type: string, text: string }[]).map(c => c.text).join('\n')
      return { isError: !!result.isError, text, data: result.structuredContent }
    },
    close: () => client.close(),
  }
}

export type McpSession = Awaited<ReturnType<typeof connect>>

/** Waits (polling, generous timeout) until an operation has finished; returns its status. */
export async function finished(session: McpSession, operationId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = (await session.call('mctl_get_workflow_status', { workflow_name: operationId })).data
    if (['succeeded', 'failed', 'cancelled'].includes(status.status)) return status
    if (Date.now() > deadline) throw new Error(`Operation ${operationId} still ${status.status} after ${timeoutMs} ms`)
    await new Promise(r => setTimeout(r, 100))
  }
}
