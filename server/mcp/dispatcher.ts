import { LRUCache } from 'lru-cache'
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js'
import type { Caller } from '../auth/identity'
import type { AnyTool } from '../tools/define'
import { toCompactInputSchema, toCompactOutputSchema } from '../utils/json-schema'
import { Precompressed } from './precompressed'
import { AppError, errorMessage } from '../utils/errors'

/** An answer built once (see Precompressed), completed by a per-request tail. */
export interface Prebuilt { answer: Precompressed, tail: string }

/**
 * An answer that carries HTTP headers (and a status) besides its body: a call the rate limit
 * refused (a tool result the model reads, 200, with Retry-After), or one refused for want of a
 * scope (HTTP 403 with the insufficient_scope challenge, MCP's step-up; a JSON-RPC error body).
 */
export class Headed {
  constructor(readonly body: string, readonly headers: Record<string, string>, readonly status = 200) {}
}

export type Answer = string | Prebuilt | Headed

export type Invoke = (tool: AnyTool, args: unknown, caller: Caller) => Promise<Record<string, unknown>>

interface JsonRpcMessage { jsonrpc?: unknown, id?: unknown, method?: unknown, params?: any, result?: unknown, error?: unknown }

export const INSTRUCTIONS = 'MCTL manages tenants (team workspaces), services, domains, databases, preview environments and incidents on a Kubernetes platform. Every write becomes an attributed commit in the GitOps repository that Argo CD syncs: writes answer with an operation id at once (pass wait_seconds to wait), and mctl_get_workflow_status shows progress. Destructive tools return a plan and a confirm token first. Start with mctl_whoami to see your tenants.'

/**
 * A tool as tools/list sends it. The title is the top-level `title` (MCP 2025-06-18 on, what
 * clients display first); it is not repeated as `annotations.title`, the 2025-03-26 place, which
 * clients only fall back to (a client that knows neither shows the name).
 */
export function toolDescriptor(tool: AnyTool) {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toCompactInputSchema(tool.input),
    outputSchema: toCompactOutputSchema(tool.output),
    annotations: tool.annotations,
  }
}

/** The tools a client sees: all of them, or those of the toolsets it selected (`/mcp?toolsets=…`). */
export interface Toolset {
  /** The tools/list answer, serialized once for this selection. */
  readonly list: Precompressed
  readonly byName: ReadonlyMap<string, AnyTool>
  /** The selected toolsets (with identity, always there), or null for all tools. */
  readonly names: string[] | null
}

/** Listed and callable whatever the selection: mctl_whoami is where an agent starts. */
export const ALWAYS_SELECTED = 'identity'

/**
 * MCP over stateless Streamable HTTP, answered with plain JSON. Each POST is parsed,
 * authenticated and dispatched; nothing is built per request: the tools/list answer is
 * serialized once per toolset selection (the first time it is asked for), and tools/call
 * goes straight to the registry's handler.
 */
export class McpDispatcher {
  /** The toolsets clients can select: the registry's categories, in its order. */
  readonly toolsets: readonly string[]
  private readonly descriptors: Map<string, string>
  private readonly all: Toolset
  // At most 2^10 selections exist; the few a deployment's clients use stay built.
  private readonly selections = new LRUCache<string, Toolset>({ max: 32 })

  constructor(private readonly tools: AnyTool[], private readonly invoke: Invoke, private readonly version: string) {
    this.toolsets = [...new Set(tools.map(t => t.category ?? 'other'))]
    this.descriptors = new Map(tools.map(t => [t.name, JSON.stringify(toolDescriptor(t))]))
    this.all = this.build(tools, null)
  }

  /**
   * The toolset of `?toolsets=a,b` (comma-separated categories), or every tool when the
   * parameter is absent or empty. Unknown names are a 400 naming the valid ones.
   */
  select(param: string | undefined): Toolset {
    const asked = (param ?? '').split(',').map(s => s.trim()).filter(Boolean)
    if (!asked.length) return this.all
    const unknown = asked.filter(n => !this.toolsets.includes(n))
    if (unknown.length) throw new AppError(400, `Unknown toolset${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in toolsets (valid toolsets: ${this.toolsets.join(', ')})`)
    const names = this.toolsets.filter(n => n === ALWAYS_SELECTED || asked.includes(n))
    const key = names.join(',')
    let selection = this.selections.get(key)
    if (!selection) {
      selection = this.build(this.tools.filter(t => names.includes(t.category ?? 'other')), names)
      this.selections.set(key, selection)
    }
    return selection
  }

  private build(tools: AnyTool[], names: string[] | null): Toolset {
    // The id last, so that all but the end of the answer is the same for every request.
    const list = new Precompressed(Buffer.from(`{"jsonrpc":"2.0","result":{"tools":[${tools.map(t => this.descriptors.get(t.name)).join(',')}]},"id":`))
    return { list, byName: new Map(tools.map(t => [t.name, t])), names }
  }

  /**
   * A JSON-RPC response as text (or, for tools/list, a prebuilt answer and its tail; for a
   * rate-limited or scope-refused call, a Headed), or null for notifications and responses (HTTP 202).
   */
  async handle(message: JsonRpcMessage, caller: Caller, toolset: Toolset = this.all): Promise<Answer | null> {
    const isRequest = typeof message.method === 'string' && message.id !== undefined && message.id !== null
    if (message?.jsonrpc !== '2.0') return error(message?.id ?? null, -32600, 'Invalid Request: jsonrpc must be "2.0"')
    if (!isRequest) {
      if (typeof message.method === 'string' || 'result' in message || 'error' in message) return null
      return error(message.id ?? null, -32600, 'Invalid Request')
    }
    if (typeof message.id !== 'string' && typeof message.id !== 'number') return error(null, -32600, 'Invalid Request: id must be a string or number')
    const id = message.id
    switch (message.method) {
      case 'initialize': return result(id, this.initialize(message.params))
      case 'ping': return result(id, {})
      // Serialized once per selection; only the id is new per request.
      case 'tools/list': return { answer: toolset.list, tail: `${JSON.stringify(id)}}` }
      case 'tools/call': return this.callTool(id, message.params, caller, toolset)
      default: return error(id, -32601, `Method not found: ${String(message.method)}`)
    }
  }

  private initialize(params: any) {
    const requested = params?.protocolVersion
    return {
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'mctl', title: 'MCTL', version: this.version },
      instructions: INSTRUCTIONS,
    }
  }

  private async callTool(id: string | number, params: any, caller: Caller, toolset: Toolset): Promise<string | Headed> {
    const name = params?.name
    const tool = typeof name === 'string' ? toolset.byName.get(name) : undefined
    if (!tool) {
      const elsewhere = toolset.names && this.descriptors.has(name)
      return error(id, -32602, `Unknown tool: ${String(name)}${elsewhere ? ` (not in the selected toolsets: ${toolset.names!.join(', ')})` : ''}`)
    }
    try {
      const json = JSON.stringify(await this.invoke(tool, params.arguments ?? {}, caller))
      // The same JSON twice (as text and as structured content), serialized once.
      return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":${JSON.stringify(json)}}],"structuredContent":${json}}}`
    }
    catch (err) {
      // Tool failures go back to the model as results it can read and act on — a rate limit
      // too (it says when to retry; the SDKs would turn a transport error into an exception).
      const e = err instanceof AppError ? err : new AppError(500, errorMessage(err))
      // …but a missing scope is the client's to fix: it must see the 403 and its challenge.
      if (e.status === 403 && e.headers?.['WWW-Authenticate']) return new Headed(error(id, -32003, e.message), e.headers, 403)
      const text = e.details ? `${e.message}\n${JSON.stringify(e.details)}` : e.message
      const answer = result(id, { content: [{ type: 'text', text }], isError: true })
      return e.status === 429 ? new Headed(answer, e.headers ?? {}) : answer
    }
  }
}

const result = (id: string | number, value: unknown) => JSON.stringify({ jsonrpc: '2.0', id, result: value })
const error = (id: unknown, code: number, message: string) => JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })
