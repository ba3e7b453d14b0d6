import type { z } from 'zod'
import { hostViolations } from './policy-hosts'
import { quotaViolations } from './quota'
import type { Changes } from './repo'
import { previewRunSpec } from './render/preview'
import { PreviewSpec, ServiceSpec, TenantSpec } from './specs'
import type { PreviewEntry, RepoIndex, ServiceEntry } from './state'
import { previewSpecPath, serviceSpecPath, tenantSpecPath } from './state'
import { readSpec } from './yaml'

const SERVICE_SPEC = /^tenants\/([^/]+)\/services\/([^/]+)\/service\.yaml$/
const PREVIEW_SPEC = /^tenants\/([^/]+)\/previews\/([^/]+)\/preview\.yaml$/

const removedBy = (changes: Changes, path: string) =>
  [...changes].some(([p, content]) => content === null && (path === p || path.startsWith(`${p}/`)))

function parseSpec<T extends z.ZodType>(schema: T, path: string, text: string, problems: string[]): z.infer<T> | undefined {
  const read = readSpec(schema, text)
  if ('spec' in read) return read.spec
  problems.push(`${path}: ${read.problem}`)
  return undefined
}

/**
 * GITOPS.md "Policy before commit", the rules that span services: a changed service.yaml or
 * preview.yaml must parse, the tenant's services and previews must fit its quota at full
 * scale, and the hosts of changed services and previews are theirs to take (policy-hosts).
 */
export function serviceViolations(changes: Changes, index: RepoIndex): string[] {
  const problems: string[] = []
  const changed: ServiceEntry[] = []
  const changedPreviews: PreviewEntry[] = []
  for (const [path, content] of changes) {
    let m: RegExpExecArray | null
    if (content === null) continue
    if ((m = SERVICE_SPEC.exec(path))) {
      const spec = parseSpec(ServiceSpec, path, content, problems)
      if (spec) changed.push({ tenant: m[1]!, name: m[2]!, spec })
    }
    else if ((m = PREVIEW_SPEC.exec(path))) {
      const spec = parseSpec(PreviewSpec, path, content, problems)
      if (spec) changedPreviews.push({ tenant: m[1]!, name: m[2]!, id: '', spec })
    }
  }
  if (!changed.length && !changedPreviews.length) return problems

  // Every service and preview as it will be after this commit.
  const key = (s: { tenant: string, name: string }) => `${s.tenant}/${s.name}`
  const replaced = new Set(changed.map(key))
  const after = [
    ...[...index.allServices()].filter(s => !replaced.has(key(s)) && !removedBy(changes, serviceSpecPath(s.tenant, s.name))),
    ...changed,
  ]
  const replacedPreviews = new Set(changedPreviews.map(key))
  const previewsAfter = [
    ...[...index.allPreviews()].filter(p => !replacedPreviews.has(key(p)) && !removedBy(changes, previewSpecPath(p.tenant, p.name))),
    ...changedPreviews,
  ]
  // A preview runs one pod with its service's requests.
  const previewLoad = (tenant: string) => previewsAfter.filter(p => p.tenant === tenant).flatMap((p) => {
    const parent = after.find(s => s.tenant === tenant && s.name === p.spec.service)
    return parent ? [{ name: `${p.name} (preview)`, spec: previewRunSpec(parent.spec, p.spec.imageTag, '') }] : []
  })

  for (const tenant of new Set([...changed, ...changedPreviews].map(s => s.tenant))) {
    const text = changes.get(tenantSpecPath(tenant))
    const spec = typeof text === 'string' ? parseSpec(TenantSpec, tenantSpecPath(tenant), text, problems) : index.tenant(tenant)
    if (!spec) {
      problems.push(`tenant "${tenant}" does not exist`)
      continue
    }
    problems.push(...quotaViolations(tenant, [...after.filter(s => s.tenant === tenant), ...previewLoad(tenant)], spec.quotas))
  }

  problems.push(...hostViolations(changed, changedPreviews, after, previewsAfter, index))
  return problems
}
