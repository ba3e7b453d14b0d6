import type { OperationDef } from '../operations/types'
import { type AnyTool, kindOf } from './define'
import { waitSeconds } from './schemas'
import databases from './databases'
import domains from './domains'
import identity from './identity'
import incidents from './incidents'
import operations from './operations'
import optimization from './optimization'
import previews from './previews'
import repos from './repos'
import services from './services'
import tenants from './tenants'

/** Every tool, once. MCP, REST, OpenAPI, the operation catalog and the docs derive from this list. */
export function buildRegistry(groups: Record<string, AnyTool[]>): AnyTool[] {
  const seen = new Map<string, AnyTool>()
  const routes = new Set<string>()
  for (const [category, tool] of Object.entries(groups).flatMap(([c, ts]) => ts.map(t => [c, t] as const))) {
    if (seen.has(tool.name)) throw new Error(`Duplicate tool name ${tool.name}`)
    const route = `${tool.rest.method} ${tool.rest.path}`
    if (routes.has(route)) throw new Error(`Duplicate REST route ${route} (${tool.name})`)
    // Every write takes wait_seconds the same way; one that answers at once has nothing to wait for.
    if (kindOf(tool) !== 'read' && !('wait_seconds' in tool.input.shape))
      tool.input = tool.input.extend({ wait_seconds: waitSeconds.describe('Accepted; this write answers at once') })
    // Unknown keys are errors, not silently dropped: a misspelt parameter must not vanish.
    tool.input = tool.input.strict()
    tool.category = category
    seen.set(tool.name, tool)
    routes.add(route)
  }
  return [...seen.values()]
}

export const tools: AnyTool[] = buildRegistry({ identity, tenants, services, operations, incidents, domains, databases, previews, repos, optimization })
export const toolsByName = new Map(tools.map(t => [t.name, t]))

/** The durable operations the tools enqueue (each tool declares its own). */
export function operationsOf(tools: AnyTool[]): OperationDef[] {
  return tools.flatMap(t => t.operation ? [t.operation] : [])
}
