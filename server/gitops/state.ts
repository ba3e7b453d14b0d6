import { parse } from 'yaml'
import type { z } from 'zod'
import type { GitRepo } from './repo'
import { PlatformSpec, ServiceSpec, TenantSpec } from './specs'

export interface ServiceEntry { tenant: string, name: string, spec: ServiceSpec }

const PLATFORM = 'mctl.yaml'
const TENANT = /^tenants\/([^/]+)\/tenant\.yaml$/
const SERVICE = /^tenants\/([^/]+)\/services\/([^/]+)\/service\.yaml$/

export const tenantDir = (t: string) => `tenants/${t}`
export const tenantSpecPath = (t: string) => `tenants/${t}/tenant.yaml`
export const serviceDir = (t: string, s: string) => `tenants/${t}/services/${s}`
export const serviceSpecPath = (t: string, s: string) => `tenants/${t}/services/${s}/service.yaml`

const cmp = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0
/** Tenant, then service name, by code point: the order of lists and their cursors. */
export const compareServices = (a: { tenant: string, name: string }, b: { tenant: string, name: string }) =>
  cmp(a.tenant, b.tenant) || cmp(a.name, b.name)

const isSpecPath = (p: string) => p === PLATFORM || TENANT.test(p) || SERVICE.test(p)

/**
 * The read index: desired state parsed from the spec files of one commit, kept in memory and
 * moved forward by reading only the files a diff touched. Requests never parse YAML.
 * A file that does not parse is listed in `problems` and left out; it never stops the index.
 */
export class RepoIndex {
  sha: string | null = null
  platform: PlatformSpec = PlatformSpec.parse({})
  readonly tenants = new Map<string, TenantSpec>()
  readonly services = new Map<string, Map<string, ServiceEntry>>()
  readonly problems = new Map<string, string>()
  private refreshing: Promise<boolean> | null = null
  /** Bumped whenever a spec changes, for caches derived from the index. */
  private version = 0
  private sorted?: { version: number, all: ServiceEntry[] }

  constructor(private readonly repo: GitRepo) {}

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

  /** Brings the index to the branch head; concurrent callers share one refresh. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.advance().finally(() => { this.refreshing = null })
    return this.refreshing
  }

  /**
   * Moves to `to` after our own commit from `sha`, whose changed paths and new contents the
   * caller already has: no git process needed.
   */
  async advanceWith(to: string, paths: string[], contents: Map<string, string | null>): Promise<void> {
    if (this.refreshing) await this.refreshing
    for (const path of paths.filter(isSpecPath)) this.apply(path, contents.get(path) ?? undefined)
    this.sha = to
  }

  private async advance(): Promise<boolean> {
    const head = await this.repo.head()
    if (!head || head === this.sha) return false
    await this.load(head)
    return true
  }

  private async load(to: string) {
    if (to === this.sha) return
    const changed = (await this.repo.changedPaths(this.sha, to)).filter(isSpecPath)
    const files = await this.repo.readFiles(to, changed)
    for (const path of changed) this.apply(path, files.get(path))
    this.sha = to
  }

  private apply(path: string, text: string | undefined) {
    this.version++
    this.problems.delete(path)
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
      let services = this.services.get(tenant)
      if (spec) {
        if (!services) this.services.set(tenant, services = new Map())
        services.set(name, { tenant, name, spec })
      }
      else {
        services?.delete(name)
        if (services?.size === 0) this.services.delete(tenant)
      }
    }
  }

  private parseSpec<T extends z.ZodType>(path: string, text: string | undefined, schema: T): z.infer<T> | undefined {
    if (text === undefined) return undefined
    try {
      const result = schema.safeParse(parse(text) ?? {})
      if (result.success) return result.data
      this.problems.set(path, result.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '))
    }
    catch (err) {
      this.problems.set(path, `not valid YAML: ${(err as Error).message.split('\n')[0]}`)
    }
    return undefined
  }
}
