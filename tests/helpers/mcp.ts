// An MCP SDK client against the built server over real HTTP (Streamable HTTP transport).
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'

export interface ToolAnswer {
  isError: boolean
  text: string
  data: any
}

export async function connect(baseUrl: string, token: string, clientName = 'mctl-tests') {
  const client = new Client({ name: clientName, version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { 'Authorization': `Bearer ${token}`, 'X-Mctl-Client': clientName } },
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
