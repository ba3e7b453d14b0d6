import { toolDescriptor } from '../mcp/dispatcher'
import type { AnyTool } from '../tools/define'
import { kindOf } from '../tools/define'
import { toJsonSchema } from '../utils/json-schema'

type JsonSchema = Record<string, any>

/** One row of a tool's inputs or outputs table. */
export interface SchemaField {
  name: string
  type: string
  required: boolean
  default?: unknown
  description: string
  /** Rules a value must follow, as a person reads them: "1–31 characters", "pattern ^[a-z]…". */
  rules: string[]
}

function typeLabel(p: JsonSchema): string {
  if (p.enum) return p.enum.map((v: unknown) => JSON.stringify(v)).join(' | ')
  if (p.const !== undefined) return JSON.stringify(p.const)
  const union = p.anyOf ?? p.oneOf
  if (union) return union.map(typeLabel).join(' | ')
  if (p.type === 'array') {
    const item = typeLabel(p.items ?? {})
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`
  }
  if (Array.isArray(p.type)) return p.type.join(' | ')
  return p.type ?? 'any'
}

function rules(p: JsonSchema): string[] {
  const out: string[] = []
  if (p.minLength !== undefined || p.maxLength !== undefined) out.push(`${p.minLength ?? 0}–${p.maxLength ?? '∞'} characters`)
  if (p.minimum !== undefined || p.maximum !== undefined) out.push(`${p.minimum ?? '−∞'}–${p.maximum ?? '∞'}`)
  if (p.pattern) out.push(`pattern ${p.pattern}`)
  if (p.format) out.push(`format ${p.format}`)
  return out
}

/** The top-level fields of an object schema, in declaration order. */
export function schemaFields(schema: JsonSchema): SchemaField[] {
  const required = new Set<string>(schema.required ?? [])
  return Object.entries<JsonSchema>(schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: typeLabel(p),
    required: required.has(name),
    ...(p.default !== undefined ? { default: p.default } : {}),
    description: p.description ?? '',
    rules: rules(p),
  }))
}

/**
 * A tool as the docs show it: exactly the descriptor MCP clients get from tools/list, plus
 * who may call it, its REST route and its fields as table rows. The landing page, the tools
 * reference and llms-full.txt all read this (GET /api/v1/tools), so none can drift from the
 * registry.
 */
export function toolReference(tool: AnyTool) {
  const descriptor = toolDescriptor(tool)
  return {
    ...descriptor,
    category: tool.category ?? 'other',
    kind: kindOf(tool),
    access: tool.access,
    rest: tool.rest,
    operation: tool.operation ? { name: tool.operation.name, riskLevel: tool.operation.riskLevel } : null,
    // tools/list leaves out the output fields' descriptions and rules an input's pattern
    // already implies; the docs show both in full.
    inputs: schemaFields(toJsonSchema(tool.input, 'input')),
    outputs: schemaFields(toJsonSchema(tool.output, 'output')),
  }
}

export type ToolReference = ReturnType<typeof toolReference>
