import { describe, expect, it } from 'vitest'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import { McpDispatcher, toolDescriptor } from '../../server/mcp/dispatcher'
import { tools } from '../../server/tools/registry'
import { toolReference } from '../../server/docs/reference'

const descriptors = tools.map(toolDescriptor)
const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v))

// What tools/list costs every session of every agent, in bytes (≈ tokens × 4). It was 98 KB
// (≈25,000 tokens) before output schemas lost their repeated prose and shared their shapes;
// every write now also takes wait_seconds (+1 KB); 83 KB before the descriptions came down to
// when to use a tool and what it needs, and the title was sent once. About half of what is left
// is output schemas with no prose left in them: the shapes the tools answer. mctl_list_services'
// catalog filters and each service's health and sync (issue 21) added 0.5 KB.
const CEILING = 78_000

describe('the tools/list catalogue', () => {
  it(`stays under ${CEILING} bytes`, () => {
    const rows = descriptors.map(d => ({ tool: d.name, input: size(d.inputSchema), output: size(d.outputSchema), total: size(d) }))
    console.table(rows.sort((a, b) => b.total - a.total))
    const total = size({ tools: descriptors })
    console.log(`tools/list: ${total} bytes ≈ ${Math.round(total / 4)} tokens`)
    expect(total).toBeLessThanOrEqual(CEILING)
  })
})

type Schema = Record<string, any>

/** Every subschema with the path to it. */
function* subschemas(node: Schema, path: string): Generator<[string, Schema]> {
  yield [path, node]
  for (const k of ['items', 'additionalProperties', 'not', 'propertyNames'])
    if (node[k] && typeof node[k] === 'object') yield* subschemas(node[k], `${path}/${k}`)
  for (const k of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
    for (const [i, s] of (node[k] ?? []).entries()) yield* subschemas(s, `${path}/${k}/${i}`)
  for (const k of ['properties', '$defs'])
    for (const [n, s] of Object.entries<Schema>(node[k] ?? {})) yield* subschemas(s, `${path}/${k}/${n}`)
}

/** What MCP Inspector and strict clients (OpenAI's, Gemini's) warn about or refuse. */
function portabilityProblems(root: Schema): string[] {
  const problems: string[] = []
  for (const [path, s] of subschemas(root, '#')) {
    if (Array.isArray(s.type)) problems.push(`${path}: type array ${JSON.stringify(s.type)}`)
    if (s.additionalProperties && typeof s.additionalProperties === 'object' && !Object.keys(s.additionalProperties).length) problems.push(`${path}: additionalProperties {}`)
    if ((s.properties || s.additionalProperties !== undefined || s.required) && s.type !== 'object') problems.push(`${path}: an object without "type": "object"`)
    if (s.$ref) {
      const target = (s.$ref as string).replace(/^#\//, '').split('/').reduce<any>((n, k) => n?.[k], root)
      if (!s.$ref.startsWith('#/$defs/') || !target) problems.push(`${path}: $ref ${s.$ref} does not resolve`)
    }
    if (s.$schema || s.definitions) problems.push(`${path}: $schema or definitions`)
  }
  return problems
}

describe('schemas every client accepts', () => {
  it.each(descriptors.map(d => [d.name, d] as const))('%s: input and output schemas are portable', (_, d) => {
    expect(portabilityProblems(d.inputSchema)).toEqual([])
    expect(portabilityProblems(d.outputSchema)).toEqual([])
    expect(d.inputSchema.type).toBe('object')
    expect(d.outputSchema.type).toBe('object')
  })

  it('rewrites nullable fields and free-form maps, and shares repeated shapes', () => {
    const incident = descriptors.find(d => d.name === 'mctl_get_incident')!.outputSchema
    expect(incident.properties.team).toEqual({ $ref: '#/$defs/stringOrNull' })
    expect(incident.$defs.stringOrNull).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] })
    expect(incident.properties.evidence.anyOf[0]).toEqual({ type: 'object' })
    expect(JSON.stringify(incident)).not.toContain('"description"')
    // Inputs keep every description: models fill arguments in from them.
    expect(descriptors.find(d => d.name === 'mctl_get_incident')!.inputSchema.properties.detail.description).toMatch(/full answer/)
  })

  it('sends each title once, and no input rule a pattern or format already says', () => {
    const create = descriptors.find(d => d.name === 'mctl_create_tenant')!
    // Top-level title (MCP 2025-06-18 on); annotations carry the hints only.
    expect(create.title).toBe('Create a tenant')
    expect(create.annotations).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false })
    // ^[a-z]… matches no empty string: minLength 1 says nothing more. format names the email regex.
    expect(create.inputSchema.properties.tenant_name).toEqual({ type: 'string', maxLength: 31, pattern: '^[a-z]([a-z0-9-]*[a-z0-9])?$', description: expect.any(String) })
    expect(create.inputSchema.properties.contact_email).toEqual({ type: 'string', format: 'email', description: expect.any(String) })
    // A minLength the pattern does not imply stays.
    expect(descriptors.find(d => d.name === 'mctl_get_workflow_status')!.inputSchema.properties.workflow_name.minLength).toBe(1)
    // The docs (and OpenAPI) keep the full form.
    const docs = toolReference(tools.find(t => t.name === 'mctl_create_tenant')!)
    expect(docs.inputs.find(f => f.name === 'tenant_name')!.rules).toEqual(['1–31 characters', 'pattern ^[a-z]([a-z0-9-]*[a-z0-9])?$'])
    expect(docs.inputs.find(f => f.name === 'contact_email')!.rules).toEqual([expect.stringMatching(/^pattern /), 'format email'])
  })

  it('still accepts what the tools answer, and refuses what they never do', () => {
    const ajv = new AjvJsonSchemaValidator()
    const check = ajv.getValidator(descriptors.find(d => d.name === 'mctl_get_workflow_status')!.outputSchema as never)
    const status = { workflowName: 'w', operationId: 'o', operation: 'create-tenant', status: 'running', team: null, service: 'api', user: 'u', client: 'c', createdAt: 't', startedAt: null, finishedAt: null, message: null, steps: [{ name: 's', status: 'queued', startedAt: null, finishedAt: null, message: null }], log: [], commit: null, error: null, result: { any: 'thing' } }
    expect(check(status).valid).toBe(true)
    expect(check({ ...status, team: 3 }).valid).toBe(false)
    expect(check({ ...status, steps: [{ ...status.steps[0], extra: 1 }] }).valid).toBe(false)
  })
})

describe('toolsets', () => {
  const mcp = new McpDispatcher(tools, async () => ({}), 'test')
  const listed = (param?: string) => JSON.parse(`${Buffer.concat(mcp.select(param).list.plain('1}')).toString()}`).result.tools.map((t: { name: string }) => t.name)

  it('are the registry\'s categories', () => {
    expect([...mcp.toolsets].sort()).toEqual(['databases', 'domains', 'identity', 'incidents', 'operations', 'optimization', 'previews', 'repos', 'services', 'tenants'])
  })

  it('list only the selected tools, and mctl_whoami always', () => {
    const names = listed('services,domains')
    expect(names).toContain('mctl_deploy_service')
    expect(names).toContain('mctl_verify_domain')
    expect(names).toContain('mctl_whoami')
    expect(names).not.toContain('mctl_create_tenant')
    expect(names.length).toBe(tools.filter(t => ['services', 'domains', 'identity'].includes(t.category!)).length)
    expect(listed()).toHaveLength(tools.length)
    expect(listed('')).toHaveLength(tools.length)
    // One answer per selection, whatever order or repetition it was asked in.
    expect(mcp.select('domains,services,services')).toBe(mcp.select('services,domains'))
  })

  it('refuse unknown names, naming the valid ones', () => {
    expect(() => mcp.select('services,kubernetes')).toThrow(/Unknown toolset kubernetes .*valid toolsets: .*services.*domains/)
  })

  it('refuse a call to a tool outside the selection', async () => {
    const caller = { identity: {} as never, client: 'test' }
    const answer = JSON.parse(await mcp.handle({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mctl_create_tenant', arguments: {} } }, caller, mcp.select('services')) as string)
    expect(answer.error).toEqual({ code: -32602, message: 'Unknown tool: mctl_create_tenant (not in the selected toolsets: identity, services)' })
    const whoami = JSON.parse(await mcp.handle({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'mctl_whoami', arguments: {} } }, caller, mcp.select('services')) as string)
    expect(whoami.result.structuredContent).toEqual({})
  })
})
