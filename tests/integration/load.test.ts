// Many MCP clients at once, reads and writes mixed, for a while: no answer is a 5xx and every
// accepted write finishes. MCTL_STRESS=1 (npm run test:stress): 200 clients for 60 s.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, finished } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

const STRESS = process.env.MCTL_STRESS === '1'
const CLIENTS = STRESS ? 200 : 20
const SECONDS = STRESS ? 60 : 5

let server: TestServer
beforeAll(async () => { server = await startServer() })
afterAll(async () => { await server?.stop() })

/** One MCP request over the client's own keep-alive connection: its HTTP status and JSON-RPC result. */
function mcp(agent: http.Agent, method: string, params?: unknown): Promise<{ status: number, result: any }> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/mcp', method: 'POST', agent, headers: {
      'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18',
    } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        const json = text.startsWith('event:') ? JSON.parse(text.split('\ndata: ')[1]!) : text ? JSON.parse(text) : {}
        resolve({ status: res.statusCode!, result: json.result })
      })
    })
    req.on('error', reject)
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) }))
  })
}

describe(`${CLIENTS} MCP clients for ${SECONDS} s`, () => {
  it('answer every request below 500 and finish every accepted write', { timeout: (SECONDS + 240) * 1000 }, async () => {
    const admin = await connect(server.url, ADMIN_TOKEN)
    await finished(admin, (await admin.call('mctl_create_tenant', { tenant_name: 'load', quota_pods: 200 })).data.operation_id)
    const statuses = new Map<number, number>()
    const accepted: string[] = []
    const until = Date.now() + SECONDS * 1000
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      for (let i = 0; Date.now() < until; i++) {
        const call = (name: string, args: Record<string, unknown>) => mcp(agent, 'tools/call', { name, arguments: args })
        const r = [
          () => mcp(agent, 'tools/list'),
          () => call('mctl_list_services', { limit: 50 }),
          () => call('mctl_get_tenant', { name: 'load' }),
          () => call('mctl_list_tenants', {}),
          () => call('mctl_deploy_service', { action: i < 5 ? 'onboard' : 'deploy', team_name: 'load', component_name: `c${c % 40}`, image: i < 5 ? 'ghcr.io/load/app' : undefined, image_tag: `1.0.${i}` }),
        ][i % 5]!
        const { status, result } = await r()
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (result?.structuredContent?.operation_id) accepted.push(result.structuredContent.operation_id)
      }
      agent.destroy()
    }))
    expect([...statuses.keys()].filter(s => s >= 500), JSON.stringify([...statuses])).toEqual([])
    for (const id of accepted) expect(['succeeded', 'failed']).toContain((await finished(admin, id, 600_000)).status)
    await admin.close()
  })
})
