import { describe, expect, it } from 'vitest'
import { toolDescriptor } from '../../server/mcp/dispatcher'
import { kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'

describe('the tool registry', () => {
  it.each(tools.map(t => [t.name, t] as const))('%s is complete', (_, tool) => {
    expect(tool.name).toMatch(/^mctl_[a-z_]+$/)
    expect(tool.title.length).toBeGreaterThan(3)
    expect(tool.description.length).toBeGreaterThan(20)
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
      expect(typeof tool.annotations[hint], hint).toBe('boolean')
    expect(['authenticated', 'member', 'owner', 'admin']).toContain(tool.access)
    if (tool.access === 'member' || tool.access === 'owner') expect(tool.subject, 'member/owner tools name their tenant').toBeTypeOf('function')
    expect(tool.rest.path).toMatch(/^\/api\/v1\//)
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(tool.rest.method)
    for (const key of tool.rest.path.matchAll(/\{(\w+)\}/g)) expect(Object.keys(tool.input.shape)).toContain(key[1])

    const { inputSchema, outputSchema } = toolDescriptor(tool)
    expect(inputSchema.type).toBe('object')
    expect(outputSchema.type).toBe('object')
    for (const [name, field] of Object.entries(inputSchema.properties ?? {}) as [string, { description?: string }][])
      expect(field.description, `${tool.name}.${name} has a description the model can read`).toBeTruthy()
  })

  it('follows the annotation sets of TOOLS.md', () => {
    for (const tool of tools) {
      const a = tool.annotations
      if (kindOf(tool) === 'read') expect(a).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false })
      if (kindOf(tool) === 'destructive') expect(a.readOnlyHint).toBe(false)
      if (kindOf(tool) !== 'read') expect(tool.rest.method).not.toBe('GET')
      if (kindOf(tool) === 'read') expect(tool.rest.method).toBe('GET')
    }
  })

  it('has unique names and routes', () => {
    expect(new Set(tools.map(t => t.name)).size).toBe(tools.length)
    expect(new Set(tools.map(t => `${t.rest.method} ${t.rest.path}`)).size).toBe(tools.length)
  })

  // A schema change shows up in review as a change to these files.
  it.each([...new Set(tools.map(t => t.category!))])('tools/list of %s matches its snapshot', async (category) => {
    const listed = tools.filter(t => t.category === category).map(toolDescriptor)
    await expect(JSON.stringify(listed, null, 2)).toMatchFileSnapshot(`./__snapshots__/tools-${category}.json`)
  })
})
