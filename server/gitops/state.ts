import { readFile, rename, writeFile } from 'node:fs/promises'
import type { z } from 'zod'
import type { Changes, GitRepo } from './repo'
import { PlatformSpec, PreviewSpec, ServiceSpec, TenantSpec } from './specs'
import { fromYamlDocuments, readSpec } from './yaml'
import { tenantNameProblem } from '../../shared/utils/names'

export interface ServiceEntry { tenant: string, name: string, spec: ServiceSpec }
/** A preview `<service>-<id>`: `id` is what follows the service name. */
export interface PreviewEntry { tenant: string, name: string, id: string, spec: PreviewSpec }
/** A CloudNativePG Database file; tenant/app from its labels (null in a hand-written one without them). */
export interface DatabaseEntry { path: string, name: string, tenant: string | null, app: string | null, dbName: string, owner: string }

const PLATFORM = 'mctl.yaml'
const TENANT_FOLDER = /^tenants\/([^/]+)\//
const TENANT = /^tenants\/([^/]+)\/tenant\.yaml$/
const SERVICE = /^tenants\/([^/]+)\/services\/([^/]+)\/service\.yaml$/
const PREVIEW = /^tenants\/([^/]+)\/previews\/([^/]+)\/preview\.yaml$/
const DATABASE = /^platform\/databases\/shared-pg\/databases\/[^/]+\.yaml$/
export const SHARED_PG_CLUSTER = 'platform/databases/shared-pg/cluster.yaml'

export const tenantDir = (t: string) => `tenants/${t}`
export const tenantSpecPath = (t: string) => `tenants/${t}/tenant.yaml`
export const serviceDir = (t: string, s: string) => `tenants/${t}/services/${s}`
export const serviceSpecPath = (t: string, s: string) => `tenants/${t}/services/${s}/service.yaml`
export const previewDir = (t: string, name: string) => `tenants/${t}/previews/${name}`
export const previewSpecPath = (t: string, name: string) => `tenants/${t}/previews/${name}/preview.yaml`

const cmp = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0
/** Tenant, then service name, by code point: the order of lists and their cursors. */
export const compareServices = (a: { tenant: string, name: string }, b: { tenant: string, name: string }) =>
  cmp(a.tenant, b.tenant) || cmp(a.name, b.name)

const isSpecPath = (p: string) => p === PLATFORM || p === SHARED_PG_CLUSTER || TENANT.test(p) || SERVICE.test(p) || PREVIEW.test(p) || DATABASE.test(p)

/**
 * The read index: desired state parsed from the spec files of one commit, kept in memory and
 * moved forward by reading only the files a diff touched. Requests never parse YAML.
 * A file that does not parse, or lies in a tenant folder whose name breaks the tenant name
 * rules (a reserved name), is listed in `problems` and left out; it never stops the index.
 */
export class RepoIndex {
  sha: string | null = null
  platform: PlatformSpec = PlatformSpec.parse({})
  readonly tenants = new Map<string, TenantSpec>()
  readonly services = new Map<string, Map<string, ServiceEntry>>()
  readonly previews = new Map<string, Map<string, PreviewEntry>>()
  readonly databases = new Map<string, DatabaseEntry>()
  /** The shared CloudNativePG Cluster as committed (its managed roles are edited in place). */
  sharedPgCluster: string | null = null
  readonly problems = new Map<string, string>()
  private refreshing: Promise<boolean> | null = null
  /** Bumped whenever a spec changes, for caches derived from the index. */
  private version = 0
  private sorted?: { version: number, all: ServiceEntry[] }
  /** Spec files changed by `stage` and not yet published. */
  private readonly staged = new Set<string>()

  constructor(
    private readonly repo: GitRepo,
    /**
     * The tenant that proved a custom domain by DNS (the domain store lives in the database,
     * so the composition root gives it): the host policy asks it on every commit.
     */
    readonly domainHolder: (domain: string) => string | undefined = () => undefined,
  ) {}

  tenant(name: string): TenantSpec | undefined { return this.tenants.get(name) }
  servicesOf(tenant: string): ServiceEntry[] { return [...(this.services.get(tenant)?.values() ?? [])] }
  service(tenant: string, name: string): ServiceEntry | undefined { return this.services.get(tenant)?.get(name) }
  /** Every service ordered by tenant, then name; rebuilt only after the index changed. */
  sortedServices(): ServiceEntry[] {
    if (this.sorted?.version !== this.version) {
      const all = [...this.allServices()].sort(compareServices)
      this.sorted = { version: this.version, all }
    }
    return this.sorted.all
  }

  *allServices(): Iterable<ServiceEntry> {
    for (const m of this.services.values()) yield* m.values()
  }

  previewsOf(tenant: string): PreviewEntry[] { return [...(this.previews.get(tenant)?.values() ?? [])] }
  *allPreviews(): Iterable<PreviewEntry> {
    for (const m of this.previews.values()) yield* m.values()
  }

  databasesOf(tenant: string): DatabaseEntry[] { return [...this.databases.values()].filter(d => d.tenant === tenant) }
  database(tenant: string, app: string): DatabaseEntry | undefined {
    return [...this.databases.values()].find(d => d.tenant === tenant && d.app === app)
  }

  /**
   * Starts from a snapshot written by `save` (same `stamp`, i.e. the same MCTL version and so
   * the same spec schemas) instead of the empty index: the next refresh then parses only the
   * spec files changed since, not all of them. A missing, stale or unreadable snapshot is
   * ignored. 20,000 services parse in seconds; their snapshot loads in a fraction of that.
   */
  async restore(file: string, stamp: string): Promise<boolean> {
    let snap: Snapshot
    try { snap = JSON.parse(await readFile(file, 'utf8')) }
    catch { return false }
    if (snap.stamp !== stamp || !snap.sha || !await this.repo.hasCommit(snap.sha)) return false
    this.platform = snap.platform
    for (const [name, spec] of snap.tenants) this.tenants.set(name, spec)
    for (const e of snap.services) setIn(this.services, e.tenant, e.name, e)
    for (const e of snap.previews) setIn(this.previews, e.tenant, e.name, e)
    for (const e of snap.databases) this.databases.set(e.path, e)
    this.sharedPgCluster = snap.sharedPgCluster
    for (const [path, problem] of snap.problems) this.problems.set(path, problem)
    this.sha = snap.sha
    this.version++
    return true
  }

  /** Writes the index as of its commit for `restore` (atomically: a crash leaves the old one). */
  async save(file: string, stamp: string): Promise<void> {
    const snap: Snapshot = {
      stamp,
      sha: this.sha,
      platform: this.platform,
      tenants: [...this.tenants],
      services: [...this.allServices()],
      previews: [...this.allPreviews()],
      databases: [...this.databases.values()],
      sharedPgCluster: this.sharedPgCluster,
      problems: [...this.problems],
    }
    // Own temporary name: operation runner processes may save the same data directory's index.
    const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
    await writeFile(tmp, JSON.stringify(snap))
    await rename(tmp, file)
  }

  /** Brings the index to the branch head; concurrent callers share one refresh. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.advance().finally(() => { this.refreshing = null })
    return this.refreshing
  }

  /**
   * Applies the changes of a commit built but not yet published, so that the next commit of
   * the same batch is built on them. Reads see them until the batch is published
   * (`published`) or, when it was not, undone (`unstage`).
   */
  stage(changes: Changes) {
    for (const [path, content] of changes) {
      const paths = content === null ? this.specPathsAt(path) : isSpecPath(path) ? [path] : []
      for (const p of paths) {
        this.apply(p, content ?? undefined)
        this.staged.add(p)
      }
    }
  }

  /** The staged batch is on the branch: its last commit is `to`. */
  published(to: string) {
    this.sha = to
    this.staged.clear()
  }

  /** The staged batch was not published: its spec files again as the index's commit has them. */
  async unstage(): Promise<void> {
    if (this.refreshing) await this.refreshing
    const paths = [...this.staged]
    this.staged.clear()
    const files = this.sha ? await this.repo.readFiles(this.sha, paths) : new Map<string, string>()
    for (const path of paths) this.apply(path, files.get(path))
  }

  /** The spec files known at `path`: the file itself or everything under the folder. */
  private specPathsAt(path: string): string[] {
    const known = [
      PLATFORM,
      ...this.sharedPgCluster === null ? [] : [SHARED_PG_CLUSTER],
      ...[...this.tenants.keys()].map(tenantSpecPath),
      ...[...this.allServices()].map(e => serviceSpecPath(e.tenant, e.name)),
      ...[...this.allPreviews()].map(e => previewSpecPath(e.tenant, e.name)),
      ...this.databases.keys(),
      ...this.problems.keys(),
    ]
    return [...new Set(known.filter(p => p === path || p.startsWith(`${path}/`)))]
  }

  private async advance(): Promise<boolean> {
    const head = await this.repo.head()
    if (!head || head === this.sha) return false
    await this.load(head)
    return true
  }

  private async load(to: string) {
    if (to === this.sha) return
    const changed = (await this.repo.changedFiles(this.sha, to)).filter(f => isSpecPath(f.path))
    const texts = await this.repo.readObjects(changed.flatMap(f => f.blob ? [f.blob] : []))
    let read = 0
    for (const { path, blob } of changed) this.apply(path, blob ? texts[read++] ?? undefined : undefined)
    this.sha = to
  }

  private apply(path: string, given: string | undefined) {
    this.version++
    this.problems.delete(path)
    // A folder no tenant may have (tenants/kube-system/...): nothing in it is served.
    const folder = TENANT_FOLDER.exec(path)?.[1]
    const refused = given === undefined || folder === undefined ? null : tenantNameProblem(folder)
    if (refused) this.problems.set(path, `tenant "${folder}" cannot exist: ${refused}; the file is ignored`)
    const text = refused ? undefined : given
    let m: RegExpExecArray | null
    if (path === PLATFORM) {
      this.platform = this.parseSpec(path, text, PlatformSpec) ?? PlatformSpec.parse({})
    }
    else if ((m = TENANT.exec(path))) {
      const spec = this.parseSpec(path, text, TenantSpec)
      if (spec) this.tenants.set(m[1]!, spec)
      else this.tenants.delete(m[1]!)
    }
    else if ((m = SERVICE.exec(path))) {
      const [, tenant, name] = m as unknown as [string, string, string]
      const spec = this.parseSpec(path, text, ServiceSpec)
      setIn(this.services, tenant, name, spec && { tenant, name, spec })
    }
    else if ((m = PREVIEW.exec(path))) {
      const [, tenant, name] = m as unknown as [string, string, string]
      const spec = this.parseSpec(path, text, PreviewSpec)
      const id = spec && name.startsWith(`${spec.service}-`) ? name.slice(spec.service.length + 1) : name
      setIn(this.previews, tenant, name, spec && { tenant, name, id, spec })
    }
    else if (path === SHARED_PG_CLUSTER) {
      this.sharedPgCluster = text ?? null
    }
    else if (DATABASE.test(path)) {
      const entry = text === undefined ? undefined : this.parseDatabase(path, text)
      if (entry) this.databases.set(path, entry)
      else this.databases.delete(path)
    }
  }

  private parseDatabase(path: string, text: string): DatabaseEntry | undefined {
    try {
      const db = (fromYamlDocuments(text) as Array<{ kind?: string, metadata?: any, spec?: any }>).find(o => o?.kind === 'Database')
      if (!db?.metadata?.name || !db.spec?.name) {
        this.problems.set(path, 'no CloudNativePG Database object with metadata.name and spec.name')
        return undefined
      }
      const labels = db.metadata.labels ?? {}
      return { path, name: db.metadata.name, tenant: labels['mctl.dev/tenant'] ?? null, app: labels['mctl.dev/service'] ?? null, dbName: db.spec.name, owner: db.spec.owner ?? '' }
    }
    catch (err) {
      this.problems.set(path, `not valid YAML: ${(err as Error).message.split('\n')[0]}`)
      return undefined
    }
  }

  private parseSpec<T extends z.ZodType>(path: string, text: string | undefined, schema: T): z.infer<T> | undefined {
    if (text === undefined) return undefined
    const read = readSpec(schema, text)
    if ('spec' in read) return read.spec
    this.problems.set(path, read.problem)
    return undefined
  }

}

interface Snapshot {
  stamp: string
  sha: string | null
  platform: PlatformSpec
  tenants: [string, TenantSpec][]
  services: ServiceEntry[]
  previews: PreviewEntry[]
  databases: DatabaseEntry[]
  sharedPgCluster: string | null
  problems: [string, string][]
}

/** Sets (or, with no value, deletes) `outer[a][b]`, dropping empty inner maps. */
function setIn<V>(outer: Map<string, Map<string, V>>, a: string, b: string, value: V | undefined) {
  let inner = outer.get(a)
  if (value) {
    if (!inner) outer.set(a, inner = new Map())
    inner.set(b, value)
  }
  else {
    inner?.delete(b)
    if (inner?.size === 0) outer.delete(a)
  }
}
