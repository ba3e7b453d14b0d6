import type { Changes } from './repo'
import { type RepoIndex, previewDir, serviceDir, tenantDir } from './state'

const SPEC = /^tenants\/([^/]+)\/(?:tenant\.yaml|services\/([^/]+)\/service\.yaml|previews\/([^/]+)\/preview\.yaml)$/
const PREVIEW_INFIX = 'preview-'

/**
 * Argo CD Application names (GITOPS.md "Names", made by the ApplicationSets of the skeleton):
 * `tenant-<tenant>`, `<tenant>-<service>` and `<tenant>-preview-<folder>`, all in one namespace.
 * Joining with "-" is not one-to-one — tenant "q-a" service "b1" and tenant "q" service "a-b1"
 * are both "q-a-b1" — and two Applications of one name would hand one tenant's sync to the
 * other. The folder each name belongs to, from the folder's path.
 */
function applicationOf(path: string): { app: string, dir: string } | null {
  const m = SPEC.exec(path)
  if (!m) return null
  const [, tenant, service, preview] = m as unknown as [string, string, string | undefined, string | undefined]
  if (service) return { app: `${tenant}-${service}`, dir: serviceDir(tenant, service) }
  if (preview) return { app: `${tenant}-${PREVIEW_INFIX}${preview}`, dir: previewDir(tenant, preview) }
  return { app: `tenant-${tenant}`, dir: tenantDir(tenant) }
}

/**
 * The folders in the index whose Application is named `app`. Found by splitting the name at
 * each "-" and looking the parts up, so the check costs the same however large the repository.
 */
function holdersOf(app: string, index: RepoIndex): string[] {
  const dirs: string[] = []
  if (app.startsWith('tenant-') && index.tenant(app.slice('tenant-'.length))) dirs.push(tenantDir(app.slice('tenant-'.length)))
  for (let i = app.indexOf('-'); i > 0; i = app.indexOf('-', i + 1)) {
    const [tenant, rest] = [app.slice(0, i), app.slice(i + 1)]
    if (index.service(tenant, rest)) dirs.push(serviceDir(tenant, rest))
    if (rest.startsWith(PREVIEW_INFIX) && index.previews.get(tenant)?.has(rest.slice(PREVIEW_INFIX.length))) dirs.push(previewDir(tenant, rest.slice(PREVIEW_INFIX.length)))
  }
  return dirs
}

const removed = (changes: Changes, dir: string) => [...changes].some(([p, c]) => c === null && (dir === p || dir.startsWith(`${p}/`)))

/** A tenant, service or preview this commit writes may not take an Application name another folder has. */
export function applicationViolations(changes: Changes, index: RepoIndex): string[] {
  const problems: string[] = []
  const written = new Map<string, string>()
  for (const [path, content] of changes) {
    const own = content === null ? null : applicationOf(path)
    if (!own) continue
    const other = [...holdersOf(own.app, index).filter(d => d !== own.dir && !removed(changes, d)), written.get(own.app)]
      .find(d => d !== undefined && d !== own.dir)
    // Another tenant's folder is not named: whoever asked may not know that tenant exists.
    const holder = other?.split('/')[1] === own.dir.split('/')[1] ? `${other}'s` : 'another tenant\'s'
    if (other) problems.push(`${own.dir}: its Argo CD Application would be named "${own.app}", the name of ${holder}: choose another name`)
    written.set(own.app, own.dir)
  }
  return problems
}
