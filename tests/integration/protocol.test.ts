import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

let server: TestServer
beforeAll(async () => { server = await startServer() })
afterAll(async () => { await server?.stop() })

const headers = (extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'accept': 'application/json, text/event-stream',
  'authorization': `Bearer ${ADMIN_TOKEN}`,
  ...extra,
})
const rpc = (body: unknown, extra?: Record<string, string>) =>
  fetch(`${server.url}/mcp`, { method: 'POST', headers: headers(extra), body: typeof body === 'string' ? body : JSON.stringify(body) })

describe('/mcp (stateless Streamable HTTP, JSON responses)', () => {
  it('initializes without a session and negotiates the version', async () => {
    const res = await rpc({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(res.headers.get('mcp-session-id')).toBeNull()
    const body = await res.json()
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'mctl' } } })
    expect(body.result.instructions).toMatch(/GitOps/)

    const unknown = await (await rpc({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 't', version: '1' } } })).json()
    expect(unknown.result.protocolVersion).toBe('2025-11-25')
  })

  it('answers ping, tools/list and JSON-RPC errors', async () => {
    expect(await (await rpc({ jsonrpc: '2.0', id: 'p', method: 'ping' })).json()).toEqual({ jsonrpc: '2.0', id: 'p', result: {} })
    const list = await (await rpc({ jsonrpc: '2.0', id: 3, method: 'tools/list' })).json()
    expect(list.result.tools.length).toBeGreaterThanOrEqual(11)
    expect((await (await rpc({ jsonrpc: '2.0', id: 4, method: 'resources/list' })).json()).error.code).toBe(-32601)
    expect((await (await rpc({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'mctl_nope' } })).json()).error).toMatchObject({ code: -32602, message: 'Unknown tool: mctl_nope' })
    expect((await (await rpc({ id: 6, method: 'ping' })).json()).error.code).toBe(-32600)
    const parse = await rpc('{"jsonrpc":')
    expect(parse.status).toBe(400)
    expect((await parse.json()).error.code).toBe(-32700)
  })

  it('lists and runs only the selected toolsets (/mcp?toolsets=…), mctl_whoami always', async () => {
    const at = (query: string, body: unknown) => fetch(`${server.url}/mcp?${query}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) })
    const list = await (await at('toolsets=services,domains', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).json()
    const names: string[] = list.result.tools.map((t: { name: string }) => t.name)
    expect(names).toEqual(expect.arrayContaining(['mctl_whoami', 'mctl_deploy_service', 'mctl_list_services', 'mctl_verify_domain', 'mctl_add_custom_domain']))
    expect(names.filter(n => /tenant|incident|preview|database|repo|openclaw|operation|workflow/.test(n))).toEqual([])
    const all = await (await rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).json()
    expect(all.result.tools.length).toBeGreaterThan(names.length)

    const outside = await (await at('toolsets=services', { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'mctl_list_tenants', arguments: {} } })).json()
    expect(outside.error).toEqual({ code: -32602, message: 'Unknown tool: mctl_list_tenants (not in the selected toolsets: identity, services)' })
    const whoami = await (await at('toolsets=services', { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } })).json()
    expect(whoami.result.structuredContent).toMatchObject({ userId: 'admin' })

    const unknown = await at('toolsets=services,kubernetes', { jsonrpc: '2.0', id: 5, method: 'tools/list' })
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error).toEqual({ code: -32602, message: 'Unknown toolset kubernetes in toolsets (valid toolsets: identity, tenants, services, operations, incidents, domains, databases, previews, repos, optimization)' })
  })

  it('sends tools/list gzip-compressed to clients that take it, and plain to the others', async () => {
    // Raw HTTP, so the bytes on the wire are seen as they are (fetch would decode them).
    const raw = (acceptEncoding?: string) => new Promise<{ headers: Record<string, unknown>, body: Buffer }>((resolve, reject) => {
      const url = new URL(`${server.url}/mcp`)
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/mcp', headers: { ...headers(), ...acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', c => chunks.push(c))
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 'list-ü', method: 'tools/list' }))
    })
    const plain = await raw()
    expect(plain.headers['content-encoding']).toBeUndefined()
    const list = JSON.parse(plain.body.toString())
    expect(list).toMatchObject({ jsonrpc: '2.0', id: 'list-ü' })
    for (const accept of ['gzip, deflate, br', 'br;q=1, gzip;q=0.5']) {
      const gzipped = await raw(accept)
      expect(gzipped.headers['content-encoding']).toBe('gzip')
      expect(gzipped.headers.vary).toMatch(/accept-encoding/i)
      expect(Number(gzipped.headers['content-length'])).toBe(gzipped.body.length)
      expect(gzipped.body.length).toBeLessThan(plain.body.length / 4)
      expect(JSON.parse(gunzipSync(gzipped.body).toString())).toEqual(list)
    }
    expect((await raw('gzip;q=0')).headers['content-encoding']).toBeUndefined()
    // And fetch(), as the MCP SDK's client uses it, reads it.
    expect(await (await rpc({ jsonrpc: '2.0', id: 'list-ü', method: 'tools/list' })).json()).toEqual(list)
  })

  it('accepts notifications with 202 and no body', async () => {
    const res = await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' })
    expect(res.status).toBe(202)
    expect(await res.text()).toBe('')
  })

  it('returns tool results with structured content and the same JSON as text', async () => {
    const body = await (await rpc({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } })).json()
    expect(body.result.structuredContent.userId).toBe('admin')
    expect(JSON.parse(body.result.content[0].text)).toEqual(body.result.structuredContent)
    const bad = await (await rpc({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'mctl_get_tenant', arguments: { name: 7 } } })).json()
    expect(bad.result.isError).toBe(true)
    expect(bad.result.content[0].text).toMatch(/name: Invalid input: expected string/)
  })

  it('checks Origin, protocol version, content type and size', async () => {
    const foreign = await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, { origin: server.url })).status).toBe(200)
    const version = await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-protocol-version': '2020-01-01' })
    expect(version.status).toBe(400)
    expect((await version.json()).error.message).toMatch(/unsupported protocol version/)
    expect((await rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-protocol-version': '2025-06-18' })).status).toBe(200)
    expect((await rpc('{}', { 'content-type': 'text/plain' })).status).toBe(415)
    const huge = await rpc({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1024 * 1024) } })
    expect(huge.status).toBe(413)
  })

  it('answers a browser\'s GET with the connect page, and MCP clients\' GET with 405', async () => {
    const json = await fetch(`${server.url}/mcp`, { headers: { accept: 'application/json' } })
    expect(json.status).toBe(405)
    expect(json.headers.get('allow')).toBe('POST')
    expect((await json.json()).error.message).toMatch(/stateless; use POST/)
    const html = await fetch(`${server.url}/mcp`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    const page = await html.text()
    expect(page).toContain('Connect an AI client')
    expect(page).toContain(`${server.url}/mcp`)
  })

  it('refuses GET and DELETE: there is no stream and no session', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${server.url}/mcp`, { method, headers: { accept: 'application/json, text/event-stream', authorization: `Bearer ${ADMIN_TOKEN}` } })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
    }
  })
})

describe('/api/v1', () => {
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, { ...init, headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers as object } })

  it('serves an OpenAPI 3.1 document with a route per tool', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    expect(doc.openapi).toBe('3.1.0')
    const ids = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId))
    for (const name of ['mctl_whoami', 'mctl_create_tenant', 'mctl_delete_tenant', 'mctl_get_workflow_status', 'execute_operation']) expect(ids).toContain(name)
    expect(doc.paths['/api/v1/tenants'].post.responses['202']).toBeDefined()
  })

  it('answers errors as JSON with the right status', async () => {
    const missing = await api('/tenants/ghost')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'Tenant "ghost" not found' })
    const method = await api('/whoami', { method: 'POST', body: '{}' })
    expect(method.status).toBe(405)
    expect(method.headers.get('allow')).toBe('GET')
    expect((await api('/nowhere')).status).toBe(404)
    const invalid = await api('/tenants', { method: 'POST', body: JSON.stringify({ tenant_name: 'Bad_Name' }) })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ error: expect.stringMatching(/^Invalid input: tenant_name: must be 1–31 characters/), details: [{ field: 'tenant_name' }] })
    const notJson = await api('/tenants', { method: 'POST', body: '{oops' })
    expect(notJson.status).toBe(400)
    const huge = await api('/tenants', { method: 'POST', body: JSON.stringify({ tenant_name: 'x', description: 'y'.repeat(1024 * 1024) }) })
    expect(huge.status).toBe(413)
  })

  it('coerces query strings to the input types', async () => {
    const res = await api('/workflows?limit=3&status=succeeded')
    expect(res.status).toBe(200)
    expect((await api('/workflows?limit=abc')).status).toBe(400)
  })

  it('runs operations by name through the generic execute route', async () => {
    const unknown = await api('/operations/launch-rocket/execute', { method: 'POST', body: '{}' })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).details.operations).toContain('create-tenant')
    const res = await api('/operations/create-tenant/execute', { method: 'POST', body: JSON.stringify({ tenant_name: 'via-execute', wait_seconds: 20 }) })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ status: 'succeeded', workflow_name: expect.stringMatching(/^create-tenant-/) })
    expect((await api('/tenants/via-execute')).status).toBe(200)
  })
})

describe('health', () => {
  it('reports liveness and readiness', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', repository: 'ok' } })
  })
})

describe('/metrics', () => {
  it('exposes request, tool-call and operation metrics in Prometheus format', async () => {
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/plain/)
    const text = await res.text()
    expect(text).toMatch(/mctl_tool_calls_total\{tool="mctl_whoami",outcome="ok"\} \d+/)
    expect(text).toMatch(/mctl_tool_calls_total\{tool="mctl_get_tenant",outcome="invalid"\} \d+/)
    expect(text).toMatch(/mctl_operations_total\{operation="create-tenant",status="succeeded"\} 1/)
    expect(text).toMatch(/mctl_http_requests_total\{surface="mcp",method="POST",status="200"\} \d+/)
    expect(text).toContain('mctl_process_resident_memory_bytes')
  })
})
