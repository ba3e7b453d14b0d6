import { describe, expect, it } from 'vitest'
import { toolDescriptor } from '../../server/mcp/dispatcher'
import { kindOf } from '../../server/tools/define'
import { tools } from '../../server/tools/registry'

// TOOLS.md, table by table: the names people already use, and each tool's kind
// (R read, W write — idempotent or not —, D destructive).
const CONTRACT: Record<string, 'R' | 'W' | 'Wi' | 'D'> = {
  mctl_whoami: 'R',
  mctl_list_tenants: 'R', mctl_get_tenant: 'R', mctl_create_tenant: 'W', mctl_delete_tenant: 'D',
  mctl_list_services: 'R', mctl_get_service_status: 'R', mctl_get_service_config: 'R', mctl_get_service_logs: 'R', mctl_get_resource_usage: 'R',
  mctl_deploy_service: 'W', mctl_scale_service: 'Wi', mctl_rollback_service: 'W', mctl_retire_service: 'D',
  mctl_list_operations: 'R', mctl_get_operation: 'R', mctl_list_recent_operations: 'R', mctl_list_workflows: 'R', mctl_get_workflow_status: 'R',
  mctl_list_incidents: 'R', mctl_get_incident: 'R', mctl_incident_summary: 'R', mctl_acknowledge_incident: 'Wi', mctl_resolve_incident: 'Wi',
  mctl_list_domains: 'R', mctl_verify_domain: 'R', mctl_add_custom_domain: 'Wi', mctl_remove_custom_domain: 'D',
  mctl_provision_database: 'W',
  mctl_list_previews: 'R', mctl_create_preview: 'W', mctl_delete_preview: 'D',
  mctl_list_repos: 'R', mctl_grant_repo_access: 'Wi', mctl_sync_repos: 'Wi',
  mctl_get_openclaw_sizing_recommendation: 'R', mctl_deploy_openclaw: 'W', mctl_resume_openclaw_deploy: 'W', mctl_apply_openclaw_resource_profile: 'Wi',
}

describe('the contract of TOOLS.md', () => {
  it('has exactly its 39 tools: 21 read, 14 write, 4 destructive', () => {
    expect(tools.map(t => t.name).sort()).toEqual(Object.keys(CONTRACT).sort())
    const count = (kind: string) => tools.filter(t => kindOf(t) === kind).length
    expect([tools.length, count('read'), count('write'), count('destructive')]).toEqual([39, 21, 14, 4])
  })

  it.each(Object.entries(CONTRACT))('%s is %s', (name, kind) => {
    const tool = tools.find(t => t.name === name)!
    expect(kindOf(tool)).toBe({ R: 'read', W: 'write', Wi: 'write', D: 'destructive' }[kind])
    if (kind === 'W' || kind === 'Wi') expect(tool.annotations.idempotentHint).toBe(kind === 'Wi')
    if (kind === 'D') expect(tool.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false })
  })
})

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

  it('lets every write take wait_seconds the same way, 0–25 seconds', () => {
    for (const tool of tools.filter(t => kindOf(t) !== 'read')) {
      const issues = (wait: number) => tool.input.safeParse({ wait_seconds: wait }).error?.issues ?? []
      // Never an unknown key, and the same bounds everywhere.
      expect(issues(5).filter(i => i.code === 'unrecognized_keys' || i.path[0] === 'wait_seconds'), tool.name).toEqual([])
      expect(issues(26).some(i => i.path[0] === 'wait_seconds'), tool.name).toBe(true)
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
