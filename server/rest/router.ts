import type { AnyTool } from '../tools/define'
import { kindOf } from '../tools/define'
import { toJsonSchema } from '../utils/json-schema'
import { invalid } from '../utils/errors'

export interface RouteMatch { tool: AnyTool, params: Record<string, string> }

interface Route { tool: AnyTool, method: string, pattern: RegExp, keys: string[] }

type FieldType = 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'string'

/**
 * REST routes of the registry, compiled once: `/api/v1/tenants/{name}` → a regex and its keys,
 * and per tool the JSON type of each input field, so query strings can be coerced.
 */
export class RestRouter {
  private readonly routes: Route[]
  private readonly fieldTypes = new Map<string, Record<string, FieldType>>()

  constructor(tools: AnyTool[]) {
    this.routes = tools.map((tool) => {
      const keys: string[] = []
      const source = tool.rest.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, k: string) => {
        keys.push(k)
        return '([^/]+)'
      })
      return { tool, method: tool.rest.method, pattern: new RegExp(`^${source}/?$`), keys }
    }).sort((a, b) => a.keys.length - b.keys.length) // `/incidents/summary` before `/incidents/{id}`
    for (const tool of tools) {
      const props = (toJsonSchema(tool.input, 'input').properties ?? {}) as Record<string, { type?: FieldType }>
      this.fieldTypes.set(tool.name, Object.fromEntries(Object.entries(props).map(([k, p]) => [k, p.type ?? 'string'])))
    }
  }

  /** The tool for a request, `{ allow }` when only the method is wrong, or null. */
  match(method: string, path: string): RouteMatch | { allow: string[] } | null {
    const allow: string[] = []
    for (const route of this.routes) {
      const m = route.pattern.exec(path)
      if (!m) continue
      if (route.method !== method) {
        allow.push(route.method)
        continue
      }
      const params: Record<string, string> = {}
      route.keys.forEach((k, i) => { params[k] = decodeParam(k, m[i + 1]!) })
      return { tool: route.tool, params }
    }
    return allow.length ? { allow } : null
  }

  /** Query-string values turned into the JSON types the tool's input expects. */
  coerceQuery(tool: AnyTool, query: Record<string, unknown>): Record<string, unknown> {
    const types = this.fieldTypes.get(tool.name) ?? {}
    const out: Record<string, unknown> = {}
    for (const [key, raw] of Object.entries(query)) {
      const value = Array.isArray(raw) ? raw[raw.length - 1] : raw
      const type = types[key]
      if (typeof value !== 'string') out[key] = value
      else if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value)
      else if (type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true'
      else out[key] = value
    }
    return out
  }
}

/** A path parameter as sent; malformed percent-encoding is the caller's error, named. */
export function decodeParam(key: string, raw: string): string {
  try { return decodeURIComponent(raw) }
  catch { throw invalid(`${key}: the URL path holds malformed percent-encoding`) }
}

/** HTTP status of a tool's answer: 202 when an operation was accepted. */
export function statusOf(tool: AnyTool, output: Record<string, unknown>): number {
  return kindOf(tool) !== 'read' && typeof output.operation_id === 'string' ? 202 : 200
}
