import { parse } from 'yaml'
import type { z } from 'zod'
import { hostsOf } from './hosts'
import { quotaViolations } from './quota'
import type { Changes } from './repo'
import { ServiceSpec, TenantSpec } from './specs'
import type { RepoIndex, ServiceEntry } from './state'
import { serviceSpecPath, tenantSpecPath } from './state'

const SERVICE_SPEC = /^tenants\/([^/]+)\/services\/([^/]+)\/service\.yaml$/

const removedBy = (changes: Changes, path: string) =>
  [...changes].some(([p, content]) => content === null && (path === p || path.startsWith(`${p}/`)))

function parseSpec<T extends z.ZodType>(schema: T, path: string, text: string, problems: string[]): z.infer<T> | undefined {
  let raw: unknown
  try { raw = parse(text) ?? {} }
  catch (err) {
    problems.push(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`)
    return undefined
  }
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  problems.push(`${path}: ${result.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  return undefined
}

/**
 * GITOPS.md "Policy before commit", the rules that span services: a changed service.yaml
 * must parse, the tenant's services must fit its quota at full scale, and a host name
 * belongs to one service across all tenants.
 */
export function serviceViolations(changes: Changes, index: RepoIndex): string[] {
  const problems: string[] = []
  const changed: ServiceEntry[] = []
  for (const [path, content] of changes) {
    const m = SERVICE_SPEC.exec(path)
    if (!m || content === null) continue
    const spec = parseSpec(ServiceSpec, path, content, problems)
    if (spec) changed.push({ tenant: m[1]!, name: m[2]!, spec })
  }
  if (!changed.length) return problems

  // Every service as it will be after this commit.
  const key = (s: { tenant: string, name: string }) => `${s.tenant}/${s.name}`
  const replaced = new Set(changed.map(key))
  const after = [
    ...[...index.allServices()].filter(s => !replaced.has(key(s)) && !removedBy(changes, serviceSpecPath(s.tenant, s.name))),
    ...changed,
  ]

  for (const tenant of new Set(changed.map(s => s.tenant))) {
    const text = changes.get(tenantSpecPath(tenant))
    const spec = typeof text === 'string' ? parseSpec(TenantSpec, tenantSpecPath(tenant), text, problems) : index.tenant(tenant)
    if (!spec) {
      problems.push(`tenant "${tenant}" does not exist`)
      continue
    }
    problems.push(...quotaViolations(tenant, after.filter(s => s.tenant === tenant), spec.quotas))
  }

  const owners = new Map<string, string>()
  for (const s of after.filter(s => !replaced.has(key(s)))) {
    for (const host of hostsOf(s.tenant, s.name, s.spec, index.platform)) owners.set(host, key(s))
  }
  for (const s of changed) {
    for (const host of hostsOf(s.tenant, s.name, s.spec, index.platform)) {
      const owner = owners.get(host)
      if (owner && owner !== key(s)) problems.push(`host "${host}" of ${key(s)} is already used by ${owner}`)
      owners.set(host, key(s))
    }
  }
  return problems
}
