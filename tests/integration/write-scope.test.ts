// Everything that changes state needs the write scope (AUTH.md "Scopes"), whatever the identity:
// here a read-only personal token of the platform admin. Every non-GET route is found on disk
// (server/api, server/routes) and in the REST router's OpenAPI document, and every write tool
// is called over REST and MCP, so a new route or tool is covered the day it is added.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'
import { connect, type McpSession } from '../helpers/mcp'
import { fileRoutes, key, unsafe } from '../helpers/routes'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'
import { callRest, inputFor, type ToolInputContext } from '../helpers/tool-input'
import { addUser } from '../helpers/users'

const INTAKE_TOKEN = 'alertmanager-shared-secret-0123456789'
const READ_ONLY = /read scope only/

/**
 * Non-GET routes that do not act on a bearer identity, each with the reason; `status` is what
 * the read-only admin token gets there (checked), where it is refused outright.
 */
const EXCEPTIONS: Record<string, { reason: string, status?: number }> = {
  'ANY /api/v1/[...path]': { reason: 'the REST router: every non-GET route in its OpenAPI document is walked below' },
  'POST /mcp': { reason: 'JSON-RPC: each tools/call is checked by the tool\'s kind; every write tool is called over MCP below' },
  'DELETE /mcp': { reason: 'always 405: there are no MCP sessions to end' },
  'POST /api/auth/login': { reason: 'password sign-in: authenticates by login and password, not by a token' },
  'POST /api/auth/setup': { reason: 'redeems a one-time setup link: the link is the credential' },
  'POST /api/auth/logout': { reason: 'ends the browser session only; a bearer caller has none' },
  'POST /api/tokens': { reason: 'browser session only: bearer tokens are not accepted at all', status: 401 },
  'DELETE /api/tokens/[id]': { reason: 'browser session only: bearer tokens are not accepted at all', status: 401 },
  'DELETE /api/auth/connected-clients/[id]': { reason: 'browser session only: bearer tokens are not accepted at all', status: 401 },
  'DELETE /api/auth/sessions/[id]': { reason: 'browser session only: bearer tokens are not accepted at all', status: 401 },
  'POST /oauth/consent/[uid]': { reason: 'browser session only: bearer tokens are not accepted at all', status: 401 },
  'POST /api/v1/alerts/alertmanager': { reason: 'Alertmanager webhook: authenticates by NUXT_ALERTMANAGER_TOKEN' },
  'POST /api/v1/telegram/webhook': { reason: 'Telegram webhook: authenticates by NUXT_TELEGRAM_WEBHOOK_SECRET' },
  'POST /api/v1/github/webhook': { reason: 'GitHub App webhook: authenticates by its X-Hub-Signature-256 under NUXT_GITHUB_APP_WEBHOOK_SECRET' },
  'POST /api/v1/intake/[token]': { reason: 'OpenClaw intake: the one-time link is the credential' },
  'ANY /.well-known': { reason: 'public discovery documents; no method changes anything' },
  'ANY /.well-known/[...path]': { reason: 'public discovery documents; no method changes anything' },
  'ANY /oauth/authorize': { reason: 'OAuth protocol endpoint (browser session and client), not a bearer identity' },
  'ANY /oauth/authorize/[uid]': { reason: 'OAuth protocol endpoint (browser session and client), not a bearer identity' },
  'ANY /oauth/jwks': { reason: 'OAuth public keys, read-only' },
  'ANY /oauth/register': { reason: 'OAuth dynamic client registration (RFC 7591): open by design, rate-limited per IP' },
  'ANY /oauth/revoke': { reason: 'OAuth token revocation: authenticates the client, and only ends tokens' },
  'ANY /oauth/token': { reason: 'OAuth token endpoint: authenticates by client credentials and codes' },
}

/** Request bodies that would succeed with the write scope, so only the scope can refuse them. */
const BODIES: Record<string, unknown> = {
  'POST /api/auth/invites': { login: 'mallory', isAdmin: true },
  'POST /api/v1/incidents/[id]/approve': { reason: 'looks good' },
  'POST /api/v1/incidents/[id]/reject': { reason: 'no' },
}

let server: TestServer
let readOnly: string
let mcp: McpSession
const ctx: ToolInputContext = { workflow: 'create-tenant-00000000', incident: '' }
const params = (): Record<string, string> => ({ id: ctx.incident })

const call = (method: string, path: string, body: unknown = {}) => fetch(`${server.url}${path}`, {
  method,
  headers: { 'authorization': `Bearer ${readOnly}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

beforeAll(async () => {
  server = await startServer({ env: { NUXT_ALERTMANAGER_TOKEN: INTAKE_TOKEN } })
  // The bootstrap ADMIN_TOKEN belongs to user `admin`; this token is the same admin's, read only.
  readOnly = addUser(server.dataDir, 'admin', { scopes: ['read'] })
  const intake = await fetch(`${server.url}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'KubePodCrashLooping', severity: 'critical' }, startsAt: '2026-11-25T10:00:00Z', fingerprint: 'scope0001' }] }),
  }).then(r => r.json())
  ctx.incident = intake.created[0]
  expect(ctx.incident).toMatch(/^[0-9a-f]{8,32}$/)
  mcp = await connect(server.url, readOnly)
})
afterAll(async () => {
  await mcp?.close()
  await server?.stop()
})

it('the read-only token is the admin\'s, and reads work', async () => {
  const me = await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${readOnly}` } })
  expect(me.status).toBe(200)
  expect(await me.json()).toMatchObject({ userId: 'admin', isAdmin: true })
  expect((await mcp.call('mctl_whoami')).isError).toBe(false)
})

describe('non-GET routes on disk', () => {
  const routes = fileRoutes().filter(unsafe)

  it('lists no exception that is not a route any more', () => {
    expect(Object.keys(EXCEPTIONS).filter(k => !routes.some(r => key(r) === k))).toEqual([])
  })

  const refusing = routes.filter(r => EXCEPTIONS[key(r)]?.status !== undefined || !EXCEPTIONS[key(r)])
  it.each(refusing.map(r => [key(r), r] as const))('%s refuses the read-only admin token', async (name, route) => {
    const exception = EXCEPTIONS[name]
    const path = route.pattern.replace(/\[(\w+)\]/g, (_, p: string) => encodeURIComponent(params()[p] ?? 'x'))
    const res = await call(route.method === 'ANY' ? 'POST' : route.method, path, BODIES[name])
    const text = await res.text()
    expect(res.status, `${name}: ${text.slice(0, 300)}`).toBe(exception?.status ?? 403)
    if (!exception) expect(JSON.parse(text).error).toMatch(READ_ONLY)
  })
})

describe('non-GET routes of the REST router', () => {
  it('each refuses the read-only admin token', async () => {
    const doc = await fetch(`${server.url}/api/v1/openapi.json`).then(r => r.json()) as { paths: Record<string, Record<string, { operationId?: string }>> }
    const onDisk = fileRoutes().map(r => r.pattern)
    const checked: string[] = []
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (method === 'get') continue
        const name = `${method.toUpperCase()} ${path}`
        const tool = tools.find(t => t.name === op.operationId)
        const outcomes: { what: string, status: number, body: string }[] = []
        if (tool) {
          outcomes.push({ what: name, ...await callRest(server.url, tool, inputFor(tool, ctx), readOnly) })
        }
        else if (path === '/api/v1/operations/{name}/execute') {
          for (const t of tools.filter(t => t.operation)) {
            const res = await call('POST', `/api/v1/operations/${t.operation!.name}/execute`, inputFor(t, ctx))
            outcomes.push({ what: `${name} (${t.operation!.name})`, status: res.status, body: await res.text() })
          }
        }
        else {
          // A hand-written route in the document is a file on disk, walked above.
          expect(onDisk, `${name} is neither a tool, the execute route nor a file route: cover it here`).toContain(path.replace(/\{(\w+)\}/g, '[$1]'))
          continue
        }
        for (const o of outcomes) {
          expect(o.status, `${o.what}: ${o.body.slice(0, 300)}`).toBe(403)
          expect(JSON.parse(o.body).error).toMatch(READ_ONLY)
          checked.push(o.what)
        }
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(tools.filter(t => kindOf(t) !== 'read').length)
  })
})

describe('write tools over MCP', () => {
  // HTTP 403 with the insufficient_scope challenge (not a tool result), so the client can step up.
  it.each(tools.filter(t => kindOf(t) !== 'read').map(t => [t.name, t] as const))('%s refuses the read-only admin token', async (_, tool) => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${readOnly}`, 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: tool.name, method: 'tools/call', params: { name: tool.name, arguments: inputFor(tool, ctx) } }),
    })
    const text = await res.text()
    expect(res.status, text).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="write", resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`)
    expect(JSON.parse(text)).toMatchObject({ id: tool.name, error: { message: expect.stringMatching(READ_ONLY) } })
  })
})

it('let nothing through: no invite minted, no write allowed in the audit log', () => {
  const db = new Database(join(server.dataDir, 'mctl.db'), { readonly: true })
  try {
    expect(db.prepare('select count(*) as n from setup_tokens where login = ?').get('mallory')).toEqual({ n: 0 })
    expect(db.prepare('select count(*) as n from audit_events where decision = ?').get('allowed')).toEqual({ n: 0 })
    expect((db.prepare('select count(*) as n from audit_events where decision = ?').get('denied') as { n: number }).n).toBeGreaterThan(0)
  }
  finally { db.close() }
})
