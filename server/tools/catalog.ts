import type { PlatformSpec } from '../gitops/specs'
import type { OperationDef, RiskLevel } from '../operations/types'
import type { AnyTool } from './define'
import { kindOf } from './define'
import { secretFields } from './invoke'
import { toJsonSchema } from '../utils/json-schema'

export interface OperationParameter {
  name: string
  type: string
  required: boolean
  description?: string
  default?: unknown
  pattern?: string
  enum?: unknown[]
  minimum?: unknown
  maximum?: unknown
  secret: boolean
}

export interface CatalogEntry {
  name: string
  description: string
  riskLevel: RiskLevel
  requiresConfirm: boolean
  engine: string
  tool: string
  parameters: OperationParameter[]
}

const CONTROL = new Set(['wait_seconds', 'confirm'])

/** The operations users can run, derived from the tools that enqueue them. */
export function buildCatalog(tools: AnyTool[], engine: string): CatalogEntry[] {
  return tools.filter(t => t.operation).map((tool) => {
    const schema = toJsonSchema(tool.input, 'input') as { properties?: Record<string, Record<string, any>>, required?: string[] }
    const secrets = new Set(secretFields(tool))
    const parameters = Object.entries(schema.properties ?? {}).filter(([name]) => !CONTROL.has(name)).map(([name, p]) => ({
      name,
      type: String(p.type ?? (p.anyOf ? p.anyOf.map((a: { type?: string }) => a.type).join(' | ') : 'string')),
      required: schema.required?.includes(name) ?? false,
      ...(p.description ? { description: p.description } : {}),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.pattern ? { pattern: p.pattern } : {}),
      ...(p.enum ? { enum: p.enum } : {}),
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
      secret: secrets.has(name),
    }))
    return {
      name: tool.operation!.name,
      description: tool.operation!.description,
      riskLevel: tool.operation!.riskLevel,
      requiresConfirm: kindOf(tool) === 'destructive',
      engine,
      tool: tool.name,
      parameters,
    }
  })
}

/** A catalog entry with the defaults and limits the platform settings give it right now. */
export function withPlatform(entry: CatalogEntry, def: OperationDef | undefined, platform: PlatformSpec): CatalogEntry {
  const bounds = def?.bounds?.(platform)
  if (!bounds) return entry
  return { ...entry, parameters: entry.parameters.map(p => ({ ...p, ...bounds[p.name] })) }
}
