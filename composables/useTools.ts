import type { ToolReference } from '~~/server/docs/reference'

export type { ToolReference }
export type ToolKind = ToolReference['kind']

export interface CategorySummary {
  id: string
  count: number
  kinds: Record<ToolKind, number>
}

/** Every registered tool with its schemas (GET /api/v1/tools): the tools reference page. */
export function useTools() {
  return useFetch<ToolReference[]>('/api/v1/tools', { key: 'tools', default: () => [] })
}

/** Tool counts per category, in registry order. Only the counts reach the page's payload. */
export function useToolCategories() {
  return useFetch('/api/v1/tools', {
    key: 'tool-categories',
    default: () => [],
    transform: (tools: ToolReference[]): CategorySummary[] => {
      const byId = new Map<string, CategorySummary>()
      for (const tool of tools) {
        const entry = byId.get(tool.category) ?? { id: tool.category, count: 0, kinds: { read: 0, write: 0, destructive: 0 } }
        entry.count++
        entry.kinds[tool.kind]++
        byId.set(tool.category, entry)
      }
      return [...byId.values()]
    },
  })
}

/** Tools grouped by category, both in registry order. */
export function groupByCategory(tools: ToolReference[]) {
  const groups = new Map<string, ToolReference[]>()
  for (const tool of tools) groups.set(tool.category, [...groups.get(tool.category) ?? [], tool])
  return [...groups].map(([id, members]) => ({ id, tools: members }))
}
