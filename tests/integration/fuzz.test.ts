// Property-based fuzzing of every write tool's REST input (fast-check): whatever arrives, the
// answer is a 4xx that names what is wrong (or the write is accepted), never a 5xx; the
// commits that accepted writes made stay inside the tenant they name, inside the repository;
// and no secret value sent along shows up in git, the database, the logs or any answer.
// MCTL_STRESS=1 (npm run test:stress) runs 10,000 cases per tool instead of a few hundred.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kindOf } from '../../server/tools/define'
import { toJsonSchema } from '../../server/utils/json-schema'
import { tools } from '../../server/tools/registry'
import { commits, trailer } from '../helpers/git'
import { findLeaks } from '../helpers/leaks'
import { connect, finished, type McpSession } from '../helpers/mcp'
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server'

const STRESS = process.env.MCTL_STRESS === '1'
const RUNS = STRESS ? 10_000 : 150
const TENANT = 'fuzz'
/** Sent only as secret values: it must never be stored or shown in the clear. */
const SECRET = 'fuzz-secret-value-5d1c7e0b9a'
const answers: string[] = []

let server: TestServer, admin: McpSession, around: string[]
beforeAll(async () => {
  server = await startServer()
  admin = await connect(server.url, ADMIN_TOKEN)
  const tenant = await admin.call('mctl_create_tenant', { tenant_name: TENANT, quota_pods: 50 })
  await finished(admin, tenant.data.operation_id)
  const web = await admin.call('mctl_deploy_service', { action: 'onboard', team_name: TENANT, component_name: 'web', image: 'ghcr.io/fuzz/web:1.0.0', secret_env_vars: { API_KEY: SECRET } })
  await finished(admin, web.data.operation_id)
  around = dataDirEntries()
})
afterAll(async () => {
  await admin?.close()
  await server?.stop()
})

/** The data directory's own entries (SQLite's -wal/-shm come and go). */
const dataDirEntries = () => readdirSync(server.dataDir).filter(f => !/^mctl\.db-/.test(f)).sort()

/** Values that reach past shape checks: existing names, traversal, injection, edge sizes. */
const hostile = fc.constantFrom(
  TENANT, 'web', 'fuzz-2', '../../etc/passwd', '..', 'fuzz/../other', '/etc', 'tenants/fuzz', '%2e%2e%2f', 'a'.repeat(300), '', ' ',
  'FUZZ', 'fuzz\n', 'fuzz;rm -rf /', '$(id)', '{{ .Values }}', 'ghcr.io/fuzz/web:1.0.1', '1.0.1', 'a.example.com', '/healthz', '-1', 'NaN',
)

/** Anything for a field; secret values only ever carry SECRET. */
function valueOf(key: string, p: { enum?: unknown[] }) {
  if (key === 'secret_env_vars') return fc.dictionary(fc.constantFrom('API_KEY', 'TOKEN', 'bad name', '../X'), fc.constant(SECRET), { maxKeys: 2 })
  return fc.oneof(
    ...(p.enum ? [fc.constantFrom(...p.enum)] : []),
    hostile,
    fc.string({ maxLength: 80 }),
    fc.integer({ min: -2, max: 70_000 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostile, { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostile, fc.string({ maxLength: 12 })), fc.oneof(hostile, fc.string({ maxLength: 20 })), { maxKeys: 3 }),
  )
}

function argsOf(tool: typeof tools[number]) {
  const props = (toJsonSchema(tool.input, 'input').properties ?? {}) as Record<string, { enum?: unknown[] }>
  return fc.record(Object.fromEntries(Object.entries(props).map(([key, p]) => [key, fc.option(valueOf(key, p), { nil: undefined })])), { requiredKeys: [] })
}

/** The tool's REST request: path parameters from the arguments, the rest as the JSON body. */
async function request(tool: typeof tools[number], args: Record<string, unknown>) {
  const body = { ...args }
  const path = tool.rest.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = body[key]
    delete body[key]
    return encodeURIComponent(value && typeof value === 'object' ? JSON.stringify(value) : String(value ?? ''))
  })
  // A "." or ".." value is a dot segment the client resolves before sending (WHATWG URLs, even
  // %2E%2E): such a request reaches another route, whose fields its answer names.
  const resolved = new URL(`${server.url}${path}`).pathname !== path
  const res = await fetch(`${server.url}${path}`, {
    method: tool.rest.method,
    headers: { 'authorization': `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { res, resolved }
}

const writes = tools.filter(t => kindOf(t) !== 'read')
const accepted: string[] = []

describe('fuzzed write input', () => {
  it.each(writes.map(t => [t.name, t] as const))('%s answers 4xx naming the problem, never 5xx', { timeout: STRESS ? 3_600_000 : 120_000 }, async (_, tool) => {
    const fields = Object.keys((toJsonSchema(tool.input, 'input').properties ?? {}))
    await fc.assert(fc.asyncProperty(argsOf(tool), async (args) => {
      const { res, resolved } = await request(tool, args)
      const text = await res.text()
      answers.push(text)
      const body = JSON.parse(text) as { error?: string, operation_id?: string }
      // An integration that is not configured here (GitHub App, DNS…) says which setting is missing.
      // (Not `return expect(…)`: what an assertion returns is not a verdict, and fast-check
      // reads a returned false as a failed property.)
      if (res.status === 503) {
        expect(body.error).toMatch(/NUXT_[A-Z_]+|not configured/)
        return
      }
      expect(res.status, JSON.stringify({ args, body })).toBeLessThan(500)
      if (res.status === 400 && !resolved) expect(fields.some(f => body.error!.includes(f)) || /body|JSON/.test(body.error!), body.error).toBe(true)
      if (body.operation_id) accepted.push(body.operation_id)
    }), { numRuns: RUNS })
  })

  it('committed only inside the tenant each accepted write named, inside the repository', { timeout: 600_000 }, async () => {
    const tenantOf = new Map<string, string | null>()
    for (const id of accepted) tenantOf.set(id, (await finished(admin, id, 600_000)).team ?? null)
    const repo = join(server.dataDir, 'gitops')
    for (const c of commits(repo)) {
      const id = trailer(c.body, 'Mctl-Operation')
      if (!id || !tenantOf.has(id)) continue
      const tenant = tenantOf.get(id)
      for (const file of c.files) {
        expect(file.startsWith(`tenants/${tenant}/`) || file.startsWith(`platform/databases/shared-pg/`), `${c.subject}: ${file}`).toBe(true)
      }
    }
    // Nothing new in the data directory: a path that escaped the repository would land there.
    expect(dataDirEntries()).toEqual(around)
  })

  it('left no secret value in git, the database, the logs or any answer', async () => {
    expect(findLeaks({ repo: join(server.dataDir, 'gitops'), dataDir: server.dataDir, output: server.output(), answers }, [SECRET])).toEqual([])
  })
})
