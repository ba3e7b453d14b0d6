// Valid input for any registered tool, from its JSON Schema: for suites that call every tool
// (the access matrix, the write-scope walk), so a new tool is covered the day it is registered.
import type { AnyTool } from '../../server/tools/define'
import { toJsonSchema } from '../../server/utils/json-schema'

export const TENANT = 'acme'
/** Input fields that name the tenant a tool acts on. */
const TENANT_FIELDS = new Set(['tenant', 'tenant_name', 'team', 'team_name'])

/** Things of the test's own making that some inputs name (an operation, an incident). */
export interface ToolInputContext { workflow: string, incident: string }

/** Values for required fields the schema alone cannot make valid; `tool.field` beats `field`. */
const FIXTURES: Record<string, (ctx: ToolInputContext) => unknown> = {
  'mctl_get_operation.name': () => 'create-tenant',
  'workflow_name': ({ workflow }) => workflow,
  // An incident of the tenant: its access rule is the tenant's.
  'mctl_get_incident.id': ({ incident }) => incident,
  'mctl_acknowledge_incident.id': ({ incident }) => incident,
  'mctl_resolve_incident.id': ({ incident }) => incident,
  'repo': () => 'acme/web',
  'domain': () => 'shop.acme-corp.example',
  'telegram_owner_ids': () => [123456789],
}

/** Valid input for a tool, from its JSON Schema: the test tenant, fixtures, then type defaults. */
export function inputFor(tool: AnyTool, ctx: ToolInputContext): Record<string, unknown> {
  const schema = toJsonSchema(tool.input, 'input')
  const required = new Set<string>(schema.required ?? [])
  const args: Record<string, unknown> = {}
  for (const [field, prop] of Object.entries(schema.properties ?? {}) as [string, Record<string, any>][]) {
    const fixture = FIXTURES[`${tool.name}.${field}`] ?? FIXTURES[field]
    const namesTenant = TENANT_FIELDS.has(field) || /^tenant\b/i.test(prop.description ?? '')
    if (fixture) args[field] = fixture(ctx)
    else if (namesTenant) args[field] = TENANT
    else if (required.has(field)) args[field] = prop.enum?.[0] ?? prop.const ?? ({ integer: prop.minimum ?? 1, number: prop.minimum ?? 1, boolean: false, array: [], object: {} } as Record<string, unknown>)[prop.type] ?? 'x'
  }
  const parsed = tool.input.safeParse(args)
  if (!parsed.success) throw new Error(`No valid input for ${tool.name} (${parsed.error.issues.map(i => i.path.join('.')).join(', ')}): add a fixture to FIXTURES in tests/helpers/tool-input.ts`)
  return args
}

/** The tool's REST call: path parameters filled in, the rest as query (GET) or JSON body. */
export async function callRest(base: string, tool: AnyTool, args: Record<string, unknown>, token?: string) {
  const rest = { ...args }
  const path = tool.rest.path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = encodeURIComponent(String(rest[k]))
    delete rest[k]
    return v
  })
  const url = new URL(path, base)
  const get = tool.rest.method === 'GET'
  if (get) for (const [k, v] of Object.entries(rest)) url.searchParams.set(k, String(v))
  const res = await fetch(url, {
    method: tool.rest.method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(get ? {} : { 'content-type': 'application/json' }) },
    body: get ? undefined : JSON.stringify(rest),
  })
  return { status: res.status, body: await res.text() }
}
