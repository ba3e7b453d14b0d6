import type { AnyTool } from '../tools/define'
import { kindOf } from '../tools/define'
import { toJsonSchema } from '../utils/json-schema'


export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })

/** OpenAPI 3.1 for /api/v1, generated from the registry (JSON Schema 2020-12 is native to 3.1). */
export function buildOpenApi(tools: AnyTool[], baseUrl: string, version: string, extra: Record<string, Record<string, unknown>> = {}) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const tool of tools) {
    const input = toJsonSchema(tool.input, 'input')
    const pathKeys = [...tool.rest.path.matchAll(/\{(\w+)\}/g)].map(m => m[1]!)
    const props: Record<string, any> = input.properties ?? {}
    const required: string[] = input.required ?? []
    const param = (name: string, where: 'path' | 'query') => ({
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      description: props[name]?.description,
      schema: props[name] ?? { type: 'string' },
    })
    const get = tool.rest.method === 'GET'
    const bodyProps = Object.fromEntries(Object.entries(props).filter(([k]) => !pathKeys.includes(k)))
    const write = kindOf(tool) !== 'read'
    paths[tool.rest.path] ??= {}
    paths[tool.rest.path]![tool.rest.method.toLowerCase()] = {
      operationId: tool.name,
      summary: tool.title,
      description: tool.description,
      tags: [tool.category ?? 'tools'],
      parameters: [...pathKeys.map(k => param(k, 'path')), ...(get ? Object.keys(bodyProps).map(k => param(k, 'query')) : [])],
      ...(!get && Object.keys(bodyProps).length
        ? { requestBody: { required: required.some(r => !pathKeys.includes(r)), content: { 'application/json': { schema: { type: 'object', properties: bodyProps, required: required.filter(r => !pathKeys.includes(r)), additionalProperties: false } } } } }
        : {}),
      responses: {
        [write && tool.operation ? '202' : '200']: { description: write ? 'Accepted: the operation, or the plan to confirm' : 'OK', content: { 'application/json': { schema: toJsonSchema(tool.output, 'output') } } },
        400: errorResponse('Invalid input: the message names the field and the rule'),
        401: errorResponse('Missing or invalid token'),
        403: errorResponse('Not allowed'),
        404: errorResponse('Not found'),
        ...(write ? { 409: errorResponse('Conflict (already exists, in use)') } : {}),
        413: errorResponse('Request body over 1 MiB'),
        429: errorResponse('Rate limit reached; see Retry-After'),
      },
      'x-mctl-access': tool.access,
      'x-mctl-annotations': tool.annotations,
    }
  }
  paths['/api/v1/operations/{name}/execute'] = {
    post: {
      operationId: 'execute_operation',
      summary: 'Run an operation by name',
      description: 'Generic form of every write: the body is the input of the tool that runs the operation (see GET /api/v1/operations).',
      tags: ['operations'],
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: { 202: { description: 'Accepted' }, 400: errorResponse('Invalid input'), 404: errorResponse('Operation not found, with the list of names') },
    },
  }
  // Not a tool: the registry itself, public like this document (server/api/v1/tools.get.ts).
  paths['/api/v1/tools'] = {
    get: {
      operationId: 'list_tools',
      summary: 'List the tools',
      description: 'Every tool as MCP clients see it in tools/list (name, title, description, input and output JSON Schemas, annotations), with its category, kind, access rule, REST route and input/output fields. No token needed.',
      tags: ['docs'],
      security: [],
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } },
    },
  }
  Object.assign(paths, extra)
  return {
    openapi: '3.1.0',
    info: { title: 'MCTL API', version, description: 'Every MCTL tool as a REST route: the same input, the same output, the same rules as MCP.' },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (mctl_pat_…) or an OAuth access token' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, details: {} } },
      },
    },
  }
}
