import { LRUCache } from 'lru-cache'
import { AppError } from '../utils/errors'
import { databaseViolations } from './databases'
import { kindOf, schemaProblem } from './kinds'
import { applicationViolations } from './policy-names'
import { serviceViolations } from './policy-services'
import type { Changes } from './repo'
import { quotaLimitViolations } from './quota'
import { TenantSpec } from './specs'
import { type RepoIndex, tenantSpecPath } from './state'
import { fromYamlDocuments, readSpec } from './yaml'
import { tenantNameProblem } from '../../shared/utils/names'

const TENANT_FILE = /^tenants\/([^/]+)\/(.+)$/
const SHARED_PG_FILE = /^platform\/databases\/shared-pg\/.+\.yaml$/

type Manifest = { apiVersion?: string, kind?: string, metadata?: { name?: string, namespace?: string }, [k: string]: any }

/**
 * GITOPS.md "Policy before commit": every manifest a write produces is schema-validated and
 * checked before anything is committed. All violations are reported at once.
 */
export function checkPolicy(changes: Changes, index: RepoIndex): void {
  const violations: string[] = []
  for (const [path, content] of changes) {
    if (content !== null && SHARED_PG_FILE.test(path)) violations.push(...sharedPgViolations(path, content))
    const m = TENANT_FILE.exec(path)
    if (!m || content === null || !path.endsWith('.yaml') || !path.includes('/manifests/')) continue
    const tenant = m[1]!
    const tenantLevel = m[2]!.startsWith('manifests/')
    for (const { obj, schema } of manifestsOf(content)) {
      const where = `${path}: ${obj.kind ?? '?'} "${obj.metadata?.name ?? '?'}"`
      violations.push(...manifestViolations(obj, schema, tenant, tenantLevel, index).map(v => `${where}: ${v}`))
    }
  }
  violations.push(...tenantViolations(changes, index))
  violations.push(...serviceViolations(changes, index))
  violations.push(...applicationViolations(changes, index))
  violations.push(...databaseViolations(changes, index, content => manifestsOf(content).map(c => c.obj)))
  if (violations.length) throw new AppError(422, `Policy check failed: ${violations.join('; ')}`, violations)
}

/**
 * Every tenant a commit writes to must have a name a tenant may have, and quotas within the
 * platform's limits: a hand-committed tenant.yaml is held to the rules mctl_create_tenant applies.
 */
function tenantViolations(changes: Changes, index: RepoIndex): string[] {
  const written = new Set<string>()
  for (const [path, content] of changes) {
    const m = content === null ? null : TENANT_FILE.exec(path)
    if (m) written.add(m[1]!)
  }
  return [...written].flatMap((tenant) => {
    const badName = tenantNameProblem(tenant)
    if (badName) return [`tenants/${tenant}: tenant "${tenant}" cannot exist: ${badName}`]
    // The tenant as it will be after this commit (a tenant.yaml that does not parse is reported by the service rules).
    const text = changes.get(tenantSpecPath(tenant))
    const read = typeof text === 'string' ? readSpec(TenantSpec, text) : { spec: index.tenant(tenant) }
    const spec = 'spec' in read ? read.spec : undefined
    return spec ? quotaLimitViolations(tenant, spec.quotas, index.platform.quotaLimits) : []
  })
}

/** The shared database cluster's files: valid objects of the kinds MCTL renders, all in namespace "database". */
function sharedPgViolations(path: string, content: string): string[] {
  return manifestsOf(content).flatMap(({ obj, schema }) => {
    const where = `${path}: ${obj.kind ?? '?'} "${obj.metadata?.name ?? '?'}"`
    const problems = [schema, obj.metadata?.namespace === 'database' ? null : 'must be in namespace "database"']
    return problems.filter(p => p !== null).map(p => `${where}: ${p}`)
  })
}

interface Checked { obj: Manifest, schema: string | null }
const checked = new LRUCache<string, Checked[]>({ max: 2000 })

/**
 * The objects of a manifest file and their schema problem, by the file's text. A write is
 * checked when accepted and again when committed, and most files of a service render the
 * same from one deploy to the next: a text is parsed and validated once while it is among
 * the most recent (the objects are only read).
 */
function manifestsOf(content: string): Checked[] {
  let docs = checked.get(content)
  if (!docs) {
    docs = (fromYamlDocuments(content) as Manifest[]).map(obj => ({ obj, schema: schemaProblem(obj) }))
    checked.set(content, docs)
  }
  return docs
}

function manifestViolations(obj: Manifest, schema: string | null, tenant: string, tenantLevel: boolean, index: RepoIndex): string[] {
  if (obj.kind === 'Secret') return ['Secret objects must not be committed; secret values belong in the secret store (ExternalSecret)']
  const out: string[] = []
  if (schema) out.push(schema)
  const kind = kindOf(obj)
  const ns = obj.metadata?.namespace
  if (obj.kind === 'Namespace') {
    if (!tenantLevel || obj.metadata?.name !== tenant) out.push(`only the tenant's own namespace "${tenant}" may be declared`)
  }
  else if (obj.kind === 'AppProject') {
    if (!tenantLevel || ns !== 'argocd' || obj.metadata?.name !== tenant) out.push(`only the tenant's own Argo CD project "${tenant}" in namespace argocd may be declared`)
  }
  else if (kind && !kind.namespaced) {
    out.push('cluster-scoped kinds are not allowed in tenant folders')
  }
  else if (ns !== tenant) {
    out.push(`must be in the tenant's namespace "${tenant}", not "${ns ?? '(none)'}"`)
  }
  out.push(...imageViolations(obj, index.platform.allowedRegistries))
  return out
}

function imageViolations(obj: Manifest, allowed: string[]): string[] {
  if (!allowed.length) return []
  const pod = obj.spec?.template?.spec
  const images: string[] = [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((c: { image: string }) => c.image)
  return images
    .filter(image => !allowed.some(r => image.startsWith(`${r.replace(/\/$/, '')}/`)))
    .map(image => `image "${image}" is not from an allowed registry (${allowed.join(', ')})`)
}
